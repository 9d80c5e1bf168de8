// The virtual-instruction variant: the demo's remote teacher of record serves Pod North and Pod
// Ridge, at two schools; "Now" shows both as they are. She writes the day's note; the adults in the
// room read it and acknowledge it, and she sees who has.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../../src/lib/server/trpc/router';
import { createSession, resolveSession } from '../../src/lib/server/auth/sessions';
import { latestSeq } from '../../src/lib/server/live/log';
import { refusalOf } from '../support/outcomes';
import { callerAs, createTestPod, databaseDigest, type TestPod } from '../support/pod';

let pod: TestPod;
let remoteId: string;
beforeAll(async () => {
	pod = await createTestPod();
	remoteId = (
		await pod.db
			.selectFrom('users')
			.select('id')
			.where('email', '=', 'remote@demo.school')
			.executeTakeFirstOrThrow()
	).id;
});
afterAll(() => pod.db.destroy());

/** The API as the remote teacher of record calls it. */
async function remoteCaller() {
	const { token } = await createSession(pod.db, {
		userId: remoteId,
		podId: null,
		idleMinutes: 60,
		expiresAt: new Date(Date.now() + 3_600_000)
	});
	return createCaller({
		db: pod.db,
		session: await resolveSession(pod.db, token),
		address: '10.0.0.9',
		sessionCookie: { set: () => {}, clear: () => {} }
	});
}

describe('“My pods now”', () => {
	it('shows the remote teacher of record both her pods, at two schools, as they are', async () => {
		const pods = await (await remoteCaller()).team.now();
		expect(pods.map((p) => [p.name, p.school, p.role, p.teacherOfRecord, p.remote])).toEqual([
			['Pod North', 'Northside Demo School', 'teacher', true, true],
			['Pod Ridge', 'Ridgeway Rural School', 'lead', true, true]
		]);
		const [north, ridge] = pods;
		expect(north.attendance.counts.students).toBe(72);
		expect(ridge.attendance.counts.students).toBe(12);
		// Pod Ridge's playlists are not begun; Pod North has its history.
		expect(ridge).toMatchObject({ handsUp: 0, longestWaitSince: null, stuckStudents: 0, openFlags: 0 });
		expect(north.openFlags).toBeGreaterThan(0);
		expect(north.asOfSeq).toBe(await latestSeq(pod.db, pod.podId));
		expect(north.note).toBeNull();
	});

	it('shows a teacher of one pod only that pod', async () => {
		const pods = await (await callerAs(pod, 'teacher')).team.now();
		expect(pods.map((p) => p.name)).toEqual(['Pod North']);
	});
});

describe('the day’s note', () => {
	it('is written by the remote teacher, acknowledged by the adults in the room, and she sees who has', async () => {
		const remote = await remoteCaller();
		const seq = await latestSeq(pod.db, pod.podId);
		const note = (await remote.team.writeDayNote({
			podId: pod.podId,
			watchFor: 'Grade 5 mixing up numerators and denominators',
			checkOn: 'Abdi and Zoe: stuck on fractions yesterday',
			assessment: 'Quiz: fractions after lunch, on paper, 20 minutes'
		}))!;
		expect(note).toMatchObject({ writtenBy: 'Grace Adeyemi', acknowledged: [] });
		// The adults in the room read it; the remote teacher of record does not wait on herself.
		expect(note.waitingOn.map((w) => w.name)).toEqual([
			'Daniel Reyes',
			'Maya Okafor',
			'Priya Shah',
			'Rosa Delgado'
		]);

		const support = await callerAs(pod, 'support');
		const seen = (await support.team.dayNote({ podId: pod.podId }))!;
		expect(seen.checkOn).toBe('Abdi and Zoe: stuck on fractions yesterday');
		const read = (await support.team.acknowledgeDayNote({
			podId: pod.podId,
			noteId: seen.id,
			writtenAt: seen.writtenAt
		}))!;
		expect(read.acknowledged.map((a) => a.name)).toEqual(['Rosa Delgado']);
		expect(read.waitingOn.map((w) => w.name)).not.toContain('Rosa Delgado');
		// Twice is once.
		await support.team.acknowledgeDayNote({ podId: pod.podId, noteId: seen.id, writtenAt: seen.writtenAt });
		const [north] = await remote.team.now();
		expect(north.note).toEqual({
			acknowledgedBy: ['Rosa Delgado'],
			waitingOn: ['Daniel Reyes', 'Maya Okafor', 'Priya Shah']
		});
		const kinds = await pod.db
			.selectFrom('pod_events')
			.select('kind')
			.where('pod_id', '=', pod.podId)
			.where('seq', '>', seq)
			.execute();
		expect(kinds.map((k) => k.kind)).toEqual(['dayNote.changed', 'dayNote.changed']);
	});

	it('asks everyone to read it again once rewritten; an acknowledgement of the old words is refused', async () => {
		const remote = await remoteCaller();
		const support = await callerAs(pod, 'support');
		const old = (await support.team.dayNote({ podId: pod.podId }))!;
		const rewritten = (await remote.team.writeDayNote({
			podId: pod.podId,
			watchFor: old.watchFor,
			checkOn: old.checkOn,
			assessment: 'Quiz: fractions moved to tomorrow'
		}))!;
		expect(rewritten.acknowledged).toEqual([]);
		const before = await databaseDigest(pod.db);
		expect(
			await refusalOf(
				support.team.acknowledgeDayNote({ podId: pod.podId, noteId: old.id, writtenAt: old.writtenAt })
			)
		).toMatchObject({
			code: 'CONFLICT',
			message: 'The note was rewritten since you read it: read it again, then acknowledge.'
		});
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('stays in its pod: Pod South’s lead cannot acknowledge Pod North’s note through Pod South', async () => {
		const note = (await (await callerAs(pod, 'support')).team.dayNote({ podId: pod.podId }))!;
		const south = await callerAs(pod, 'otherPodTeacher');
		const before = await databaseDigest(pod.db);
		expect(
			await refusalOf(
				south.team.acknowledgeDayNote({ podId: pod.otherPodId, noteId: note.id, writtenAt: note.writtenAt })
			)
		).toMatchObject({ code: 'NOT_FOUND' });
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('may be written for a day ahead, not for one gone', async () => {
		const remote = await remoteCaller();
		const today = (await remote.team.now())[0].attendance.day;
		const ahead = new Date(`${today}T12:00:00Z`);
		ahead.setUTCDate(ahead.getUTCDate() + 1);
		const tomorrow = ahead.toISOString().slice(0, 10);
		const written = await remote.team.writeDayNote({
			podId: pod.podId,
			day: tomorrow,
			watchFor: 'A new unit: decimals',
			checkOn: '',
			assessment: ''
		});
		expect(written?.day).toBe(tomorrow);
		expect((await remote.team.dayNote({ podId: pod.podId }))?.watchFor).not.toBe('A new unit: decimals');
		expect(
			(
				await refusalOf(
					remote.team.writeDayNote({
						podId: pod.podId,
						day: '2020-01-06',
						watchFor: 'x',
						checkOn: '',
						assessment: ''
					})
				)
			).code
		).toBe('BAD_REQUEST');
	});
});

describe('a note written in the room', () => {
	it('counts its writer as having read it', async () => {
		const lead = await callerAs(pod, 'lead');
		const note = (await lead.team.writeDayNote({
			podId: pod.podId,
			watchFor: 'The fire drill at 10:40',
			checkOn: '',
			assessment: ''
		}))!;
		expect(note.acknowledged.map((a) => a.name)).toEqual(['Maya Okafor']);
		expect(note.waitingOn.map((w) => w.name)).not.toContain('Maya Okafor');
	});
});
