import type { Db } from '../db';
import { fullNameOf } from '../people';

// The names behind the ids an audit entry keeps: the log stores ids (a name may change or be
// erased), and its reader says them as they are now, so the lead reads sentences, not ids.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every id an entry mentions: its record's, and the people, pods and activities in its detail. */
function idsOf(entry: { entity_id: string | null; detail: Record<string, unknown> }): string[] {
	const { detail } = entry;
	const cards = Array.isArray(detail.cards) ? (detail.cards as { studentId?: unknown }[]) : [];
	const studentIds = Array.isArray(detail.studentIds) ? detail.studentIds : [];
	return [
		entry.entity_id,
		detail.studentId,
		detail.teacherId,
		detail.activityId,
		detail.to,
		detail.from,
		studentIds.length === 1 ? studentIds[0] : null,
		cards.length === 1 ? cards[0].studentId : null
	].filter((id): id is string => typeof id === 'string' && UUID.test(id));
}

/** Names by id for these entries: people, pods, groups, activities, skills, flags, hands, items. */
export async function auditNames(
	db: Db,
	entries: readonly { entity_id: string | null; detail: Record<string, unknown> }[]
): Promise<Record<string, string>> {
	const ids = [...new Set(entries.flatMap(idsOf))];
	if (!ids.length) return {};
	const [people, pods, groups, activities, skills, flags, hands, items] = await Promise.all([
		db
			.selectFrom('users')
			.select(['id', fullNameOf('users').as('name')])
			.where('id', 'in', ids)
			.execute(),
		db.selectFrom('pods').select(['id', 'name']).where('id', 'in', ids).execute(),
		db.selectFrom('intervention_groups').select(['id', 'title as name']).where('id', 'in', ids).execute(),
		db.selectFrom('activities').select(['id', 'title as name']).where('id', 'in', ids).execute(),
		db.selectFrom('skills').select(['id', 'code as name']).where('id', 'in', ids).execute(),
		db
			.selectFrom('flags')
			.innerJoin('users', 'users.id', 'flags.student_id')
			.select(['flags.id', fullNameOf('users').as('name')])
			.where('flags.id', 'in', ids)
			.execute(),
		db
			.selectFrom('help_requests')
			.innerJoin('users', 'users.id', 'help_requests.student_id')
			.select(['help_requests.id', fullNameOf('users').as('name')])
			.where('help_requests.id', 'in', ids)
			.execute(),
		db
			.selectFrom('assignments')
			.innerJoin('users', 'users.id', 'assignments.student_id')
			.innerJoin('activities', 'activities.id', 'assignments.activity_id')
			.select(['assignments.id', fullNameOf('users').as('student'), 'activities.title'])
			.where('assignments.id', 'in', ids)
			.execute()
	]);
	return Object.fromEntries([
		...[...people, ...pods, ...groups, ...activities, ...skills, ...flags, ...hands].map(
			(row) => [row.id, row.name] as const
		),
		...items.map(
			(row) => [row.id, `${row.student}’${row.student.endsWith('s') ? '' : 's'} ${row.title}`] as const
		)
	]);
}
