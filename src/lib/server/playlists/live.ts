import { tracked } from '@trpc/server';
import { z } from 'zod';
import { podEventBus } from '../live/bus';
import { podEventStream } from '../live/stream';
import { studentProcedure } from '../trpc/procedures';

/** Pod events that change what a student's page shows: theirs alone, never a classmate's. */
export function concernsStudent(payload: Record<string, unknown>, studentId: string): boolean {
	return Array.isArray(payload.studentIds) && payload.studentIds.includes(studentId);
}

/**
 * The signed-in student's page listens here: each message says "your playlist changed" (and
 * how), numbered by the pod's event log so a reconnect resumes with `lastEventId`.
 */
export const myPlaylistLive = studentProcedure
	.input(
		z
			.object({
				lastEventId: z
					.string()
					.regex(/^\d{1,15}$/, { error: 'lastEventId is a number' })
					.nullish()
			})
			.optional()
	)
	.subscription(async function* ({ ctx, input, signal }) {
		const stream = podEventStream({
			db: ctx.db,
			bus: podEventBus,
			podId: ctx.student.podId,
			lastSeq: input?.lastEventId ? Number(input.lastEventId) : null,
			signal,
			accept: (event) => concernsStudent(event.payload, ctx.student.id)
		});
		for await (const event of stream) {
			yield tracked(String(event.seq), { kind: event.kind, at: event.at });
		}
	});
