// What the board does with each message of the pod's live stream. Browser-safe and pure.
import type { AssignmentStatus } from '../server/db/schema';
import { isStatus } from './words';

export interface LiveMessage {
	seq: number;
	kind: string;
	payload: unknown;
	at: string;
}

export interface CellChange {
	assignmentId: string;
	studentId: string;
	activityId: string;
	status: AssignmentStatus;
	score: number | null;
	lastEventAt: string | null;
}

export type LiveAction =
	/** Change these cells, and nothing else. */
	| { kind: 'cells'; changes: CellChange[]; studentIds: string[] }
	/** Students' open flags changed: these are their counts now. */
	| { kind: 'flags'; openFlags: Record<string, number>; studentIds: string[] }
	/** Cells came or went, or groups changed: read the board again. */
	| { kind: 'reload'; studentIds: string[] }
	/** A kind this board does not show (yet). */
	| { kind: 'ignore' };

const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

const strings = (value: unknown): string[] =>
	Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

function cellChange(value: unknown): CellChange | null {
	if (!isRecord(value)) return null;
	const { assignmentId, studentId, activityId, status, score, lastEventAt } = value;
	if (typeof assignmentId !== 'string' || typeof studentId !== 'string' || typeof activityId !== 'string')
		return null;
	if (!isStatus(status)) return null;
	return {
		assignmentId,
		studentId,
		activityId,
		status,
		score: typeof score === 'number' ? score : null,
		lastEventAt: typeof lastEventAt === 'string' ? lastEventAt : null
	};
}

export function actionFor(message: Pick<LiveMessage, 'kind' | 'payload'>): LiveAction {
	const payload = isRecord(message.payload) ? message.payload : {};
	const studentIds = strings(payload.studentIds);
	if (message.kind === 'progress') {
		const raw = Array.isArray(payload.assignments) ? payload.assignments : [];
		const changes = raw.map(cellChange);
		// A change the board cannot read is a change it would miss: read the whole board instead.
		if (changes.some((c) => c === null)) return { kind: 'reload', studentIds };
		return { kind: 'cells', changes: changes as CellChange[], studentIds };
	}
	if (message.kind === 'flags.changed') {
		const counts = isRecord(payload.openFlags) ? payload.openFlags : {};
		const openFlags: Record<string, number> = {};
		for (const id of studentIds) {
			const count = counts[id];
			// A count the board cannot read: read the whole board instead.
			if (typeof count !== 'number') return { kind: 'reload', studentIds };
			openFlags[id] = count;
		}
		return { kind: 'flags', openFlags, studentIds };
	}
	if (['playlist.changed', 'groups.changed', 'roster.changed'].includes(message.kind)) {
		return { kind: 'reload', studentIds };
	}
	return { kind: 'ignore' };
}
