import { z } from 'zod';
import { Invalid } from '../errors';
import { podLeadProcedure, router } from '../trpc/procedures';
import { applyImport, incomingFromUpload } from './oneroster/apply';
import { describeRosterError } from './oneroster/csv';
import { countChanges, planImport, type RosterPlan } from './oneroster/plan';
import type { UploadedFile } from './oneroster/upload';

// Files travel inside the JSON body: CSV as text, a zip as base64. The production server takes
// bodies up to BODY_SIZE_LIMIT (512 KB unless set), which holds a zip of thousands of users;
// larger imports run with `npm run roster:import`.
const MAX_FILE_CHARS = 4_000_000;

const uploadInput = z.object({
	files: z
		.array(
			z.object({
				name: z.string().trim().min(1, { error: 'Each file needs its name' }).max(200),
				encoding: z.enum(['text', 'base64'], { error: "encoding is 'text' or 'base64'" }),
				content: z.string().max(MAX_FILE_CHARS, { error: 'A file this big is for npm run roster:import' })
			})
		)
		.min(1, { error: 'Choose a .zip or the .csv files to import' })
		.max(12, { error: 'Upload at most 12 files: the OneRoster ones, or one .zip' })
		.refine(
			(files) => files.every((f) => f.encoding === 'text' || /^[A-Za-z0-9+/]*={0,2}$/.test(f.content)),
			{
				error: 'A base64 file is not valid base64'
			}
		),
	/** Classes of classes.csv to leave out of this pod, by sourcedId. */
	skipClasses: z.array(z.string().min(1).max(255)).max(500).default([]),
	/** The preview's fingerprint: apply refuses when the plan has changed since. */
	fingerprint: z
		.string()
		.regex(/^[0-9a-f]{64}$/, { error: 'fingerprint must be the one the preview gave' })
		.optional()
});

const uploaded = (files: z.infer<typeof uploadInput>['files']): UploadedFile[] =>
	files.map((file) => ({
		name: file.name,
		bytes:
			file.encoding === 'base64'
				? new Uint8Array(Buffer.from(file.content, 'base64'))
				: new TextEncoder().encode(file.content)
	}));

/** What the page shows: the plan, its counts, and each error also as one sentence. */
const preview = (plan: RosterPlan) => ({
	...plan,
	counts: countChanges(plan.changes),
	errors: plan.errors.map((error) => ({ ...error, text: describeRosterError(error) }))
});

export const rosterImportRouter = router({
	/** What an import would change in this pod, and every problem in its files. Writes nothing. */
	preview: podLeadProcedure.input(uploadInput).mutation(async ({ ctx, input }) => {
		const incoming = incomingFromUpload(uploaded(input.files), input.skipClasses);
		return preview(await planImport(ctx.db, ctx.pod.id, incoming, { isAdmin: ctx.user.isAdmin }));
	}),

	/** The same import, in one transaction — or, while any error remains, nothing. */
	// Not `apply`: tRPC reserves that name.
	commit: podLeadProcedure.input(uploadInput).mutation(async ({ ctx, input }) => {
		const result = await applyImport(ctx.db, {
			podId: ctx.pod.id,
			incoming: incomingFromUpload(uploaded(input.files), input.skipClasses),
			actorId: ctx.user.id,
			actor: { isAdmin: ctx.user.isAdmin },
			via: 'roster import page',
			expectedFingerprint: input.fingerprint
		});
		const { errors } = result.plan;
		if (errors.length) {
			const shown = errors.slice(0, 5).map(describeRosterError).join('; ');
			throw new Invalid(
				`Nothing was imported: the files have ${errors.length} problem${errors.length > 1 ? 's' : ''}. ${shown}${errors.length > 5 ? '; …' : ''}`
			);
		}
		return { applied: result.applied, ...preview(result.plan) };
	})
});
