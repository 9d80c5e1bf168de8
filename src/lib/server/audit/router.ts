import { z } from 'zod';
import { auditSentence } from '../../audit/sentences';
import { fullNameOf } from '../people';
import { auditNames } from './names';
import { podLeadProcedure, router } from '../trpc/procedures';

const word = (what: string) =>
	z
		.string({ error: `${what} is a word from the list` })
		.regex(/^[a-zA-Z_]{1,40}$/, { error: `${what} is a word from the list` });

/** Entries about a person name them, from the account, never from the entry itself. */
const PEOPLE = ['student', 'user'];

export const auditRouter = router({
	/**
	 * Who changed what in the pod, and when, newest first; filtered by action, record kind or
	 * person, and paged with `before` (the time of the last entry shown).
	 */
	list: podLeadProcedure
		.input(
			z.object({
				action: word('The action').nullish(),
				entity: word('The kind of record').nullish(),
				actorId: z.uuid({ error: 'actorId must be a person’s id' }).nullish(),
				before: z.iso.datetime({ error: 'before is a date and time like 2026-11-23T10:15:00Z' }).nullish(),
				limit: z
					.number({ error: 'limit is a number of entries' })
					.int({ error: 'limit is a whole number' })
					.min(1, { error: 'limit is between 1 and 500' })
					.max(500, { error: 'limit is between 1 and 500' })
					.default(100)
			})
		)
		.query(async ({ ctx, input }) => {
			const [entries, kinds] = await Promise.all([
				ctx.db
					.selectFrom('audit_log')
					.leftJoin('users', 'users.id', 'audit_log.actor_id')
					// Whose record it was, when the record is a person: "read student" alone says too little.
					.leftJoin('users as subject', (join) =>
						join.onRef('subject.id', '=', 'audit_log.entity_id').on('audit_log.entity', 'in', PEOPLE)
					)
					.select([
						'audit_log.id',
						'audit_log.at',
						'audit_log.actor_id',
						fullNameOf('users').as('actor_name'),
						fullNameOf('subject').as('subject_name'),
						'audit_log.action',
						'audit_log.entity',
						'audit_log.entity_id',
						'audit_log.detail'
					])
					.where('audit_log.pod_id', '=', ctx.pod.id)
					.$if(Boolean(input.action), (q) => q.where('audit_log.action', '=', input.action!))
					.$if(Boolean(input.entity), (q) => q.where('audit_log.entity', '=', input.entity!))
					.$if(Boolean(input.actorId), (q) => q.where('audit_log.actor_id', '=', input.actorId!))
					.$if(Boolean(input.before), (q) => q.where('audit_log.at', '<', input.before!))
					.orderBy('audit_log.at', 'desc')
					.limit(input.limit)
					.execute(),
				ctx.db
					.selectFrom('audit_log')
					.select(['action', 'entity'])
					.distinct()
					.where('pod_id', '=', ctx.pod.id)
					.execute()
			]);
			const parsed = entries.map((e) => ({ ...e, detail: JSON.parse(e.detail) as Record<string, unknown> }));
			const names = await auditNames(ctx.db, parsed);
			return {
				entries: parsed.map((e) => {
					const entry = {
						id: e.id,
						at: e.at,
						actorId: e.actor_id,
						// An account since deleted (or a student erased) leaves no name behind.
						actor: e.actor_name ?? (e.actor_id ? 'A former account' : 'Podboard'),
						action: e.action,
						entity: e.entity,
						entityId: e.entity_id,
						/** The person the entry is about (a student read or changed), while they have a name. */
						subject: e.subject_name,
						detail: e.detail
					};
					/** What happened, in one sentence with names: what the page shows. */
					return { ...entry, sentence: auditSentence(entry, names) };
				}),
				actions: [...new Set(kinds.map((k) => k.action))].sort(),
				entities: [...new Set(kinds.map((k) => k.entity))].sort()
			};
		})
});
