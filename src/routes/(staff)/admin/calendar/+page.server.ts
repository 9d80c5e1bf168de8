import { callerFor, orErrorPage } from '$lib/server/trpc/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const api = callerFor(event);
	const schools = (await api.schools.list()).map(({ id, name }) => ({ id, name }));
	// One school's calendar at a time: the one asked for, or the first.
	const asked = event.url.searchParams.get('school');
	const school = schools.find((s) => s.id === asked) ?? schools[0] ?? null;
	return {
		schools,
		calendar: school ? await orErrorPage(api.calendar.list({ schoolId: school.id })) : null
	};
};
