import { z } from 'zod';
import { auditedWrite } from '../audit/log';
import { getPodEventBus } from '../live/app-bus';
import { podLeadProcedure, router } from '../trpc/procedures';
import { podCards, prepareCards, requirePodStudents, storeCards, voidCard } from './cards';

const studentId = z.uuid({ error: 'studentId must be a student id' });
// A pod holds 50–80 students; the limit keeps one request's picture hashing bounded.
const MAX_CARDS_AT_ONCE = 120;

// Audit entries name the cards and students; never a token or a picture.
const ENTITY = 'sign_in_card';

export const cardsRouter = router({
	/** Every student of the pod with their working card's pictures (never its link). */
	list: podLeadProcedure.query(({ ctx }) => podCards(ctx.db, ctx.pod.id)),

	/**
	 * New cards for these students: new pictures (their new picture password) and a new link;
	 * each student's old card stops working. The answer carries the links and QR codes, once.
	 */
	issue: podLeadProcedure
		.input(
			z.object({
				studentIds: z
					.array(studentId)
					.min(1, { error: 'Choose at least one student' })
					.max(MAX_CARDS_AT_ONCE, { error: `Make at most ${MAX_CARDS_AT_ONCE} cards at once` })
					.refine((ids) => new Set(ids).size === ids.length, { error: 'Each student once' })
			})
		)
		.mutation(async ({ ctx, input }) => {
			await requirePodStudents(ctx.db, ctx.pod.id, input.studentIds);
			// scrypt is slow on purpose: hash before the transaction opens.
			const prepared = await prepareCards(input.studentIds);
			return auditedWrite(
				ctx,
				{ action: 'issue', entity: ENTITY },
				async (trx, record) => {
					const made = await storeCards(trx, { podId: ctx.pod.id, actorId: ctx.user.id, prepared });
					// A new card unlocks its student: the board's Sign-in locked list hears it.
					await record(ctx.pod.id, 'signIn.unlocked', { unlockedStudentIds: input.studentIds });
					return made;
				},
				(made) => ({
					entityId: made.length === 1 ? made[0].card.id : null,
					detail: { cards: made.map(({ card, studentId }) => ({ cardId: card.id, studentId })) }
				})
			);
		}),

	/** The card stops working, link and pictures both, and the student is signed out. */
	void: podLeadProcedure.input(z.object({ studentId })).mutation(async ({ ctx, input }) => {
		await requirePodStudents(ctx.db, ctx.pod.id, [input.studentId]);
		const { cardId, endedSessions } = await auditedWrite(
			ctx,
			{ action: 'void', entity: ENTITY },
			(trx) => voidCard(trx, { podId: ctx.pod.id, studentId: input.studentId, actorId: ctx.user.id }),
			(result) => ({
				entityId: result.cardId,
				detail: { studentId: input.studentId, sessionsEnded: result.endedSessions.length }
			})
		);
		for (const tokenHash of endedSessions) await getPodEventBus().sessionEnded(tokenHash);
		return { cardId };
	})
});
