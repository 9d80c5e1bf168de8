import { filtersFromQuery } from '$lib/library/filters';
import { callerFor, orErrorPage } from '$lib/server/trpc/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const api = callerFor(event);
	const podId = event.params.podId;
	const filters = filtersFromQuery(event.url.searchParams);
	const [overview, skills, activities] = await orErrorPage(
		Promise.all([
			api.pods.overview({ podId }),
			api.library.skills({ podId }),
			api.library.activities({ podId, ...filters })
		])
	);
	const grades = overview.studentsByGrade.map((row) => row.grade);
	return {
		pod: {
			id: overview.id,
			name: overview.name,
			// A new activity starts out spanning the grades the pod's students are in.
			gradeLow: grades.length ? Math.min(...grades) : 0,
			gradeHigh: grades.length ? Math.max(...grades) : 12
		},
		filters,
		skills,
		activities
	};
};
