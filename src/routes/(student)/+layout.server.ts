import { error, redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => {
	if (!locals.session) redirect(303, '/join');
	if (locals.session.user.kind !== 'student') {
		error(403, {
			message: 'This page is a student’s own playlist. Staff see students from the pod dashboard.'
		});
	}
};
