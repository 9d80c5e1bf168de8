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

/** Who did what to which record, when. Write it in the transaction that made the change. */
export async function audit(db: Db, entry: AuditEntry, now = new Date()): Promise<void> {
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

/**
 * The shape of most mutations: one write transaction that records its pod events (published
 * after the commit) and an audit entry of who did it, in the same transaction.
 */
export function auditedWrite<T>(
	ctx: { db: Kysely<Database>; user: { id: string }; pod: { id: string } },
	what: { action: string; entity: string },
	work: (trx: Transaction<Database>, record: RecordPodEvent) => Promise<T>,
	describe: (result: T) => Pick<AuditEntry, 'entityId' | 'detail'> = () => ({})
): Promise<T> {
	return writeWithEvents(ctx.db, async (trx, record) => {
		const result = await work(trx, record);
		await audit(trx, { actorId: ctx.user.id, podId: ctx.pod.id, ...what, ...describe(result) });
		return result;
	});
}
