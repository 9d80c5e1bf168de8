import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	generateRotation,
	minutesOf,
	type RotationBlock,
	type RotationInput
} from '../../src/lib/server/duties/rotation';

// The generator's guarantees, for random teams of 2–3 teachers and days of 3–10 blocks.

const time = (minutes: number) =>
	`${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** A school day cut into blocks back to back from 08:00, each 15–90 minutes. */
const day = (weekday: number) =>
	fc
		.array(fc.record({ length: fc.integer({ min: 15, max: 90 }), studentsIn: fc.boolean() }), {
			minLength: 3,
			maxLength: 10
		})
		.map((parts) => {
			let at = 8 * 60;
			return parts.map(({ length, studentsIn }, i): RotationBlock => {
				const block = {
					id: `d${weekday}b${i}`,
					weekday,
					startsAt: time(at),
					endsAt: time(at + length),
					studentsIn
				};
				at += length;
				return block;
			});
		});

const week = fc
	.integer({ min: 1, max: 5 })
	.chain((days) => fc.tuple(...Array.from({ length: days }, (_, d) => day(d + 1))))
	.map((days) => days.flat());

const teams = fc.constantFrom<string[]>(['lead', 't1'], ['lead', 't1', 't2']);
/** Support staff beside the teachers: none in most pods, one or two in some. */
const supportStaff = fc.constantFrom<string[]>([], [], ['s1'], ['s1', 's2']);

/** A team, a week, and some adults away and some groups, chosen from that team and week. */
const inputs = fc.tuple(teams, supportStaff, week).chain(([teachers, support, blocks]) => {
	const pairsOf = (adults: string[]) =>
		adults.flatMap((teacherId) => blocks.map((b) => ({ teacherId, blockId: b.id })));
	return fc
		.tuple(
			fc.subarray(pairsOf([...teachers, ...support]), { maxLength: 6 }),
			fc.subarray(pairsOf(teachers), { maxLength: 6 })
		)
		.map(([unavailable, groupOwners]): RotationInput => ({
			teachers,
			support,
			blocks,
			unavailable,
			groupOwners
		}));
});

const isIn = (input: RotationInput, blockId: string) => (adult: string) =>
	!input.unavailable.some((u) => u.teacherId === adult && u.blockId === blockId);
const present = (input: RotationInput, blockId: string) => input.teachers.filter(isIn(input, blockId));
const supportIn = (input: RotationInput, blockId: string) =>
	(input.support ?? []).filter(isIn(input, blockId));

describe('the duty rotation', () => {
	it('gives every teacher who is in exactly one duty in every block, support staff one while students are in, and none to those away', () => {
		fc.assert(
			fc.property(inputs, (input) => {
				const { assignments } = generateRotation(input);
				for (const block of input.blocks) {
					const here = assignments.filter((a) => a.blockId === block.id).map((a) => a.teacherId);
					const expected = [
						...present(input, block.id),
						...(block.studentsIn ? supportIn(input, block.id) : [])
					];
					expect(here.toSorted()).toEqual(expected.toSorted());
				}
			})
		);
	});

	it('puts the support staff who are in on the floor while students are in, beside a teacher', () => {
		fc.assert(
			fc.property(inputs, (input) => {
				const { assignments } = generateRotation(input);
				for (const block of input.blocks.filter((b) => b.studentsIn && supportIn(input, b.id).length)) {
					const floor = assignments
						.filter((a) => a.blockId === block.id && a.duty === 'floor')
						.map((a) => a.teacherId);
					expect(floor).toEqual(expect.arrayContaining(supportIn(input, block.id)));
					if (present(input, block.id).length)
						expect(floor.some((id) => input.teachers.includes(id))).toBe(true);
				}
				const support = new Set(input.support);
				expect(assignments.filter((a) => support.has(a.teacherId)).every((a) => a.duty === 'floor')).toBe(
					true
				);
			})
		);
	});

	it('puts an adult on the floor whenever students are in and anyone is there', () => {
		fc.assert(
			fc.property(inputs, (input) => {
				const { assignments, problems } = generateRotation(input);
				for (const block of input.blocks.filter((b) => b.studentsIn)) {
					const floor = assignments.filter((a) => a.blockId === block.id && a.duty === 'floor');
					if (present(input, block.id).length + supportIn(input, block.id).length)
						expect(floor.length).toBeGreaterThanOrEqual(1);
					else expect(problems.some((p) => p.includes(block.startsAt))).toBe(true);
				}
			})
		);
	});

	it('has a claimed group’s owner run it in its block, unless they are the only adult in (and says so)', () => {
		fc.assert(
			fc.property(inputs, (input) => {
				const { assignments, problems } = generateRotation(input);
				for (const { teacherId, blockId } of input.groupOwners) {
					const block = input.blocks.find((b) => b.id === blockId)!;
					const here = present(input, blockId);
					if (!here.includes(teacherId) || !block.studentsIn) continue;
					const duty = assignments.find((a) => a.blockId === blockId && a.teacherId === teacherId)!.duty;
					const ownersHere = input.groupOwners.filter(
						(g) => g.blockId === blockId && here.includes(g.teacherId)
					);
					if (here.some((t) => !ownersHere.some((g) => g.teacherId === t))) expect(duty).toBe('small_group');
					else if (duty === 'floor') expect(problems.some((p) => p.includes(block.startsAt))).toBe(true);
				}
			})
		);
	});

	it('lets everyone plan when the students are out', () => {
		fc.assert(
			fc.property(inputs, (input) => {
				const { assignments } = generateRotation(input);
				for (const block of input.blocks.filter((b) => !b.studentsIn)) {
					expect(assignments.filter((a) => a.blockId === block.id).every((a) => a.duty === 'planning')).toBe(
						true
					);
				}
			})
		);
	});

	it('gives planning time on every day to each teacher who is free of the floor and of a group in some block', () => {
		fc.assert(
			fc.property(inputs, (input) => {
				const { assignments } = generateRotation(input);
				const weekdayOf = (blockId: string) => input.blocks.find((b) => b.id === blockId)!.weekday;
				const runsItsGroup = (a: { teacherId: string; blockId: string; duty: string }) =>
					a.duty === 'small_group' &&
					input.groupOwners.some((g) => g.teacherId === a.teacherId && g.blockId === a.blockId);
				for (const weekday of new Set(input.blocks.map((b) => b.weekday))) {
					for (const teacher of input.teachers) {
						const theirDay = assignments.filter(
							(a) => a.teacherId === teacher && weekdayOf(a.blockId) === weekday
						);
						const free = theirDay.some((a) => a.duty !== 'floor' && !runsItsGroup(a));
						if (free) expect(theirDay.map((a) => a.duty)).toContain('planning');
					}
				}
			})
		);
	});

	it('gives each of three teachers a block of planning on a day whose four blocks all have students in', () => {
		const blocks: RotationBlock[] = [
			['08:30', '10:00'],
			['10:00', '11:30'],
			['12:15', '13:45'],
			['13:45', '15:00']
		].map(([startsAt, endsAt], i) => ({ id: `b${i}`, weekday: 1, startsAt, endsAt, studentsIn: true }));
		const teachers = ['lead', 't1', 't2'];
		const { assignments } = generateRotation({ teachers, blocks, unavailable: [], groupOwners: [] });
		for (const teacher of teachers) {
			const planning = assignments.filter((a) => a.teacherId === teacher && a.duty === 'planning');
			expect(planning.length, teacher).toBeGreaterThanOrEqual(1);
		}
		for (const block of blocks) {
			expect(assignments.filter((a) => a.blockId === block.id && a.duty === 'floor')).toHaveLength(1);
		}
	});

	it('shares the floor evenly: nobody has more floor minutes than another by more than the longest block', () => {
		fc.assert(
			fc.property(teams, week, (teachers, blocks) => {
				const { assignments } = generateRotation({ teachers, blocks, unavailable: [], groupOwners: [] });
				const floor = new Map(teachers.map((t) => [t, 0]));
				for (const a of assignments.filter((a) => a.duty === 'floor')) {
					floor.set(
						a.teacherId,
						floor.get(a.teacherId)! + minutesOf(blocks.find((b) => b.id === a.blockId)!)
					);
				}
				const longest = Math.max(0, ...blocks.filter((b) => b.studentsIn).map(minutesOf));
				expect(Math.max(...floor.values()) - Math.min(...floor.values())).toBeLessThanOrEqual(longest);
			})
		);
	});

	it('proposes the same week for the same facts', () => {
		fc.assert(
			fc.property(inputs, (input) => {
				expect(generateRotation(input)).toEqual(generateRotation(structuredClone(input)));
			})
		);
	});

	it.each([
		['08:30', '10:00', 90],
		['12:15', '13:45', 90],
		['13:45', '15:00', 75]
	])('a block from %s to %s is %i minutes', (startsAt, endsAt, minutes) => {
		expect(minutesOf({ startsAt, endsAt })).toBe(minutes);
	});
});
