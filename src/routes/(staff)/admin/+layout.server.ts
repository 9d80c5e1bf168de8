import { error } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

// The (staff) layout has already sent anyone signed out to /login and refused students.
export const load: LayoutServerLoad = ({ locals }) => {
	if (!locals.session?.user.isAdmin) {
		error(403, {
			message: "The admin area is for your school's Podboard admin. Your pods are on the My pods page."
		});
	}
};
