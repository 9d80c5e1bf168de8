import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulkTarget } from '../../src/lib/server/playlists/inputs';
import { isoNow, newId } from '../../src/lib/server/ids';
import { callerAs, createTestPod, databaseDigest, type TestPod } from '../support/pod';
import { refusalOf } from '../support/outcomes';

// The team edits playlists: one student at a time, and many at once.

type Caller = Awaited<ReturnType<typeof callerAs>>;

async function activityId(pod: TestPod, title: string): Promise<string> {
	const row = await pod.db
		.selectFrom('activities')
		.select('id')
		.where('pod_id', '=', pod.podId)
		.where('title', '=', title)
		.executeTakeFirstOrThrow();
	return row.id;
}

/** A new activity in a pod's library, archived if asked. */
async function insertActivity(
	pod: TestPod,
	options: { title: string; podId?: string; archived?: boolean }
): Promise<string> {
	const id = newId();
	await pod.db
		.insertInto('activities')
		.values({
			id,
			pod_id: options.podId ?? pod.podId,
			title: options.title,
			subject: 'math',
			kind: 'practice',
			grade_low: 4,
			grade_high: 6,
			estimated_minutes: 15,
			resource_url: null,
			max_score: null,
			archived_at: options.archived ? isoNow() : null,
			created_at: isoNow()
		})
		.execute();
	return id;
}

async function playlistOf(pod: TestPod, studentId: string) {
	return pod.db
		.selectFrom('assignments')
		.select(['id', 'activity_id', 'position', 'priority', 'due_on'])
		.where('pod_id', '=', pod.podId)
		.where('student_id', '=', studentId)
		.orderBy('position')
		.execute();
}

async function lastEventSeq(pod: TestPod): Promise<number> {
	const row = await pod.db
		.selectFrom('pod_events')
		.select((eb) => eb.fn.max('seq').as('seq'))
		.where('pod_id', '=', pod.podId)
		.executeTakeFirst();
	return Number(row?.seq ?? 0);
}

/** The pod's events after `seq`, with their payloads read back. */
async function eventsAfter(pod: TestPod, seq: number) {
	const rows = await pod.db
		.selectFrom('pod_events')
		.select(['kind', 'payload'])
		.where('pod_id', '=', pod.podId)
		.where('seq', '>', seq)
		.orderBy('seq')
		.execute();
	return rows.map((row) => ({
		kind: row.kind,
		payload: JSON.parse(row.payload) as { studentIds: string[] }
	}));
}

async function auditAfter(pod: TestPod, action: string, since: string) {
	const rows = await pod.db
		.selectFrom('audit_log')
		.selectAll()
		.where('pod_id', '=', pod.podId)
		.where('action', '=', action)
		.where('at', '>=', since)
		.execute();
	return rows.map((row) => ({ ...row, detail: JSON.parse(row.detail) as Record<string, unknown> }));
}

async function studentsWhere(pod: TestPod, filter: { grade?: number; cohort?: string }) {
	const rows = await pod.db
		.selectFrom('pod_students')
		.select('user_id')
		.where('pod_id', '=', pod.podId)
		.$if(filter.grade !== undefined, (qb) => qb.where('grade_level', '=', filter.grade!))
		.$if(filter.cohort !== undefined, (qb) => qb.where('cohort', '=', filter.cohort!))
		.execute();
	return rows.map((row) => row.user_id);
}

/** Which students hold each of these activities now, as "student activity" keys. */
async function holdings(pod: TestPod, activityIds: string[]): Promise<Set<string>> {
	const rows = await pod.db
		.selectFrom('assignments')
		.select(['student_id', 'activity_id'])
		.where('pod_id', '=', pod.podId)
		.where('activity_id', 'in', activityIds)
		.execute();
	return new Set(rows.map((row) => `${row.student_id} ${row.activity_id}`));
}

describe('one student’s playlist', () => {
	let pod: TestPod;
	let lead: Caller;
	let studentId: string;

	beforeAll(async () => {
		pod = await createTestPod();
		lead = await callerAs(pod, 'lead');
		studentId = pod.users.student;
	});
	afterAll(() => pod.db.destroy());

	it('adds activities at the end in the order given, and reports those already on it', async () => {
		const before = await playlistOf(pod, studentId);
		const onIt = before[0].activity_id;
		const first = await insertActivity(pod, { title: 'Fraction bingo' });
		const second = await insertActivity(pod, { title: 'Fraction dominoes' });
		const seq = await lastEventSeq(pod);
		const since = isoNow();

		const result = await lead.playlists.add({
			podId: pod.podId,
			studentId,
			activityIds: [second, onIt, first],
			priority: 'must',
			dueOn: '2026-12-03'
		});

		expect(result.added.map((a) => a.title)).toEqual(['Fraction dominoes', 'Fraction bingo']);
		expect(result.alreadyHad.map((a) => a.activityId)).toEqual([onIt]);
		const after = await playlistOf(pod, studentId);
		expect(after.map((a) => a.position)).toEqual(after.map((_, i) => i + 1));
		expect(after.slice(-2)).toMatchObject([
			{ activity_id: second, priority: 'must', due_on: '2026-12-03', position: before.length + 1 },
			{ activity_id: first, priority: 'must', due_on: '2026-12-03', position: before.length + 2 }
		]);
		expect(await eventsAfter(pod, seq)).toEqual([
			{ kind: 'playlist.changed', payload: { studentIds: [studentId] } }
		]);
		const [entry] = await auditAfter(pod, 'add', since);
		expect(entry).toMatchObject({ actor_id: pod.users.lead, entity: 'playlist', entity_id: studentId });
		expect(entry.detail).toMatchObject({ added: [second, first], alreadyHad: [onIt] });
	});

	it('adding only what the student already has changes nothing and tells no one', async () => {
		const [item] = await playlistOf(pod, studentId);
		const seq = await lastEventSeq(pod);
		const result = await lead.playlists.add({ podId: pod.podId, studentId, activityIds: [item.activity_id] });
		expect(result.added).toEqual([]);
		expect(result.alreadyHad).toHaveLength(1);
		expect(await eventsAfter(pod, seq)).toEqual([]);
	});

	it('refuses an archived activity by name, and adds none of the others', async () => {
		const archived = await insertActivity(pod, { title: 'Old worksheet', archived: true });
		const fine = await insertActivity(pod, { title: 'New worksheet' });
		const before = await databaseDigest(pod.db);
		const error = await refusalOf(
			lead.playlists.add({ podId: pod.podId, studentId, activityIds: [fine, archived] })
		);
		expect(error.code).toBe('BAD_REQUEST');
		expect(error.message).toContain('“Old worksheet” is archived');
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('answers NOT_FOUND for an activity or a student from another pod', async () => {
		const elsewhere = await insertActivity(pod, { title: 'South pod secret', podId: pod.otherPodId });
		const fine = await insertActivity(pod, { title: 'Another worksheet' });
		const before = await databaseDigest(pod.db);
		const activity = await refusalOf(
			lead.playlists.add({ podId: pod.podId, studentId, activityIds: [fine, elsewhere] })
		);
		expect(activity.code).toBe('NOT_FOUND');
		expect(activity.message).not.toContain('South pod secret');
		const student = await refusalOf(
			lead.playlists.add({ podId: pod.podId, studentId: pod.users.lead, activityIds: [fine] })
		);
		expect(student.code).toBe('NOT_FOUND');
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('removes an item without recorded work and closes up the positions', async () => {
		const fresh = await insertActivity(pod, { title: 'Remove me' });
		await lead.playlists.add({ podId: pod.podId, studentId, activityIds: [fresh] });
		const middle = await insertActivity(pod, { title: 'Move up after removal' });
		const {
			added: [{ assignmentId: lastId }]
		} = await lead.playlists.add({ podId: pod.podId, studentId, activityIds: [middle] });
		const target = (await playlistOf(pod, studentId)).find((a) => a.activity_id === fresh)!;
		const seq = await lastEventSeq(pod);

		const result = await lead.playlists.remove({ podId: pod.podId, assignmentId: target.id });

		expect(result).toMatchObject({ removed: target.id, progressEventsDeleted: 0 });
		const after = await playlistOf(pod, studentId);
		expect(after.map((a) => a.id)).not.toContain(target.id);
		expect(after.map((a) => a.position)).toEqual(after.map((_, i) => i + 1));
		expect(after.at(-1)?.id).toBe(lastId);
		expect(await eventsAfter(pod, seq)).toEqual([
			{ kind: 'playlist.changed', payload: { studentIds: [studentId] } }
		]);
	});

	it('refuses to remove an item with recorded work unless the teacher confirms', async () => {
		const worked = await pod.db
			.selectFrom('assignments')
			.innerJoin('progress_events', 'progress_events.assignment_id', 'assignments.id')
			.innerJoin('activities', 'activities.id', 'assignments.activity_id')
			.select(['assignments.id', 'assignments.student_id', 'activities.title'])
			.where('assignments.pod_id', '=', pod.podId)
			.executeTakeFirstOrThrow();
		const before = await databaseDigest(pod.db);

		const refused = await refusalOf(lead.playlists.remove({ podId: pod.podId, assignmentId: worked.id }));
		expect(refused.code).toBe('CONFLICT');
		expect(refused.message.startsWith(`${worked.title} has work recorded on it`)).toBe(true);
		expect(await databaseDigest(pod.db)).toBe(before);

		const since = isoNow();
		const result = await lead.playlists.remove({ podId: pod.podId, assignmentId: worked.id, force: true });
		expect(result.progressEventsDeleted).toBeGreaterThan(0);
		const left = await pod.db
			.selectFrom('progress_events')
			.select('id')
			.where('assignment_id', '=', worked.id)
			.execute();
		expect(left).toEqual([]);
		const positions = (await playlistOf(pod, worked.student_id)).map((a) => a.position);
		expect(positions).toEqual(positions.map((_, i) => i + 1));
		const [entry] = await auditAfter(pod, 'remove', since);
		expect(entry).toMatchObject({ entity: 'assignment', entity_id: worked.id });
		expect(entry.detail.progressEventsDeleted).toBe(result.progressEventsDeleted);
	});

	it('reorders to any full permutation', async () => {
		const before = await playlistOf(pod, studentId);
		const reversed = before.map((a) => a.id).reverse();
		const seq = await lastEventSeq(pod);

		const result = await lead.playlists.reorder({ podId: pod.podId, studentId, assignmentIds: reversed });

		expect(result.moved).toBeGreaterThan(0);
		const after = await playlistOf(pod, studentId);
		expect(after.map((a) => a.id)).toEqual(reversed);
		expect(after.map((a) => a.position)).toEqual(after.map((_, i) => i + 1));
		expect(await eventsAfter(pod, seq)).toEqual([
			{ kind: 'playlist.changed', payload: { studentIds: [studentId] } }
		]);
	});

	it('refuses a stale order (an item missing, one added, or one of another student’s) and changes nothing', async () => {
		const ids = (await playlistOf(pod, studentId)).map((a) => a.id);
		const [classmateItem] = await playlistOf(pod, pod.classmateId);
		const before = await databaseDigest(pod.db);
		for (const stale of [ids.slice(1), [...ids, newId()], [...ids.slice(1), classmateItem.id]]) {
			const error = await refusalOf(
				lead.playlists.reorder({ podId: pod.podId, studentId, assignmentIds: stale })
			);
			expect(error.code).toBe('CONFLICT');
			expect(error.message).toContain('changed meanwhile; reload the page and try again');
		}
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('sets priority and due date, and clears the date with null', async () => {
		const [item] = await playlistOf(pod, studentId);
		const since = isoNow();
		const seq = await lastEventSeq(pod);

		const updated = await lead.playlists.update({
			podId: pod.podId,
			assignmentId: item.id,
			priority: 'aspire',
			dueOn: '2026-12-11'
		});
		expect(updated).toMatchObject({ priority: 'aspire', dueOn: '2026-12-11' });
		expect((await playlistOf(pod, studentId))[0]).toMatchObject({ priority: 'aspire', due_on: '2026-12-11' });

		await lead.playlists.update({ podId: pod.podId, assignmentId: item.id, dueOn: null });
		expect((await playlistOf(pod, studentId))[0]).toMatchObject({ priority: 'aspire', due_on: null });

		expect(await eventsAfter(pod, seq)).toEqual([
			{ kind: 'playlist.changed', payload: { studentIds: [studentId] } },
			{ kind: 'playlist.changed', payload: { studentIds: [studentId] } }
		]);
		const entries = await auditAfter(pod, 'update', since);
		expect(entries.map((e) => e.detail.after)).toEqual([
			{ priority: 'aspire', dueOn: '2026-12-11' },
			{ priority: 'aspire', dueOn: null }
		]);
	});

	it('answers NOT_FOUND for a playlist item that is not in the pod', async () => {
		const error = await refusalOf(
			lead.playlists.update({ podId: pod.podId, assignmentId: newId(), priority: 'must' })
		);
		expect(error.code).toBe('NOT_FOUND');
	});

	it('is closed to a teacher of another pod', async () => {
		const outsider = await callerAs(pod, 'otherPodTeacher');
		const [item] = await playlistOf(pod, studentId);
		const before = await databaseDigest(pod.db);
		// One call at a time: a refusal that comes before its turn to be awaited would go unhandled.
		for (const call of [
			() => outsider.playlists.add({ podId: pod.podId, studentId, activityIds: [item.activity_id] }),
			() => outsider.playlists.remove({ podId: pod.podId, assignmentId: item.id }),
			() => outsider.playlists.update({ podId: pod.podId, assignmentId: item.id, priority: 'must' }),
			() => outsider.playlists.reorder({ podId: pod.podId, studentId, assignmentIds: [item.id] })
		]) {
			expect((await refusalOf(call())).code).toBe('FORBIDDEN');
		}
		expect(await databaseDigest(pod.db)).toBe(before);
	});
});

describe('assign to many', () => {
	let pod: TestPod;
	let lead: Caller;

	beforeAll(async () => {
		pod = await createTestPod();
		lead = await callerAs(pod, 'lead');
	});
	afterAll(() => pod.db.destroy());

	/** The activity with the most finished assignments: a real "everyone who finished …". */
	async function mostFinishedActivity(): Promise<string> {
		const row = await pod.db
			.selectFrom('assignments')
			.select((eb) => ['activity_id', eb.fn.countAll<number>().as('n')])
			.where('pod_id', '=', pod.podId)
			.where('status', 'in', ['submitted', 'mastered'])
			.groupBy('activity_id')
			.orderBy('n', 'desc')
			.executeTakeFirstOrThrow();
		return row.activity_id;
	}

	async function finishers(activity: string): Promise<string[]> {
		const rows = await pod.db
			.selectFrom('assignments')
			.select('student_id')
			.where('activity_id', '=', activity)
			.where('status', 'in', ['submitted', 'mastered'])
			.execute();
		return rows.map((row) => row.student_id);
	}

	async function insertFlag(studentId: string, rule: 'stuck' | 'idle', status: 'open' | 'resolved' = 'open') {
		await pod.db
			.insertInto('flags')
			.values({
				id: newId(),
				pod_id: pod.podId,
				student_id: studentId,
				assignment_id: null,
				rule,
				reason: `${rule} for a while`,
				raised_by: null,
				status,
				open_key: status === 'open' ? `${studentId}|${rule}|` : null,
				resolved_by: null,
				resolved_at: null,
				resolution_note: null,
				created_at: isoNow()
			})
			// The seed's rules may have flagged this student already: one open flag is what counts.
			.onConflict((oc) => oc.column('open_key').doNothing())
			.execute();
	}

	async function insertGroup(members: string[]): Promise<string> {
		const id = newId();
		await pod.db
			.insertInto('intervention_groups')
			.values({
				id,
				pod_id: pod.podId,
				title: 'Fractions catch-up',
				focus_skill_id: null,
				owner_id: null,
				planned_block_id: null,
				planned_on: null,
				outcome_note: null,
				created_by: pod.users.lead,
				created_at: isoNow(),
				updated_at: isoNow()
			})
			.execute();
		await pod.db
			.insertInto('group_members')
			.values(members.map((student_id) => ({ group_id: id, student_id, flag_id: null })))
			.execute();
		return id;
	}

	// Each case: the target, and the students it must choose (worked out here, not by the code under test).
	const cases: [string, () => Promise<{ target: BulkTarget; expected: string[] }>][] = [
		[
			'grade 5',
			async () => ({ target: { by: 'grade', grades: [5] }, expected: await studentsWhere(pod, { grade: 5 }) })
		],
		[
			'the Maple cohort',
			async () => ({
				target: { by: 'cohort', cohorts: ['Maple'] },
				expected: await studentsWhere(pod, { cohort: 'Maple' })
			})
		],
		[
			'three chosen students',
			async () => {
				const three = (await studentsWhere(pod, { grade: 4 })).slice(0, 3);
				return { target: { by: 'students', studentIds: three }, expected: three };
			}
		],
		[
			'everyone who finished an activity',
			async () => {
				const activity = await mostFinishedActivity();
				return { target: { by: 'finished', activityId: activity }, expected: await finishers(activity) };
			}
		],
		[
			'students with an open stuck flag',
			async () => {
				// Students the seed's own rules left unflagged, so each flag here is the only one.
				const flagged = new Set(
					(
						await pod.db
							.selectFrom('flags')
							.select('student_id')
							.where('pod_id', '=', pod.podId)
							.where('status', '!=', 'resolved')
							.execute()
					).map((row) => row.student_id)
				);
				const [a, b, c, d] = (await studentsWhere(pod, { grade: 6 })).filter((id) => !flagged.has(id));
				await insertFlag(a, 'stuck');
				await insertFlag(b, 'stuck');
				await insertFlag(c, 'idle');
				await insertFlag(d, 'stuck', 'resolved');
				// The demo's own stuck students (the seed runs the flag rules) come along.
				const stuck = await pod.db
					.selectFrom('flags')
					.select('student_id')
					.distinct()
					.where('pod_id', '=', pod.podId)
					.where('status', '=', 'open')
					.where('rule', '=', 'stuck')
					.execute();
				const expected = stuck.map((row) => row.student_id);
				expect(expected).toEqual(expect.arrayContaining([a, b]));
				expect(expected).not.toContain(d);
				return { target: { by: 'flag', rule: 'stuck' }, expected };
			}
		],
		[
			'students with any open flag',
			async () => {
				const [, , , , e] = await studentsWhere(pod, { grade: 5 });
				await insertFlag(e, 'idle');
				const open = await pod.db
					.selectFrom('flags')
					.select('student_id')
					.distinct()
					.where('pod_id', '=', pod.podId)
					.where('status', '=', 'open')
					.execute();
				return { target: { by: 'flag' }, expected: open.map((row) => row.student_id) };
			}
		],
		[
			'an intervention group',
			async () => {
				const members = (await studentsWhere(pod, { cohort: 'Birch' })).slice(0, 4);
				return { target: { by: 'group', groupId: await insertGroup(members) }, expected: members };
			}
		]
	];

	it.each(cases)(
		'%s: the preview and the assignment say the same, and a second run adds nothing',
		async (_name, make) => {
			const { target, expected } = await make();
			expect(expected.length).toBeGreaterThan(0);
			const activities = [
				await activityId(pod, 'Quiz: adding fractions'),
				await insertActivity(pod, { title: `For ${_name}` })
			];
			const input = {
				podId: pod.podId,
				activityIds: activities,
				priority: 'should' as const,
				dueOn: '2026-12-04',
				target
			};
			const had = await holdings(pod, activities);
			const seq = await lastEventSeq(pod);

			const preview = await lead.playlists.bulkPreview(input);
			const assigned = await lead.playlists.bulkAssign(input);

			expect(assigned).toEqual(preview);
			expect(preview.students).toBe(expected.length);
			const expectedNew = expected.flatMap((s) =>
				activities.filter((a) => !had.has(`${s} ${a}`)).map((a) => `${s} ${a}`)
			);
			const gained = [...(await holdings(pod, activities))].filter((key) => !had.has(key));
			expect(gained.sort()).toEqual(expectedNew.sort());
			expect(preview.perActivity.map((p) => p.willGet + p.alreadyHave)).toEqual([
				expected.length,
				expected.length
			]);
			expect(preview.perActivity[1].willGet).toBe(expected.length); // nobody had the brand-new one

			const receiving = [...new Set(gained.map((key) => key.split(' ')[0]))].sort();
			const events = await eventsAfter(pod, seq);
			expect(events).toHaveLength(1);
			expect(events[0].kind).toBe('playlist.changed');
			expect([...events[0].payload.studentIds].sort()).toEqual(receiving);
			expect(Object.keys(events[0].payload)).toEqual(['studentIds']);
			expect(preview.receiving).toBe(receiving.length);
			expect(preview.sample.length).toBe(Math.min(10, receiving.length));

			const again = await lead.playlists.bulkAssign(input);
			expect(again.perActivity.map((p) => [p.willGet, p.alreadyHave])).toEqual([
				[0, expected.length],
				[0, expected.length]
			]);
			expect(await eventsAfter(pod, seq)).toHaveLength(1);
		}
	);

	it('appends at the end of each playlist, in the order the activities were chosen', async () => {
		const [student] = await studentsWhere(pod, { grade: 4 });
		const before = await playlistOf(pod, student);
		const first = await insertActivity(pod, { title: 'Chosen first' });
		const second = await insertActivity(pod, { title: 'Chosen second' });
		await lead.playlists.bulkAssign({
			podId: pod.podId,
			activityIds: [first, second],
			priority: 'aspire',
			target: { by: 'students', studentIds: [student] }
		});
		const after = await playlistOf(pod, student);
		expect(after.slice(0, before.length)).toEqual(before);
		expect(after.slice(before.length)).toMatchObject([
			{ activity_id: first, position: before.length + 1, priority: 'aspire', due_on: null },
			{ activity_id: second, position: before.length + 2, priority: 'aspire', due_on: null }
		]);
	});

	it('previewing writes nothing', async () => {
		const before = await databaseDigest(pod.db);
		const preview = await lead.playlists.bulkPreview({
			podId: pod.podId,
			activityIds: [await activityId(pod, 'Quiz: food webs')],
			priority: 'must',
			target: { by: 'grade', grades: [4, 5, 6] }
		});
		expect(preview.students).toBe(72);
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('writes one audit entry per assignment run, saying what was asked and what happened', async () => {
		const since = isoNow();
		const activity = await insertActivity(pod, { title: 'Audited' });
		const target: BulkTarget = { by: 'cohort', cohorts: ['Cedar'] };
		await lead.playlists.bulkAssign({ podId: pod.podId, activityIds: [activity], priority: 'must', target });
		const entries = await auditAfter(pod, 'bulk_assign', since);
		expect(entries).toHaveLength(1);
		const cedar = await studentsWhere(pod, { cohort: 'Cedar' });
		expect(entries[0]).toMatchObject({ actor_id: pod.users.lead, entity: 'playlist' });
		expect(entries[0].detail).toMatchObject({
			target,
			activityIds: [activity],
			students: cedar.length,
			added: cedar.length
		});
	});

	it.each([
		[
			'an archived activity among several',
			'BAD_REQUEST',
			async () => ({
				activityIds: [
					await insertActivity(pod, { title: 'Fine one' }),
					await insertActivity(pod, { title: 'Retired one', archived: true })
				],
				target: { by: 'grade', grades: [4, 5, 6] } as BulkTarget
			})
		],
		[
			'an activity from another pod among several',
			'NOT_FOUND',
			async () => ({
				activityIds: [
					await insertActivity(pod, { title: 'Fine two' }),
					await insertActivity(pod, { title: 'South', podId: pod.otherPodId })
				],
				target: { by: 'grade', grades: [4, 5, 6] } as BulkTarget
			})
		],
		[
			'a chosen student who is not in the pod',
			'NOT_FOUND',
			async () => ({
				activityIds: [await insertActivity(pod, { title: 'Fine three' })],
				target: {
					by: 'students',
					studentIds: [...(await studentsWhere(pod, { grade: 5 })), pod.users.otherPodTeacher]
				} as BulkTarget
			})
		],
		[
			'a group of another pod',
			'NOT_FOUND',
			async () => ({
				activityIds: [await insertActivity(pod, { title: 'Fine four' })],
				target: { by: 'group', groupId: newId() } as BulkTarget
			})
		]
	] as const)('%s: refused with %s, and nothing is assigned to anyone', async (_name, code, make) => {
		const { activityIds, target } = await make();
		const before = await databaseDigest(pod.db);
		const input = { podId: pod.podId, activityIds, priority: 'must' as const, target };
		expect((await refusalOf(lead.playlists.bulkPreview(input))).code).toBe(code);
		const error = await refusalOf(lead.playlists.bulkAssign(input));
		expect(error.code).toBe(code);
		expect(error.message).not.toContain('South');
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('is closed to a teacher of another pod', async () => {
		const outsider = await callerAs(pod, 'otherPodTeacher');
		const before = await databaseDigest(pod.db);
		const input = {
			podId: pod.podId,
			activityIds: [await activityId(pod, 'Quiz: food webs')],
			priority: 'must' as const,
			target: { by: 'grade', grades: [5] } as BulkTarget
		};
		expect((await refusalOf(outsider.playlists.bulkPreview(input))).code).toBe('FORBIDDEN');
		expect((await refusalOf(outsider.playlists.bulkAssign(input))).code).toBe('FORBIDDEN');
		expect((await refusalOf(outsider.playlists.candidates({ podId: pod.podId }))).code).toBe('FORBIDDEN');
		expect(await databaseDigest(pod.db)).toBe(before);
	});
});

describe('what the playlist pages offer', () => {
	let pod: TestPod;
	beforeAll(async () => {
		pod = await createTestPod();
	});
	afterAll(() => pod.db.destroy());

	it('lists the pod’s students, grades, cohorts, groups, open flags and unarchived activities', async () => {
		await insertActivity(pod, { title: 'Hidden: archived', archived: true });
		await insertActivity(pod, { title: 'Next door', podId: pod.otherPodId });
		const teacher = await callerAs(pod, 'teacher');
		const offer = await teacher.playlists.candidates({ podId: pod.podId });

		expect(offer.pod.name).toBe('Pod North');
		expect(offer.students).toHaveLength(72);
		expect(offer.grades.map((g) => g.grade)).toEqual([4, 5, 6]);
		expect(offer.grades.reduce((sum, g) => sum + g.students, 0)).toBe(72);
		expect(offer.cohorts.map((c) => c.cohort)).toEqual(['Birch', 'Cedar', 'Maple']);
		expect(offer.groups).toEqual([]);
		// The seed ran the flag rules: the offer counts students per rule as the flags table has them.
		const open = await pod.db
			.selectFrom('flags')
			.select(['student_id', 'rule'])
			.where('pod_id', '=', pod.podId)
			.where('status', '=', 'open')
			.execute();
		expect(offer.flags.students).toBe(new Set(open.map((f) => f.student_id)).size);
		expect(offer.flags.students).toBeGreaterThan(0);
		for (const { rule, students } of offer.flags.byRule) {
			expect(students).toBe(new Set(open.filter((f) => f.rule === rule).map((f) => f.student_id)).size);
		}
		expect(offer.activities).toHaveLength(41);
		expect(offer.activities.map((a) => a.title)).not.toContain('Hidden: archived');
		expect(offer.activities.find((a) => a.title === 'Fractions practice 2')?.skills).toEqual([
			'4.NF.1',
			'5.NF.1'
		]);
	});
});
