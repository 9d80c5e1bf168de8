import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { studentOfPod, studentsOfPod } from '../../src/lib/server/pods/students';
import { createTestPod, type TestPod } from '../support/pod';
import { freshStudent } from '../support/students';

// The one "is this a student of this pod?" query that playlists, flags, groups, cards, a
// student's data, sign-in and unlocking all ask.

let pod: TestPod;
beforeAll(async () => {
	pod = await createTestPod();
});
afterAll(() => pod.db.destroy());

describe('a student of this pod', () => {
	it('is found by id, with their name, grade and cohort in this pod', async () => {
		const { id, name } = await freshStudent(pod, { givenName: 'Ada', familyName: 'Lovelace' });
		expect(name).toBe('Ada Lovelace');
		expect(await studentOfPod(pod.db, pod.podId, id)).toEqual({
			id,
			givenName: 'Ada',
			familyName: 'Lovelace',
			name: 'Ada Lovelace',
			grade: 5,
			cohort: 'Fresh',
			active: true
		});
	});

	it('is not found from another pod, and a teacher of the pod is no student of it', async () => {
		expect(await studentOfPod(pod.db, pod.otherPodId, pod.users.student)).toBeUndefined();
		expect(await studentOfPod(pod.db, pod.podId, pod.users.teacher)).toBeUndefined();
		expect(await studentOfPod(pod.db, pod.podId, '00000000-0000-4000-8000-000000000000')).toBeUndefined();
	});

	it('is found when deactivated, unless only active students are asked for', async () => {
		const { id } = await freshStudent(pod);
		await pod.db.updateTable('users').set({ status: 'inactive' }).where('id', '=', id).execute();
		expect((await studentOfPod(pod.db, pod.podId, id))?.active).toBe(false);
		expect(await studentOfPod(pod.db, pod.podId, id, { activeOnly: true })).toBeUndefined();
	});
});

describe('students of this pod', () => {
	it('are those among the ids who are in it, each once, whatever else was named', async () => {
		const found = await studentsOfPod(pod.db, pod.podId, [
			pod.users.student,
			pod.classmateId,
			pod.users.student,
			pod.users.lead
		]);
		expect(found.map((s) => s.id).sort()).toEqual([pod.users.student, pod.classmateId].sort());
		expect(await studentsOfPod(pod.db, pod.otherPodId, [pod.users.student])).toEqual([]);
		expect(await studentsOfPod(pod.db, pod.podId, [])).toEqual([]);
	});

	it('are all of them when asked for all, and only the active ones when asked so', async () => {
		const { id } = await freshStudent(pod);
		await pod.db.updateTable('users').set({ status: 'inactive' }).where('id', '=', id).execute();
		const enrolled = await pod.db
			.selectFrom('pod_students')
			.select('user_id')
			.where('pod_id', '=', pod.podId)
			.execute();
		const all = await studentsOfPod(pod.db, pod.podId, 'all');
		expect(all.map((s) => s.id).sort()).toEqual(enrolled.map((row) => row.user_id).sort());
		const active = await studentsOfPod(pod.db, pod.podId, 'all', { activeOnly: true });
		expect(active.map((s) => s.id)).not.toContain(id);
		expect(active.length).toBe(all.filter((s) => s.active).length);
	});
});
