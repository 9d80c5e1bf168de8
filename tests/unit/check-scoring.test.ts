import { describe, expect, it } from 'vitest';
import { checkInput, checkProblem } from '../../src/lib/server/checks/format';
import { normalText, questionsOf, scoreCheck, typedNumber } from '../../src/lib/server/checks/score';
import { FIVE_QUESTIONS, RIGHT_ANSWERS } from '../support/checks';

describe('scoring a quick check', () => {
	it('gives a point for each right answer', () => {
		expect(scoreCheck(FIVE_QUESTIONS, RIGHT_ANSWERS)).toMatchObject({ points: 5, maxPoints: 5 });
		expect(scoreCheck(FIVE_QUESTIONS, [[], [], '', '', '']).points).toBe(0);
	});

	it.each([
		['one choice of one', 0, [1], false],
		['the right choice', 0, [0], true],
		['only one of two right choices', 1, [1], false],
		['both right choices, in any order', 1, [3, 1], true],
		['the right choices and a wrong one', 1, [1, 3, 0], false],
		['text where choices belong', 0, '0', false],
		['a number within the tolerance', 2, '0.7505', true],
		['a number outside it', 2, '0.76', false],
		['a decimal comma', 2, '0,75', true],
		['a whole number exactly', 3, '42', true],
		['a number with words', 3, '42 apples', false],
		['nothing typed', 3, '', false],
		['accepted text, in other letters and spaces', 4, '  DENOMINATORqx ', true],
		['other text', 4, 'numerator', false]
	] as const)('%s is %s', (_, item, answer, right) => {
		const answers: (number[] | string)[] = ['', '', '', '', ''];
		answers[item] = typeof answer === 'string' ? answer : [...answer];
		expect(scoreCheck(FIVE_QUESTIONS, answers).items[item].right).toBe(right);
	});

	it('says the right answers only where the team lets students see them', () => {
		const shown = scoreCheck(FIVE_QUESTIONS, ['', '', '', '', '']).items;
		expect(shown.map((item) => item.rightAnswer)).toEqual([
			'2/4',
			'4; 10',
			'0.75 (± 0.001)',
			'42',
			'Denominatorqx'
		]);
		const hidden = scoreCheck({ ...FIVE_QUESTIONS, showAnswers: false }, ['', '', '', '', '']).items;
		expect(hidden.every((item) => !('rightAnswer' in item))).toBe(true);
	});

	it('gives a student the questions and nothing of the key', () => {
		const questions = questionsOf(FIVE_QUESTIONS);
		expect(questions[1]).toEqual({
			type: 'choice',
			prompt: 'Which are even?',
			choices: ['3', '4', '7', '10'],
			several: true
		});
		const text = JSON.stringify(questions);
		for (const secret of ['correct', 'answer', 'accepted', 'tolerance', 'Denominatorqx', '0.75', '42'])
			expect(text).not.toContain(secret);
	});

	it.each([
		['3', 3],
		['-2.5', -2.5],
		['.5', 0.5],
		['1 000', 1000],
		['1,5', 1.5],
		['1/2', null],
		['', null],
		['e', null]
	])('reads %j as %s', (typed, value) => {
		expect(typedNumber(typed)).toBe(value);
	});

	it('compares text as a person would', () => {
		expect(normalText('  Photo   Synthesis ')).toBe('photo synthesis');
	});
});

describe('the check format', () => {
	it('reads a check a team wrote', () => {
		expect(checkInput.parse(FIVE_QUESTIONS)).toEqual(FIVE_QUESTIONS);
	});

	it.each([
		[{ ...FIVE_QUESTIONS, version: 2 }, 'version: This Podboard reads check version 1'],
		[{ ...FIVE_QUESTIONS, items: [] }, 'items: A check needs at least 1 question'],
		[
			{ ...FIVE_QUESTIONS, items: [{ type: 'choice', prompt: 'Pick', choices: ['a', 'b'], correct: [2] }] },
			'items[0]: A correct choice is beyond the list of choices'
		],
		[
			{ ...FIVE_QUESTIONS, items: [{ type: 'text', prompt: 'Say', accepted: [] }] },
			'items[0].accepted: Give at least one accepted answer'
		],
		[
			{ ...FIVE_QUESTIONS, items: [{ type: 'essay', prompt: 'Write' }] },
			'items[0].type: Each item has a type: choice, numeric or text'
		],
		[{ ...FIVE_QUESTIONS, attemptsAllowed: 0 }, 'attemptsAllowed: Allow at least 1 attempt']
	])('says where a check is wrong: %#', (check, words) => {
		const parsed = checkInput.safeParse(check);
		expect(parsed.success).toBe(false);
		expect(checkProblem(parsed.error!)).toBe(words);
	});
});
