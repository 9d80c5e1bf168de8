import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { PICTURE_PASSWORD_LENGTH, PICTURES, pictureSecret, type Picture } from '../../../auth/pictures';
import { auditedWrite, type AuditEntry } from '../../audit/log';
import { hashSecret } from '../../auth/passwords';
import { endSessionsOf } from '../../auth/sessions';
import type { Database } from '../../db';
import { isoNow, newId } from '../../ids';
import type { RosterError } from './csv';
import { incomingFromOneRoster, type Incoming } from './incoming';
import { parseOneRoster } from './parse';
import { countChanges, planImport, type ImportActor, type RosterPlan } from './plan';
import { parseStudentsCsv } from './students-csv';
import { readUpload, type UploadedFile } from './upload';
import { Conflict } from '../../errors';

/** Uploaded files → what they say, whatever the format (errors included, never thrown). */
export function incomingFromUpload(
	uploads: UploadedFile[],
	skippedClassIds: readonly string[] = []
): Incoming {
	const { source, errors } = readUpload(uploads);
	const empty: Incoming = {
		format: 'oneroster',
		people: [],
		classes: [],
		deactivateMissing: false,
		presentSourcedIds: new Set(),
		notInPods: 0,
		errors
	};
	if (!source) return empty;
	if (source.format === 'students-csv') {
		const { people, errors: found } = parseStudentsCsv(source.file, source.text);
		return { ...empty, format: 'students-csv', people, errors: found };
	}
	const { roster, errors: parseErrors } = parseOneRoster(source.files);
	const incoming = incomingFromOneRoster(roster, skippedClassIds);
	return { ...incoming, errors: [...parseErrors, ...incoming.errors] };
}

/** Three different pictures, chosen with a cryptographic random source. */
export function randomPictures(): Picture[] {
	const left = [...PICTURES];
	return Array.from({ length: PICTURE_PASSWORD_LENGTH }, () => left.splice(randomInt(left.length), 1)[0]);
}

export interface ImportResult {
	plan: RosterPlan;
	applied: boolean;
	counts: ReturnType<typeof countChanges>;
}

/**
 * Apply a plan in one transaction, or nothing at all: never while any error remains, and never
 * a plan other than the one previewed (`expectedFingerprint`). Picture passwords are hashed
 * before the transaction opens (~50 ms each), then the plan is made again inside it, so what
 * is written is exactly what was checked.
 */
export async function applyImport(
	db: Kysely<Database>,
	input: {
		podId: string;
		incoming: Incoming;
		actorId: string | null;
		/** An admin may change people of other pods; a lead's plan refuses them. */
		actor: ImportActor;
		via: string;
		expectedFingerprint?: string;
	}
): Promise<ImportResult> {
	const plan = await planImport(db, input.podId, input.incoming, input.actor);
	const counts = countChanges(plan.changes);
	if (plan.errors.length || plan.changes.length === 0) return { plan, applied: false, counts };
	if (input.expectedFingerprint && input.expectedFingerprint !== plan.fingerprint)
		throw changedSincePreview();

	// Every new student gets their own three pictures; the sign-in cards hand them out.
	const newStudents = plan.changes.filter((c) => c.action === 'add' && c.kind === 'student').length;
	const pictureHashes = await Promise.all(
		Array.from({ length: newStudents }, () => hashSecret(pictureSecret(randomPictures())))
	);

	const now = new Date();
	await auditedWrite(
		{ db, user: input.actorId ? { id: input.actorId } : null, pod: { id: input.podId } },
		{ action: 'import', entity: 'roster', at: now },
		async (trx, record) => {
			const again = await planImport(trx, input.podId, input.incoming, input.actor);
			if (again.fingerprint !== plan.fingerprint) throw changedSincePreview();
			// A copy each run: PostgreSQL may run this again after a deadlock, and each run needs them all.
			const unusedPictures = [...pictureHashes];
			const people: Omit<AuditEntry, 'actorId'>[] = [];
			for (const change of plan.changes) {
				let userId = change.userId;
				if (userId === null) {
					userId = newId();
					await trx
						.insertInto('users')
						.values({
							id: userId,
							kind: change.kind,
							given_name: change.user.given_name!,
							family_name: change.user.family_name!,
							email: change.user.email ?? null,
							password_hash: null,
							picture_password_hash: change.kind === 'student' ? unusedPictures.pop()! : null,
							status: 'active',
							source_id: change.user.source_id ?? null,
							created_at: isoNow(now)
						})
						.execute();
				} else if (Object.keys(change.user).length) {
					await trx.updateTable('users').set(change.user).where('id', '=', userId).execute();
				}
				if (change.membership?.exists) {
					await trx
						.updateTable('pod_students')
						.set({ grade_level: change.membership.grade_level, cohort: change.membership.cohort })
						.where('pod_id', '=', input.podId)
						.where('user_id', '=', userId)
						.execute();
				} else if (change.membership) {
					await trx
						.insertInto('pod_students')
						.values({
							pod_id: input.podId,
							user_id: userId,
							grade_level: change.membership.grade_level,
							cohort: change.membership.cohort
						})
						.execute();
				}
				if (change.joinsTeam) {
					await trx
						.insertInto('pod_staff')
						.values({ pod_id: input.podId, user_id: userId, role: 'teacher' })
						.execute();
				}
				// Which fields changed, never their values: the audit log keeps no names.
				const fields = [
					...Object.keys(change.user),
					...(change.membership ? ['grade_level', 'cohort'] : []),
					...(change.joinsTeam ? ['pod_staff'] : [])
				];
				// Every pod the person is in keeps the entry: its lead reads what happened to its people.
				for (const podId of [input.podId, ...change.otherPods.map((pod) => pod.id)]) {
					people.push({
						podId,
						action: change.action === 'add' ? 'create' : change.action,
						entity: 'user',
						entityId: userId,
						detail: {
							via: input.via,
							kind: change.kind,
							fields,
							...(podId === input.podId ? {} : { importedInto: input.podId })
						}
					});
				}
			}
			await record(input.podId, 'roster.changed', { ...counts });
			// Deactivated people are signed out on every device; their live boards and pages end at commit.
			const deactivated = plan.changes.flatMap((change) =>
				change.user.status === 'inactive' && change.userId ? [change.userId] : []
			);
			await endSessionsOf(trx, deactivated);
			// The other pods' boards show these people too: they read their roster again.
			const otherPods = new Set(plan.changes.flatMap((change) => change.otherPods.map((pod) => pod.id)));
			for (const podId of otherPods) await record(podId, 'roster.changed', { importedInto: input.podId });
			return people;
		},
		(people) => ({ detail: { via: input.via, format: plan.format, ...counts }, also: people })
	);
	return { plan, applied: true, counts };
}

function changedSincePreview() {
	return new Conflict(
		"The pod's roster changed since this preview. Look at the new preview, then apply again."
	);
}

export type { RosterError };
