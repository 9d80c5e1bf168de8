import type { Db } from '../db';
import type { SessionUser } from '../auth/sessions';
import type { PodRole } from '../db/schema';
import { describeWeek } from '../../pods/school-week';
import { NotFound } from '../errors';
import { schoolWeekOf } from './clock';

export interface StaffPod {
	id: string;
	name: string;
	grades: string;
	role: PodRole | 'admin';
	studentCount: number;
}

/** The pods a staff member works in; a school admin sees every pod. */
export async function podsForStaff(db: Db, user: SessionUser): Promise<StaffPod[]> {
	const pods = await db
		.selectFrom('pods')
		.leftJoin('pod_staff', (join) =>
			join.onRef('pod_staff.pod_id', '=', 'pods.id').on('pod_staff.user_id', '=', user.id)
		)
		.select((eb) => [
			'pods.id',
			'pods.name',
			'pods.grade_low',
			'pods.grade_high',
			'pod_staff.role',
			eb
				.selectFrom('pod_students')
				.select((s) => s.fn.countAll<number>().as('n'))
				.whereRef('pod_students.pod_id', '=', 'pods.id')
				.as('studentCount')
		])
		.$if(!user.isAdmin, (qb) => qb.where('pod_staff.user_id', 'is not', null))
		// An archived pod is off every list; an admin finds it on the admin page.
		.where('pods.archived_at', 'is', null)
		.orderBy('pods.name')
		.execute();
	return pods.map((pod) => ({
		id: pod.id,
		name: pod.name,
		grades: gradeSpan(pod.grade_low, pod.grade_high),
		role: pod.role ?? 'admin',
		studentCount: Number(pod.studentCount ?? 0)
	}));
}

export const gradeSpan = (low: number, high: number): string =>
	low === high ? `Grade ${low}` : `Grades ${low}–${high}`;

/** The dashboard's header: the pod, its school and settings, its team, and who is in it. */
export async function podOverview(db: Db, podId: string) {
	const [pod, team, grades, activityCount] = await Promise.all([
		db
			.selectFrom('pods')
			.innerJoin('schools', 'schools.id', 'pods.school_id')
			.selectAll('pods')
			.select('schools.name as schoolName')
			.where('pods.id', '=', podId)
			.executeTakeFirst(),
		db
			.selectFrom('pod_staff')
			.innerJoin('users', 'users.id', 'pod_staff.user_id')
			.select(['users.id', 'users.given_name', 'users.family_name', 'users.email', 'pod_staff.role'])
			.where('pod_staff.pod_id', '=', podId)
			.orderBy('pod_staff.role')
			.orderBy('users.family_name')
			.execute(),
		db
			.selectFrom('pod_students')
			.select((eb) => ['grade_level', eb.fn.countAll<number>().as('n')])
			.where('pod_id', '=', podId)
			.groupBy('grade_level')
			.orderBy('grade_level')
			.execute(),
		db
			.selectFrom('activities')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('pod_id', '=', podId)
			.where('archived_at', 'is', null)
			.executeTakeFirstOrThrow()
	]);
	if (!pod) throw new NotFound('No pod has that id.');
	return {
		id: pod.id,
		name: pod.name,
		grades: gradeSpan(pod.grade_low, pod.grade_high),
		school: pod.schoolName,
		joinCode: pod.join_code,
		timeZone: pod.timezone,
		schoolWeek: describeWeek(schoolWeekOf(pod)),
		studentsPerAdult: pod.students_per_adult,
		archived: pod.archived_at !== null,
		team: team.map((member) => ({
			id: member.id,
			name: `${member.given_name} ${member.family_name}`,
			email: member.email,
			role: member.role
		})),
		studentCount: grades.reduce((sum, g) => sum + Number(g.n), 0),
		studentsByGrade: grades.map((g) => ({ grade: g.grade_level, count: Number(g.n) })),
		activityCount: Number(activityCount.n)
	};
}

export async function podRoster(db: Db, podId: string) {
	const students = await db
		.selectFrom('pod_students')
		.innerJoin('users', 'users.id', 'pod_students.user_id')
		.select([
			'users.id',
			'users.given_name',
			'users.family_name',
			'pod_students.grade_level',
			'pod_students.cohort'
		])
		.where('pod_students.pod_id', '=', podId)
		.where('users.status', '=', 'active')
		.orderBy('pod_students.grade_level')
		.orderBy('users.family_name')
		.orderBy('users.given_name')
		.execute();
	return students.map((s) => ({
		id: s.id,
		name: `${s.given_name} ${s.family_name}`,
		grade: s.grade_level,
		cohort: s.cohort
	}));
}
