import { randomUUID } from 'node:crypto';
import { USUAL_WEEK } from '../../src/lib/pods/school-week';
import { isoNow } from '../../src/lib/server/ids';
import type { TestPod } from './pod';

let made = 0;

/** The school Pod North is in. */
export async function schoolOf(pod: TestPod, podId = pod.podId): Promise<string> {
	const { school_id } = await pod.db
		.selectFrom('pods')
		.select('school_id')
		.where('id', '=', podId)
		.executeTakeFirstOrThrow();
	return school_id;
}

/** A new school with a name of its own, for a test to rename or fill. */
export async function freshSchool(pod: TestPod, name = `Fresh School ${++made}`): Promise<string> {
	const id = randomUUID();
	await pod.db.insertInto('schools').values({ id, name, source_id: null, created_at: isoNow() }).execute();
	return id;
}

/**
 * A new empty pod in Pod North's school (or the one given), for one test to edit, archive or
 * restore; archived when asked. Its code is made of letters no real code uses (lowercase).
 */
export async function freshPod(
	pod: TestPod,
	{ schoolId, archived = false }: { schoolId?: string; archived?: boolean } = {}
): Promise<{ id: string; name: string; joinCode: string }> {
	const id = randomUUID();
	const name = `Fresh Pod ${++made}`;
	const joinCode = `fresh${made}`;
	await pod.db
		.insertInto('pods')
		.values({
			id,
			school_id: schoolId ?? (await schoolOf(pod)),
			name,
			grade_low: 4,
			grade_high: 6,
			join_code: joinCode,
			timezone: 'America/New_York',
			school_week: JSON.stringify(USUAL_WEEK),
			students_per_adult: 20,
			flag_thresholds: '{}',
			archived_at: archived ? isoNow() : null,
			created_at: isoNow()
		})
		.execute();
	return { id, name, joinCode };
}
