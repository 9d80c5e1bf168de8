import { createHash } from 'node:crypto';
import { MASTERY_PERCENT } from '../../progress/derive';
import type { ActivityKind } from '../db/schema';
import type { ProgressRow } from './progress';

// xAPI 1.0.3 statements for a learning record store: who (actor) did what (verb) to which
// activity (object), how it went (result), when (timestamp).

export const XAPI_VERBS = {
	attempted: 'http://adlnet.gov/expapi/verbs/attempted',
	completed: 'http://adlnet.gov/expapi/verbs/completed',
	passed: 'http://adlnet.gov/expapi/verbs/passed',
	failed: 'http://adlnet.gov/expapi/verbs/failed'
} as const;
export type XapiVerb = keyof typeof XAPI_VERBS;

// ADL's activity types where one fits; the others go without a type.
const ACTIVITY_TYPES: Partial<Record<ActivityKind, string>> = {
	assessment: 'http://adlnet.gov/expapi/activities/assessment',
	lesson: 'http://adlnet.gov/expapi/activities/lesson'
};

export interface XapiStatement {
	id: string;
	actor: { objectType: 'Agent'; name: string; account: { homePage: string; name: string } };
	verb: { id: string; display: { 'en-US': XapiVerb } };
	object: {
		objectType: 'Activity';
		id: string;
		definition: { name: { 'en-US': string }; type?: string };
	};
	result: {
		score?: { scaled: number; raw: number; min: number; max: number };
		success?: boolean;
		completion: boolean;
		duration: string;
		/** Where the score comes from (checked, teacher, content, self), under SCORE_SOURCE_EXTENSION. */
		extensions?: Record<string, string>;
	};
	timestamp: string;
	context: { platform: 'Podboard' };
}

/** The result extension that says where a score comes from: one of checked, teacher, content, self. */
export const SCORE_SOURCE_EXTENSION = 'https://podboard.org/xapi/extensions/score-source';

/** The public address Podboard is configured with, as hooks.server.ts reads it. */
export function configuredOrigin(env: Record<string, string | undefined> = process.env): string {
	return (env.ORIGIN ?? `http://localhost:${env.PORT ?? 3000}`).replace(/\/+$/, '');
}

/**
 * Which verb a playlist item's state says: scored work passes at mastery or fails below it,
 * unscored work is completed once submitted, work begun but not handed in is attempted.
 * Nothing yet (not started) has no statement. A score at the bar that did not make the work
 * mastered is one the pod does not count (self-reported): completed, neither passed nor failed.
 */
export function verbFor(row: Pick<ProgressRow, 'status' | 'score' | 'kind' | 'maxScore'>): XapiVerb | null {
	switch (row.status) {
		case 'not_started':
			return null;
		case 'in_progress':
		case 'stuck':
			return 'attempted';
		case 'mastered':
			return row.score === null ? 'completed' : 'passed';
		case 'submitted': {
			const scored = (row.maxScore !== null || row.kind === 'assessment') && row.score !== null;
			return scored && row.score! < MASTERY_PERCENT ? 'failed' : 'completed';
		}
	}
}

// Any fixed UUID: statement ids are version-5 UUIDs named within it (RFC 9562).
const STATEMENT_NAMESPACE = '6f1c5d2e-8a4b-4c3d-9e7f-1a2b3c4d5e6f';

/** A name-based UUID: the same name always gives the same id. */
export function uuidV5(name: string, namespace = STATEMENT_NAMESPACE): string {
	const bytes = createHash('sha1')
		.update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
		.update(name, 'utf8')
		.digest()
		.subarray(0, 16);
	bytes[6] = (bytes[6] & 0x0f) | 0x50;
	bytes[8] = (bytes[8] & 0x3f) | 0x80;
	const hex = bytes.toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The statement for a playlist item's state, or null before any work. Its id is stable for
 * the same state, so sending an export twice to a record store stores it once.
 */
export function statementFor(row: ProgressRow, origin: string): XapiStatement | null {
	const verb = verbFor(row);
	if (verb === null || row.lastEventAt === null) return null;
	const result: XapiStatement['result'] = {
		completion: verb !== 'attempted',
		duration: `PT${row.secondsSpent}S`
	};
	if (row.score !== null) {
		const byPoints = row.maxScore !== null && row.points !== null;
		const max = byPoints ? row.maxScore! : 100;
		const raw = byPoints ? Math.min(Math.max(row.points!, 0), max) : row.score;
		result.score = { scaled: row.score / 100, raw, min: 0, max };
		if (row.scoreSource !== null) result.extensions = { [SCORE_SOURCE_EXTENSION]: row.scoreSource };
	}
	if (verb === 'passed' || verb === 'failed') result.success = verb === 'passed';
	const type = ACTIVITY_TYPES[row.kind];
	return {
		id: uuidV5(
			[
				row.assignmentId,
				row.status,
				row.score,
				row.points,
				row.attempts,
				row.lastEventAt,
				row.scoreSource
			].join('|')
		),
		actor: {
			objectType: 'Agent',
			name: `${row.givenName} ${row.familyName}`,
			account: { homePage: origin, name: row.studentId }
		},
		verb: { id: XAPI_VERBS[verb], display: { 'en-US': verb } },
		object: {
			objectType: 'Activity',
			id: `${origin}/activities/${row.activityId}`,
			definition: { name: { 'en-US': row.activity }, ...(type ? { type } : {}) }
		},
		result,
		timestamp: row.lastEventAt,
		context: { platform: 'Podboard' }
	};
}

/** Every statement the pod's progress makes, in the rows' order. */
export function progressStatements(rows: readonly ProgressRow[], origin: string): XapiStatement[] {
	return rows.flatMap((row) => statementFor(row, origin) ?? []);
}
