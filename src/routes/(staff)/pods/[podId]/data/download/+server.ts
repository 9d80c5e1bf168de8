import { error } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { callerFor } from '$lib/server/trpc/caller';
import { fileStem } from '$lib/server/exports/router';
import type { RequestHandler } from './$types';

// Downloads are a POST from a form on the data page, never a GET: each one writes an audit
// entry, and a GET must not change anything (a link preview or a prefetch would). SvelteKit
// refuses a form POST from another origin, and the procedures behind it decide who may.

const attachment = (body: string, filename: string, contentType: string) =>
	new Response(body, {
		headers: {
			'Content-Type': contentType,
			// An ASCII name for old clients, the exact one (RFC 6266) for the rest.
			'Content-Disposition': `attachment; filename="${filename.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
			'Cache-Control': 'no-store'
		}
	});

export const POST: RequestHandler = async (event) => {
	const api = callerFor(event);
	const podId = event.params.podId;
	const form = await event.request.formData();
	try {
		switch (form.get('what')) {
			case 'progress-csv': {
				const file = await api.exports.progressCsv({ podId });
				return attachment(file.body, file.filename, file.contentType);
			}
			case 'attendance-csv': {
				const file = await api.exports.attendanceCsv({ podId });
				return attachment(file.body, file.filename, file.contentType);
			}
			case 'progress-xapi': {
				const file = await api.exports.progressXapi({ podId });
				return attachment(file.body, file.filename, file.contentType);
			}
			case 'skills-csv': {
				const grade = form.get('grade');
				const cohort = form.get('cohort');
				const file = await api.mastery.reportCsv({
					podId,
					grade: grade ? Number(grade) : undefined,
					cohort: cohort ? String(cohort) : undefined
				});
				return attachment(file.body, file.filename, file.contentType);
			}
			case 'student': {
				const studentId = String(form.get('studentId') ?? '');
				const record = await api.studentData.everything({ podId, studentId });
				const { givenName, familyName } = record.profile;
				return attachment(
					JSON.stringify(record, null, 1),
					`${fileStem(`${givenName} ${familyName}`, 'data')}.json`,
					'application/json; charset=utf-8'
				);
			}
			default:
				error(400, { message: 'Choose what to download on the data page.' });
		}
	} catch (cause) {
		if (cause instanceof TRPCError) {
			error(getHTTPStatusCodeFromError(cause), { message: cause.message });
		}
		throw cause;
	}
};
