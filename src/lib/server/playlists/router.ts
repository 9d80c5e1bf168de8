import { z } from 'zod';
import { podStaffProcedure, podTeacherProcedure, router, studentProcedure } from '../trpc/procedures';
import { latestSeq } from '../live/log';
import { bulkAssign, planBulkAssign } from './bulk';
import { playlistCandidates } from './candidates';
import { addToPlaylist, removeFromPlaylist, reorderPlaylist, updatePlaylistItem } from './editing';
import { addInput, bulkInput, removeInput, reorderInput, updateInput } from './inputs';
import { myPlaylistLive } from './live';
import { playlistFor } from './queries';

export const playlistsRouter = router({
	/** The signed-in student's own playlist: the student comes from the session, never the input. */
	mine: studentProcedure.query(async ({ ctx }) => {
		// Read before the playlist: a live stream resuming from here misses nothing in between.
		const asOfSeq = await latestSeq(ctx.db, ctx.student.podId);
		return { ...(await playlistFor(ctx.db, ctx.student.podId, ctx.student.id)), asOfSeq };
	}),
	/** The student's page follows changes to their playlist here (see live.ts). */
	live: myPlaylistLive,
	forStudent: podStaffProcedure
		.input(z.object({ studentId: z.uuid({ error: 'studentId must be a student id' }) }))
		.query(({ ctx, input }) => playlistFor(ctx.db, ctx.pod.id, input.studentId)),

	// The team edits playlists (editing.ts, bulk.ts): one audited write each, with a
	// 'playlist.changed' event naming the students whose playlists changed.
	candidates: podTeacherProcedure.query(({ ctx }) => playlistCandidates(ctx.db, ctx.pod)),
	add: podTeacherProcedure.input(addInput).mutation(({ ctx, input }) => addToPlaylist(ctx, input)),
	remove: podTeacherProcedure.input(removeInput).mutation(({ ctx, input }) => removeFromPlaylist(ctx, input)),
	reorder: podTeacherProcedure.input(reorderInput).mutation(({ ctx, input }) => reorderPlaylist(ctx, input)),
	update: podTeacherProcedure.input(updateInput).mutation(({ ctx, input }) => updatePlaylistItem(ctx, input)),
	/** The same plan bulkAssign would carry out, without writing anything. */
	bulkPreview: podTeacherProcedure
		.input(bulkInput)
		.query(async ({ ctx, input }) => (await planBulkAssign(ctx.db, ctx.pod.id, input)).summary),
	bulkAssign: podTeacherProcedure.input(bulkInput).mutation(({ ctx, input }) => bulkAssign(ctx, input))
});
