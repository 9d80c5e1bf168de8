import { callerFor, orErrorPage } from '$lib/server/trpc/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const api = callerFor(event);
	const podId = event.params.podId;
	const grade = event.url.searchParams.get('grade');
	const cohort = event.url.searchParams.get('cohort');
	const filter = {
		grade: grade !== null && grade !== '' && Number.isInteger(Number(grade)) ? Number(grade) : undefined,
		cohort: cohort || undefined
	};
	const [overview, report] = await orErrorPage(
		Promise.all([api.pods.overview({ podId }), api.mastery.report({ podId, ...filter })])
	);
	return { pod: { id: overview.id, name: overview.name }, filter, report };
};
