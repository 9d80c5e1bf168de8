// What an adult saw on the floor, recorded in two taps from the board: a quick mark, a short note,
// the skills it was about. Each is a contact with an adult (coverage.ts) and is read by the
// student's panel and the huddle.
import type { Transaction } from 'kysely';
import type { Database, Db } from '../db';
import type { ObservationMark } from '../db/schema';
import { Invalid, NotFound } from '../errors';
import { isoNow, newId } from '../ids';
import type { RecordPodEvent } from '../live/log';
import { fullNameOf } from '../people';
import { studentOfPod } from '../pods/students';
import { keepMastery } from '../mastery/mastery';
import { podRulesOf } from '../progress/record';

export interface Observation {
	id: string;
	studentId: string;
	studentName: string;
	mark: ObservationMark | null;
	note: string;
	skills: { id: string; code: string }[];
	by: string | null;
	at: string;
}

export async function recordObservation(
	trx: Transaction<Database>,
	input: {
		podId: string;
		studentId: string;
		byId: string;
		mark: ObservationMark | null;
		note: string;
		skillIds: readonly string[];
	},
	record: RecordPodEvent,
	now = new Date()
): Promise<{ id: string }> {
	if (input.mark === null && !input.note) {
		throw new Invalid('Choose a mark (got it, partly, not yet) or write a note.');
	}
	if (!(await studentOfPod(trx, input.podId, input.studentId))) {
		throw new NotFound('That student is not in this pod.');
	}
	const skillIds = [...new Set(input.skillIds)];
	if (skillIds.length) {
		const known = await trx
			.selectFrom('skills')
			.select('id')
			.where('pod_id', '=', input.podId)
			.where('id', 'in', skillIds)
			.execute();
		if (known.length !== skillIds.length) throw new NotFound('A skill named is not one of this pod’s.');
	}
	const id = newId();
	await trx
		.insertInto('observations')
		.values({
			id,
			pod_id: input.podId,
			student_id: input.studentId,
			observed_by: input.byId,
			mark: input.mark,
			note: input.note,
			skill_ids: JSON.stringify(skillIds),
			observed_at: isoNow(now)
		})
		.execute();
	// A mark on a skill is a teacher's evidence of it: the student's mastery is kept again.
	const evidence = input.mark !== null && skillIds.length > 0;
	if (evidence) await keepMastery(trx, await podRulesOf(trx, input.podId), [input.studentId], now);
	// About the student, for the team: their page hears nothing of it.
	await record(input.podId, 'observation.recorded', { studentIds: [], studentId: input.studentId, evidence });
	return { id };
}

/** The pod's observations, newest first: one student's, or everyone's since an instant. */
export async function podObservations(
	db: Db,
	podId: string,
	{ studentId, since, limit = 50 }: { studentId?: string; since?: string; limit?: number }
): Promise<Observation[]> {
	const [rows, skills] = await Promise.all([
		db
			.selectFrom('observations')
			.innerJoin('users as student', 'student.id', 'observations.student_id')
			.leftJoin('users as adult', 'adult.id', 'observations.observed_by')
			.select([
				'observations.id',
				'observations.student_id',
				fullNameOf('student').as('student_name'),
				'observations.mark',
				'observations.note',
				'observations.skill_ids',
				'observations.observed_at',
				fullNameOf('adult').as('by')
			])
			.where('observations.pod_id', '=', podId)
			.$if(studentId !== undefined, (q) => q.where('observations.student_id', '=', studentId!))
			.$if(since !== undefined, (q) => q.where('observations.observed_at', '>=', since!))
			.orderBy('observations.observed_at', 'desc')
			.limit(limit)
			.execute(),
		db.selectFrom('skills').select(['id', 'code']).where('pod_id', '=', podId).execute()
	]);
	const codeOf = new Map(skills.map((s) => [s.id, s.code]));
	return rows.map((r) => ({
		id: r.id,
		studentId: r.student_id,
		studentName: r.student_name,
		mark: r.mark,
		note: r.note,
		skills: (JSON.parse(r.skill_ids) as string[])
			.filter((id) => codeOf.has(id))
			.map((id) => ({ id, code: codeOf.get(id)! })),
		by: r.by,
		at: r.observed_at
	}));
}
