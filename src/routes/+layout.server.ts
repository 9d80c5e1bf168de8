import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => {
	const session = locals.session;
	return {
		me: session
			? {
					kind: session.user.kind,
					name: `${session.user.given_name} ${session.user.family_name}`,
					givenName: session.user.given_name,
					email: session.user.email,
					isAdmin: session.user.isAdmin
				}
			: null
	};
};
