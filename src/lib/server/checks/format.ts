// A quick check (an exit ticket or a quiz) as the team writes it and shares it: Podboard check
// JSON, version 1. Server-side only: it holds the answer key, which never reaches a student.
//
//   {
//     "format": "podboard-check", "version": 1,
//     "attemptsAllowed": 2, "showAnswers": true,
//     "items": [
//       { "type": "choice", "prompt": "…", "choices": ["…", "…"], "correct": [1], "skills": ["5.NF.1"] },
//       { "type": "numeric", "prompt": "…", "answer": 0.75, "tolerance": 0.01, "skills": [] },
//       { "type": "text", "prompt": "…", "accepted": ["photosynthesis"], "skills": [] }
//     ]
//   }
//
// `correct` lists the right choices by position from 0 (several: the student must pick exactly
// those); `tolerance` is how far from `answer` still counts; `accepted` answers ignore letter
// case and extra spaces. `skills` are skill codes of the pod's list. Each item is one point.
import { z } from 'zod';

export const CHECK_FORMAT = 'podboard-check';
export const CHECK_VERSION = 1;
export const MAX_ITEMS = 40;
export const MAX_ATTEMPTS = 10;

const text = (what: string, max: number) =>
	z
		.string({ error: `${what} is text` })
		.trim()
		.min(1, { error: `${what} is empty` })
		.max(max, { error: `${what} is longer than ${max} characters` });
const skills = z
	.array(text('A skill code', 40), { error: 'skills is a list of skill codes' })
	.max(10, { error: 'An item evidences at most 10 skills' })
	.default([]);
const prompt = text('A question', 1000);

const choiceItem = z
	.object({
		type: z.literal('choice'),
		prompt,
		choices: z
			.array(text('A choice', 300), { error: 'choices is a list of answers to pick from' })
			.min(2, { error: 'A multiple-choice question needs at least 2 choices' })
			.max(8, { error: 'A multiple-choice question has at most 8 choices' }),
		correct: z
			.array(z.number().int().min(0), { error: 'correct lists the right choices by position, from 0' })
			.min(1, { error: 'Mark at least one choice correct' })
			.max(8, { error: 'A question has at most 8 choices' }),
		skills
	})
	.refine((item) => item.correct.every((at) => at < item.choices.length), {
		error: 'A correct choice is beyond the list of choices'
	})
	.refine((item) => new Set(item.correct).size === item.correct.length, {
		error: 'A correct choice is listed twice'
	});
const numericItem = z.object({
	type: z.literal('numeric'),
	prompt,
	answer: z.number({ error: 'answer is a number' }).finite(),
	tolerance: z
		.number({ error: 'tolerance is a number' })
		.min(0, { error: 'tolerance is 0 or more' })
		.default(0),
	skills
});
const textItem = z.object({
	type: z.literal('text'),
	prompt,
	accepted: z
		.array(text('An accepted answer', 200), { error: 'accepted is a list of answers' })
		.min(1, { error: 'Give at least one accepted answer' })
		.max(20, { error: 'Give at most 20 accepted answers' }),
	skills
});

export const checkItem = z.discriminatedUnion('type', [choiceItem, numericItem, textItem], {
	error: 'Each item has a type: choice, numeric or text'
});

export const checkInput = z.object({
	format: z.literal(CHECK_FORMAT, { error: `format is "${CHECK_FORMAT}"` }),
	version: z.literal(CHECK_VERSION, { error: `This Podboard reads check version ${CHECK_VERSION}` }),
	attemptsAllowed: z
		.number({ error: 'attemptsAllowed is a number' })
		.int({ error: 'attemptsAllowed is a whole number' })
		.min(1, { error: 'Allow at least 1 attempt' })
		.max(MAX_ATTEMPTS, { error: `Allow at most ${MAX_ATTEMPTS} attempts` }),
	showAnswers: z.boolean({ error: 'showAnswers is true or false' }),
	items: z
		.array(checkItem, { error: 'items is a list of questions' })
		.min(1, { error: 'A check needs at least 1 question' })
		.max(MAX_ITEMS, { error: `A check has at most ${MAX_ITEMS} questions` })
});
export type Check = z.infer<typeof checkInput>;
export type CheckItem = Check['items'][number];

/** "items[2].choices: A multiple-choice question needs at least 2 choices": where, then what. */
export function checkProblem(error: z.ZodError): string {
	const issue = error.issues[0];
	const where = issue.path
		.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i ? '.' : ''}${String(part)}`))
		.join('');
	return where ? `${where}: ${issue.message}` : issue.message;
}
