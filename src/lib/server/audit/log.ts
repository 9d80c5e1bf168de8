import type { Kysely, Transaction } from 'kysely';
import type { Database, Db } from '../db';
import { writeWithEvents, type RecordPodEvent } from '../live/log';
import { isoNow, newId } from '../ids';

export interface AuditEntry {
	actorId: string | null;
	podId?: string | null;
	action: string;
	entity: string;
	entityId?: string | null;
	/** What changed; never a password, token or picture password. */
	detail?: Record<string, unknown>;
}

/** Who did what to which record, when: written only by auditedWrite (and recordRead, for reads). */
async function audit(db: Db, entry: AuditEntry, now = new Date()): Promise<void> {
	await db
		.insertInto('audit_log')
		.values({
			id: newId(),
			at: isoNow(now),
			actor_id: entry.actorId,
			pod_id: entry.podId ?? null,
			action: entry.action,
			entity: entry.entity,
			entity_id: entry.entityId ?? null,
			detail: JSON.stringify(entry.detail ?? {})
		})
		.execute();
}

/**
 * A student's whole record was read: who looked, at whom, from where. Children's records are
 * read by a few people for a reason; the log lets the lead see that it stays that way.
 */
export function recordRead(
	ctx: { db: Db; user: { id: string }; pod: { id: string } },
	studentId: string,
	where: string
): Promise<void> {
	return audit(ctx.db, {
		actorId: ctx.user.id,
		podId: ctx.pod.id,
		action: 'read',
		entity: 'student',
		entityId: studentId,
		detail: { in: where }
	});
}

/** Who makes a change, and in which pod: a procedure's ctx is one; a script acts as nobody, in no pod. */
export interface Writer {
	db: Kysely<Database>;
	user: { id: string } | null;
	pod: { id: string } | null;
}

/** What is done, to which kind of record; `at` when the caller keeps its own clock. */
export interface AuditedAction {
	action: string;
	entity: string;
	at?: Date;
}

/** Which record the entry is about and what changed, told from what the work answered. */
export interface AuditParticulars extends Pick<AuditEntry, 'entityId' | 'detail'> {
	/** More entries the same change makes, by the same writer (a roster import's, one per person). */
	also?: Omit<AuditEntry, 'actorId'>[];
}

/**
 * The one way to make an audited change: one write transaction that records its pod events
 * (published after the commit, see writeWithEvents) and the audit entry of who did it, in the
 * same transaction. `describe` tells the entry from what the work answered; null when nothing
 * changed, and then nothing is logged.
 */
export function auditedWrite<T>(
	by: Writer,
	what: AuditedAction,
	work: (trx: Transaction<Database>, record: RecordPodEvent) => Promise<T>,
	describe: (result: T) => AuditParticulars | null = () => ({})
): Promise<T> {
	return writeWithEvents(by.db, async (trx, record) => {
		const result = await work(trx, record);
		const particulars = describe(result);
		if (particulars) {
			const { also = [], ...about } = particulars;
			const entry = { podId: by.pod?.id ?? null, action: what.action, entity: what.entity, ...about };
			for (const each of [entry, ...also])
				await audit(trx, { actorId: by.user?.id ?? null, ...each }, what.at);
		}
		return result;
	});
}
