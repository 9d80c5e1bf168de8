// The demo pod's quick checks: three quizzes carry one, so the board shows scores Podboard checked,
// and item analysis and the Skills report open with real answers. Each item also says what a
// student who misses it most often answers (`wrong`), and the items are listed easiest first, so a
// student with 3 of 5 misses the last two: the demo's item analysis has a most-missed question.
import type { Answer } from '../../src/lib/server/checks/score';
import type { Check, CheckItem } from '../../src/lib/server/checks/format';

export interface DemoCheck {
	check: Check;
	/** Per item: the right answer and the wrong one most given, as a student's device sends them. */
	answers: { right: Answer; wrong: Answer }[];
}

const check = (items: [CheckItem, Answer, Answer][]): DemoCheck => ({
	check: {
		format: 'podboard-check',
		version: 1,
		attemptsAllowed: 2,
		showAnswers: true,
		items: items.map(([item]) => item)
	},
	answers: items.map(([, right, wrong]) => ({ right, wrong }))
});

export const DEMO_CHECKS: Record<string, DemoCheck> = {
	'Quiz: adding fractions': check([
		[
			{
				type: 'choice',
				prompt: 'Which is equal to 1/2?',
				choices: ['2/4', '2/3', '1/3'],
				correct: [0],
				skills: ['4.NF.1']
			},
			[0],
			[1]
		],
		[{ type: 'numeric', prompt: '1/4 + 2/4 = ?/4', answer: 3, tolerance: 0, skills: ['5.NF.1'] }, '3', '2'],
		[
			{
				type: 'choice',
				prompt: '1/2 + 1/4 = ?',
				choices: ['2/6', '3/4', '2/4'],
				correct: [1],
				skills: ['5.NF.1']
			},
			[1],
			[0]
		],
		[
			{
				type: 'numeric',
				prompt: '2/3 + 1/6 as a decimal, to two places',
				answer: 0.83,
				tolerance: 0.01,
				skills: ['5.NF.1']
			},
			'0.83',
			'0.5'
		],
		[
			{
				type: 'text',
				prompt: 'What do you need before you add 1/3 and 1/5? (two words)',
				accepted: ['a common denominator', 'common denominator', 'common denominators'],
				skills: ['5.NF.1']
			},
			'common denominator',
			'the same top'
		]
	]),
	'Quiz: comparing decimals': check([
		[
			{
				type: 'choice',
				prompt: 'Which is greater?',
				choices: ['0.5', '0.45'],
				correct: [0],
				skills: ['4.NF.7']
			},
			[0],
			[1]
		],
		[
			{
				type: 'choice',
				prompt: 'Which are equal to 0.3?',
				choices: ['0.30', '0.03', '3/10', '3/100'],
				correct: [0, 2],
				skills: ['4.NF.7']
			},
			[0, 2],
			[0]
		],
		[
			{
				type: 'numeric',
				prompt: 'Write 7 tenths as a decimal',
				answer: 0.7,
				tolerance: 0,
				skills: ['4.NF.7']
			},
			'0.7',
			'7.10'
		],
		[
			{
				type: 'choice',
				prompt: 'Which is least?',
				choices: ['0.09', '0.9', '0.19'],
				correct: [0],
				skills: ['4.NF.7']
			},
			[0],
			[2]
		],
		[
			{ type: 'text', prompt: 'Fill in < , > or = : 0.62 __ 0.6', accepted: ['>'], skills: ['4.NF.7'] },
			'>',
			'<'
		]
	]),
	'Quiz: food webs': check([
		[
			{
				type: 'choice',
				prompt: 'Where does the energy in a food web start?',
				choices: ['The sun', 'Soil', 'Water'],
				correct: [0],
				skills: ['5-LS2-1']
			},
			[0],
			[1]
		],
		[
			{
				type: 'text',
				prompt: 'A living thing that makes its own food is a…',
				accepted: ['producer'],
				skills: ['5-LS2-1']
			},
			'producer',
			'consumer'
		],
		[
			{
				type: 'choice',
				prompt: 'Which are decomposers?',
				choices: ['Fungi', 'Hawks', 'Bacteria', 'Grass'],
				correct: [0, 2],
				skills: ['5-LS2-1']
			},
			[0, 2],
			[0]
		],
		[
			{
				type: 'choice',
				prompt: 'If the rabbits vanish, the foxes will most likely…',
				choices: ['Increase', 'Decrease', 'Stay the same'],
				correct: [1],
				skills: ['5-LS2-1']
			},
			[1],
			[2]
		],
		[
			{
				type: 'text',
				prompt: 'Matter moves from decomposers back into the…',
				accepted: ['soil'],
				skills: ['5-LS2-1']
			},
			'soil',
			'air'
		]
	])
};

/** A student's answers that score `right` of the check's items: the first ones right, the rest given the usual wrong answer. */
export const answersScoring = (demo: DemoCheck, right: number): Answer[] =>
	demo.answers.map((answer, i) => (i < right ? answer.right : answer.wrong));
