import { lastEventIdInput, trackedPodEvents } from '../live/stream';
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
	.input(lastEventIdInput)
	.subscription(({ ctx, input, signal }) =>
		trackedPodEvents({
			db: ctx.db,
			session: ctx.session,
			podId: ctx.student.podId,
			lastEventId: input?.lastEventId,
			signal,
			accept: (event) => concernsStudent(event.payload, ctx.student.id),
			toMessage: ({ kind, at }) => ({ kind, at })
		})
	);
