import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerAs, createTestPod, databaseDigest, type TestPod } from '../support/pod';
import { outcomeOf, refusalOf } from '../support/outcomes';
import { freshGroup } from '../support/interventions';

// The demo was seeded on Wednesday 18 November 2026 with that week's duties generated.
const SEEDED_WEEK = '2026-11-16';
const NEXT_WEEK = '2026-11-23';

let pod: TestPod;
beforeAll(async () => {
	pod = await createTestPod();
});
afterAll(() => pod.db.destroy());

const lastAudit = () =>
	pod.db
		.selectFrom('audit_log')
		.selectAll()
		.where('pod_id', '=', pod.podId)
		.orderBy('at', 'desc')
		.executeTakeFirstOrThrow();

describe('a week of duties', () => {
	it('the seeded week has every adult on a duty in every block, the support staff on the floor in each', async () => {
		const lead = await callerAs(pod, 'lead');
		const week = await lead.duties.week({ podId: pod.podId, weekOf: SEEDED_WEEK });
		// The remote teacher of record holds no duty in the room.
		expect(week.team.filter((m) => m.remote).map((m) => m.name)).toEqual(['Grace Adeyemi']);
		expect(
			week.team
				.filter((m) => !m.remote)
				.map((m) => m.role)
				.toSorted()
		).toEqual(['lead', 'support', 'teacher', 'teacher']);
		expect(week.blocks).toHaveLength(20);
		expect(week.duties).toHaveLength(80);
		for (const block of week.blocks) {
			const here = week.duties.filter((d) => d.blockId === block.id);
			expect(new Set(here.map((d) => d.teacherId)).size).toBe(4);
			// Support staff hold the floor beside a teacher.
			const floor = here.filter((d) => d.duty === 'floor').map((d) => d.teacherId);
			expect(floor).toContain(pod.users.support);
			expect(floor).toHaveLength(2);
		}
		const minutes = week.workload.reduce((sum, w) => sum + w.minutes, 0);
		const blockMinutes = week.blocks.reduce((sum, b) => {
			const [sh, sm] = b.startsAt.split(':').map(Number);
			const [eh, em] = b.endsAt.split(':').map(Number);
			return sum + (eh * 60 + em - sh * 60 - sm);
		}, 0);
		expect(minutes).toBe(blockMinutes * 4);
	});

	it('gives support staff only the floor or a group by hand: conferences, planning and observation are refused', async () => {
		const lead = await callerAs(pod, 'lead');
		const week = await lead.duties.week({ podId: pod.podId, weekOf: SEEDED_WEEK });
		const blockId = week.blocks[0].id;
		const before = await databaseDigest(pod.db);
		for (const duty of ['conferences', 'planning', 'observation'] as const) {
			expect(
				await refusalOf(
					lead.duties.set({
						podId: pod.podId,
						weekOf: SEEDED_WEEK,
						blockId,
						teacherId: pod.users.support,
						duty
					})
				)
			).toMatchObject({
				code: 'BAD_REQUEST',
				message:
					'Support staff hold the floor or run a small group; conferences, planning and observation are the teachers’.'
			});
		}
		// Nor by a swap with a teacher who plans then.
		const planner = week.duties.find((d) => d.blockId === blockId && d.duty !== 'floor')!.teacherId;
		expect(
			(
				await refusalOf(
					lead.duties.swap({
						podId: pod.podId,
						weekOf: SEEDED_WEEK,
						blockId,
						teacherIds: [pod.users.support, planner]
					})
				)
			).code
		).toBe('BAD_REQUEST');
		expect(await databaseDigest(pod.db)).toBe(before);
		await lead.duties.set({
			podId: pod.podId,
			weekOf: SEEDED_WEEK,
			blockId,
			teacherId: pod.users.support,
			duty: 'small_group'
		});
		const after = await lead.duties.week({ podId: pod.podId, weekOf: SEEDED_WEEK });
		expect(after.duties.find((d) => d.blockId === blockId && d.teacherId === pod.users.support)?.duty).toBe(
			'small_group'
		);
	});

	it('a generated week gives every teacher planning time, though every block of the demo has students in', async () => {
		const lead = await callerAs(pod, 'lead');
		const weekOf = '2026-12-14';
		await lead.duties.generate({ podId: pod.podId, weekOf });
		const week = await lead.duties.week({ podId: pod.podId, weekOf });
		expect(week.blocks.every((b) => b.studentsIn)).toBe(true);
		for (const teacher of week.team.filter((member) => member.role !== 'support' && !member.remote)) {
			for (const weekday of [1, 2, 3, 4, 5]) {
				const planning = week.duties.filter(
					(d) =>
						d.teacherId === teacher.id &&
						d.duty === 'planning' &&
						week.blocks.find((b) => b.id === d.blockId)!.weekday === weekday
				);
				expect(planning.length, `${teacher.name} on day ${weekday}`).toBeGreaterThanOrEqual(1);
			}
			const minutes = week.workload.find((w) => w.teacherId === teacher.id && w.duty === 'planning')!.minutes;
			expect(minutes).toBeGreaterThan(0);
		}
	});

	it('counts the duties changed by hand since the week was generated: what generating again replaces', async () => {
		const lead = await callerAs(pod, 'lead');
		const weekOf = '2026-11-30';
		const handChanges = async () => (await lead.duties.week({ podId: pod.podId, weekOf })).handChanges;
		expect(await handChanges()).toBe(0);
		await lead.duties.generate({ podId: pod.podId, weekOf });
		expect(await handChanges()).toBe(0);

		const { blocks } = await lead.duties.week({ podId: pod.podId, weekOf });
		const set = (blockId: string, duty: string) =>
			lead.duties.set({ podId: pod.podId, weekOf, blockId, teacherId: pod.users.teacher, duty });
		await set(blocks[0].id, 'observation');
		expect(await handChanges()).toBe(1);
		// The same duty changed again is still one change to lose.
		await set(blocks[0].id, 'conferences');
		expect(await handChanges()).toBe(1);
		await lead.duties.swap({
			podId: pod.podId,
			weekOf,
			blockId: blocks[1].id,
			teacherIds: [pod.users.lead, pod.users.teacher]
		});
		expect(await handChanges()).toBe(3);
		// Another week's changes are that week's.
		expect((await lead.duties.week({ podId: pod.podId, weekOf: '2026-12-07' })).handChanges).toBe(0);

		await lead.duties.generate({ podId: pod.podId, weekOf });
		expect(await handChanges()).toBe(0);
	});

	it('a student may not read the duties, nor a teacher change them', async () => {
		const student = await callerAs(pod, 'student');
		const teacher = await callerAs(pod, 'teacher');
		const before = await databaseDigest(pod.db);
		expect(await outcomeOf(student.duties.week({ podId: pod.podId }))).toBe('FORBIDDEN');
		expect(await outcomeOf(teacher.duties.generate({ podId: pod.podId, weekOf: NEXT_WEEK }))).toBe(
			'FORBIDDEN'
		);
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('the lead generates a new week: audited, and the boards hear of it', async () => {
		const lead = await callerAs(pod, 'lead');
		const result = await lead.duties.generate({ podId: pod.podId, weekOf: NEXT_WEEK });
		// Three teachers and one support adult in each of 20 blocks.
		expect(result).toEqual({ problems: [], duties: 80 });
		expect(await lastAudit()).toMatchObject({
			action: 'generate',
			entity: 'duties',
			actor_id: pod.users.lead
		});
		const event = await pod.db
			.selectFrom('pod_events')
			.select(['kind', 'payload'])
			.where('pod_id', '=', pod.podId)
			.orderBy('seq', 'desc')
			.executeTakeFirstOrThrow();
		expect(event.kind).toBe('duties.changed');
		expect(JSON.parse(event.payload)).toMatchObject({ weekOf: NEXT_WEEK });
	});

	it('two teachers swap their duties in a block, and the audit says what each has now', async () => {
		const lead = await callerAs(pod, 'lead');
		const week = await lead.duties.week({ podId: pod.podId, weekOf: NEXT_WEEK });
		const block = week.blocks[0];
		const dutyOf = (w: typeof week, teacherId: string) =>
			w.duties.find((d) => d.blockId === block.id && d.teacherId === teacherId)!.duty;
		const [a, b] = [pod.users.lead, pod.users.teacher];
		const before = [dutyOf(week, a), dutyOf(week, b)];
		await lead.duties.swap({ podId: pod.podId, weekOf: NEXT_WEEK, blockId: block.id, teacherIds: [a, b] });
		const after = await lead.duties.week({ podId: pod.podId, weekOf: NEXT_WEEK });
		expect([dutyOf(after, a), dutyOf(after, b)]).toEqual([before[1], before[0]]);
		expect(JSON.parse((await lastAudit()).detail)).toMatchObject({
			after: { [a]: before[1], [b]: before[0] }
		});
	});

	it('a swap in a week with no duties yet is refused and changes nothing', async () => {
		const lead = await callerAs(pod, 'lead');
		const week = await lead.duties.week({ podId: pod.podId, weekOf: '2026-12-07' });
		const before = await databaseDigest(pod.db);
		const error = await refusalOf(
			lead.duties.swap({
				podId: pod.podId,
				weekOf: '2026-12-07',
				blockId: week.blocks[0].id,
				teacherIds: [pod.users.lead, pod.users.teacher]
			})
		);
		expect(error.code).toBe('CONFLICT');
		expect(await databaseDigest(pod.db)).toBe(before);
	});

	it('the lead sets a duty by hand, and the audit keeps what it was', async () => {
		const lead = await callerAs(pod, 'lead');
		const week = await lead.duties.week({ podId: pod.podId, weekOf: NEXT_WEEK });
		const block = week.blocks[1];
		const was = week.duties.find((d) => d.blockId === block.id && d.teacherId === pod.users.teacher)!.duty;
		const duty = was === 'observation' ? 'conferences' : 'observation';
		await lead.duties.set({
			podId: pod.podId,
			weekOf: NEXT_WEEK,
			blockId: block.id,
			teacherId: pod.users.teacher,
			duty
		});
		const after = await lead.duties.week({ podId: pod.podId, weekOf: NEXT_WEEK });
		expect(after.duties.find((d) => d.blockId === block.id && d.teacherId === pod.users.teacher)!.duty).toBe(
			duty
		);
		expect(JSON.parse((await lastAudit()).detail)).toMatchObject({ before: was, after: duty });
	});

	it('a teacher away for a block has no duty there, now and when the week is generated again', async () => {
		const lead = await callerAs(pod, 'lead');
		const week = await lead.duties.week({ podId: pod.podId, weekOf: NEXT_WEEK });
		const block = week.blocks[2];
		await lead.duties.setAway({
			podId: pod.podId,
			weekOf: NEXT_WEEK,
			blockId: block.id,
			teacherId: pod.users.teacher,
			away: true
		});
		await lead.duties.generate({ podId: pod.podId, weekOf: NEXT_WEEK });
		const after = await lead.duties.week({ podId: pod.podId, weekOf: NEXT_WEEK });
		expect(after.unavailable).toEqual([{ blockId: block.id, teacherId: pod.users.teacher }]);
		expect(
			after.duties
				.filter((d) => d.blockId === block.id)
				.map((d) => d.teacherId)
				.sort()
		).toEqual(
			after.team
				.filter((t) => t.id !== pod.users.teacher && !t.remote)
				.map((t) => t.id)
				.sort()
		);
		expect(after.duties.some((d) => d.blockId === block.id && d.duty === 'floor')).toBe(true);
	});

	it('a claimed group planned for a time puts its owner on small-group duty in that block', async () => {
		const lead = await callerAs(pod, 'lead');
		const { groupId } = await freshGroup(pod, { id: pod.users.teacher, status: 'claimed' });
		// Tuesday of next week, 10:30: the Mid-morning block (10:00–11:30).
		await pod.db
			.updateTable('intervention_groups')
			.set({ planned_on: '2026-11-24', planned_start: '10:30' })
			.where('id', '=', groupId)
			.execute();
		await lead.duties.generate({ podId: pod.podId, weekOf: NEXT_WEEK });
		const week = await lead.duties.week({ podId: pod.podId, weekOf: NEXT_WEEK });
		const block = week.blocks.find((b) => b.date === '2026-11-24' && b.startsAt === '10:00')!;
		expect(week.duties.find((d) => d.blockId === block.id && d.teacherId === pod.users.teacher)?.duty).toBe(
			'small_group'
		);
	});

	it('the lead sets out a day as blocks; overlapping blocks are refused and change nothing', async () => {
		const lead = await callerAs(pod, 'lead');
		const before = await databaseDigest(pod.db);
		const overlap = await refusalOf(
			lead.duties.saveDay({
				podId: pod.podId,
				weekday: 5,
				blocks: [
					{ startsAt: '08:30', endsAt: '10:00', label: 'Morning', studentsIn: true },
					{ startsAt: '09:45', endsAt: '11:00', label: 'Late morning', studentsIn: true }
				]
			})
		);
		expect(overlap.code).toBe('BAD_REQUEST');
		expect(overlap.message).toBe('Morning and Late morning overlap.');
		expect(await databaseDigest(pod.db)).toBe(before);

		await lead.duties.saveDay({
			podId: pod.podId,
			weekday: 5,
			blocks: [
				{ startsAt: '08:30', endsAt: '11:30', label: 'Friday morning', studentsIn: true },
				{ startsAt: '12:00', endsAt: '13:00', label: 'Team planning', studentsIn: false }
			]
		});
		await lead.duties.generate({ podId: pod.podId, weekOf: NEXT_WEEK });
		const week = await lead.duties.week({ podId: pod.podId, weekOf: NEXT_WEEK });
		const friday = week.blocks.filter((b) => b.weekday === 5);
		expect(friday.map((b) => [b.label, b.startsAt, b.endsAt, b.studentsIn])).toEqual([
			['Friday morning', '08:30', '11:30', true],
			['Team planning', '12:00', '13:00', false]
		]);
		const planning = week.duties.filter((d) => d.blockId === friday[1].id);
		expect(planning.map((d) => d.duty)).toEqual(['planning', 'planning', 'planning']);
	});
});
