// Scoring a quick check, and the questions as a student may see them. Pure: the answer key comes
// in, only right-or-wrong (and the right answers, where the team allows) goes out.
import type { Check, CheckItem } from './format';

/** What a student answers to one item: the choices picked (by position), or what they typed. */
export type Answer = number[] | string;

/** An item as the student sees it: no key. `several`: more than one choice is right (checkboxes). */
export type Question =
	| { type: 'choice'; prompt: string; choices: string[]; several: boolean }
	| { type: 'numeric'; prompt: string }
	| { type: 'text'; prompt: string };

export function questionsOf(check: Check): Question[] {
	return check.items.map((item): Question => {
		switch (item.type) {
			case 'choice':
				return {
					type: 'choice',
					prompt: item.prompt,
					choices: item.choices,
					several: item.correct.length > 1
				};
			case 'numeric':
				return { type: 'numeric', prompt: item.prompt };
			case 'text':
				return { type: 'text', prompt: item.prompt };
		}
	});
}

/** Typed text compared as a person would: letter case, accents' forms and extra spaces aside. */
export const normalText = (text: string) => text.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

/** "0.75", "0,75", " 3 ": a number as a student types it, or null. */
export function typedNumber(text: string): number | null {
	const cleaned = text.trim().replace(/\s+/g, '');
	const decimal = cleaned.includes('.') ? cleaned : cleaned.replace(',', '.');
	if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(decimal)) return null;
	return Number(decimal);
}

function isRight(item: CheckItem, answer: Answer | undefined): boolean {
	switch (item.type) {
		case 'choice': {
			if (!Array.isArray(answer)) return false;
			const picked = new Set(answer);
			return picked.size === item.correct.length && item.correct.every((at) => picked.has(at));
		}
		case 'numeric': {
			const value = typeof answer === 'string' ? typedNumber(answer) : null;
			// A hair of slack for decimals that binary floating point cannot hold exactly.
			return value !== null && Math.abs(value - item.answer) <= item.tolerance + 1e-9;
		}
		case 'text':
			return typeof answer === 'string' && item.accepted.some((ok) => normalText(ok) === normalText(answer));
	}
}

/** The right answer in words, for a student the team lets see it. */
function rightAnswer(item: CheckItem): string {
	switch (item.type) {
		case 'choice':
			return item.correct.map((at) => item.choices[at]).join('; ');
		case 'numeric':
			return item.tolerance > 0 ? `${item.answer} (± ${item.tolerance})` : String(item.answer);
		case 'text':
			return item.accepted[0];
	}
}

export interface CheckResult {
	/** One point per item answered right. */
	points: number;
	maxPoints: number;
	items: { right: boolean; rightAnswer?: string }[];
}

export function scoreCheck(check: Check, answers: readonly Answer[]): CheckResult {
	const items = check.items.map((item, i) => {
		const right = isRight(item, answers[i]);
		return check.showAnswers ? { right, rightAnswer: rightAnswer(item) } : { right };
	});
	return { points: items.filter((item) => item.right).length, maxPoints: check.items.length, items };
}
