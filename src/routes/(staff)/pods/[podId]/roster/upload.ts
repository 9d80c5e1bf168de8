// The roster import's files are read like any upload (src/lib/uploads.ts); its preview, from the API.
import type { trpc } from '$lib/trpc';

export { MAX_UPLOAD_CHARS, readChosenFiles, uploadSize, type FileForImport } from '$lib/uploads';
export type RosterPreview = Awaited<ReturnType<typeof trpc.rosterImport.preview.mutate>>;
