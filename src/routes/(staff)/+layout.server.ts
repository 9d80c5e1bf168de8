import { error, redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, url }) => {
	if (!locals.session) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	if (locals.session.user.kind !== 'staff') {
		error(403, {
			message: 'This page is for the teachers of a pod. Your own playlist is on the My playlist page.'
		});
	}
};
