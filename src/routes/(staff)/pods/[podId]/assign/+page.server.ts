import { callerFor, orErrorPage } from '$lib/server/trpc/caller';
import { FLAG_RULES } from '$lib/server/db/schema';
import type { PageServerLoad } from './$types';

// A board can link here with a choice made: ?activity=…&activity=…&finished=… (or grade=5,
// cohort=Maple, group=…, flag=stuck or flag=any, student=…). Whatever is unknown is ignored.
export const load: PageServerLoad = async (event) => {
	const podId = event.params.podId;
	const candidates = await orErrorPage(callerFor(event).playlists.candidates({ podId }));
	const params = event.url.searchParams;
	const activities = new Set(candidates.activities.map((a) => a.id));
	const students = new Set(candidates.students.map((s) => s.id));
	const groups = new Set(candidates.groups.map((g) => g.id));
	const flag = params.get('flag');

	return {
		candidates,
		preselect: {
			activityIds: params.getAll('activity').filter((id) => activities.has(id)),
			finishedId: activities.has(params.get('finished') ?? '') ? params.get('finished') : null,
			grades: params
				.getAll('grade')
				.map(Number)
				.filter((grade) => candidates.grades.some((g) => g.grade === grade)),
			cohorts: params
				.getAll('cohort')
				.filter((cohort) => candidates.cohorts.some((c) => c.cohort === cohort)),
			groupId: groups.has(params.get('group') ?? '') ? params.get('group') : null,
			flagRule: flag === 'any' ? ('any' as const) : (FLAG_RULES.find((rule) => rule === flag) ?? null),
			studentIds: params.getAll('student').filter((id) => students.has(id))
		}
	};
};
