import type { Db } from '../db';
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
