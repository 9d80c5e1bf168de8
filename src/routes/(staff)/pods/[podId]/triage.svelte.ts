import type {
	AttendanceDay,
	Coverage,
	DayNote,
	Flag,
	HelpRequest,
	InterventionGroup,
	LockedStudent,
	SuggestedGroup
} from '$lib/dashboard/types';
import type { FlagRule } from '$lib/domain';
import type { DutyWeek } from '$lib/duties/types';
import { isPodEventKind, type PodEventKind, type PodEventMessage } from '$lib/live/events';
import type { PodStream } from '$lib/live/pod-stream.svelte';
import { messageOf, trpc } from '$lib/trpc';

type Part = 'flags' | 'groups' | 'help' | 'duties' | 'locks' | 'attendance' | 'coverage' | 'note';

/** Which parts of the triage each kind of pod event changes: a new kind must be given its line. */
const PARTS_OF: Record<PodEventKind, Part[]> = {
	'flags.changed': ['flags', 'groups'],
	// A group that meets is a contact with an adult.
	'groups.changed': ['groups', 'flags', 'coverage'],
	'help.changed': ['help', 'coverage'],
	// Absent students leave the suggested groups and the contacts still to make.
	'attendance.changed': ['attendance', 'groups', 'coverage'],
	'dayNote.changed': ['note'],
	// An observation is a contact with an adult.
	'observation.recorded': ['coverage'],
	'duties.changed': ['duties'],
	// A day off on the calendar has no duties.
	'calendar.changed': ['duties'],
	'signIn.locked': ['locks'],
	'signIn.unlocked': ['locks'],
	// The board's to show: cells, playlists and people.
	progress: [],
	'mastery.rulesChanged': [],
	'playlist.changed': [],
	'roster.changed': ['attendance', 'coverage']
};

/**
 * The team's triage beside the board: hands up, open flags, intervention groups. Each list is
 * read whole, and again when the pod's live stream says it changed (a few reads coalesce).
 */
export class Triage {
	readonly podId: string;
	readonly me: string;
	flags = $state.raw<Flag[]>([]);
	groups = $state.raw<InterventionGroup[]>([]);
	suggestions = $state.raw<SuggestedGroup[]>([]);
	help = $state.raw<HelpRequest[]>([]);
	duties = $state.raw<DutyWeek | null>(null);
	/** Students who cannot sign in with their pictures right now (too many wrong tries). */
	locks = $state.raw<LockedStudent[]>([]);
	/** Today's attendance and the room's ratio. */
	attendance = $state.raw<AttendanceDay | null>(null);
	/** Who has had an adult today, and who has not yet. */
	coverage = $state.raw<Coverage | null>(null);
	/** Today's note for the adults in the room, or null when none is written. */
	note = $state.raw<DayNote | null>(null);
	/** Flags ticked to form a group from. */
	chosenFlags = $state<string[]>([]);
	flagRule = $state<FlagRule | 'all'>('all');
	onlyMine = $state(false);
	/** What went wrong with the last action, said so the teacher can act; by the thing it was about. */
	problems = $state<Record<string, string>>({});
	/** Ticks every half minute so waiting times move (ms since the epoch). */
	clock = $state(Date.now());

	/** Who walks the floor (and so owns the help queue) right now. */
	onFloor = $derived.by(() => {
		const week = this.duties;
		if (!week?.now.blockId) return [];
		const ids = week.duties
			.filter((d) => d.blockId === week.now.blockId && d.duty === 'floor')
			.map((d) => d.teacherId);
		return week.team.filter((t) => ids.includes(t.id));
	});
	shownFlags = $derived(
		this.flagRule === 'all' ? this.flags : this.flags.filter((f) => f.rule === this.flagRule)
	);
	shownGroups = $derived(this.onlyMine ? this.groups.filter((g) => g.owner?.id === this.me) : this.groups);
	// Not reactive on purpose: which lists to read at the next refresh.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#stale = new Set<Part>();
	#timer: ReturnType<typeof setTimeout> | undefined;

	/** Whether the viewer forms groups (a teacher); support staff run the groups they are given. */
	readonly canPlan: boolean;
	/** Whether the viewer leads the pod (or is a school admin): marks other adults in and out. */
	readonly leads: boolean;

	constructor(podId: string, me: string, { canPlan = true, leads = false } = {}) {
		this.podId = podId;
		this.me = me;
		this.canPlan = canPlan;
		this.leads = leads;
	}

	/** Read everything, follow the pod's live stream, and keep the clock moving. Returns the teardown. */
	follow(stream: PodStream<PodEventMessage>): () => void {
		this.#refresh(['flags', 'groups', 'help', 'duties', 'locks', 'attendance', 'coverage', 'note']);
		const stop = stream.subscribe((message) => {
			// A kind another version of Podboard wrote changes nothing here.
			if (isPodEventKind(message.kind)) this.#refresh(PARTS_OF[message.kind]);
		});
		const clock = setInterval(() => (this.clock = Date.now()), 30_000);
		// The block running now moves on with the clock; locks run out on their own after their window.
		const blocks = setInterval(() => this.#refresh(['duties', 'locks']), 60_000);
		return () => {
			stop();
			clearInterval(clock);
			clearInterval(blocks);
			clearTimeout(this.#timer);
		};
	}

	#refresh(parts: Part[]) {
		if (parts.length === 0) return;
		for (const part of parts) this.#stale.add(part);
		// A burst of events (a class submitting at once) reads each list once.
		this.#timer ??= setTimeout(() => {
			this.#timer = undefined;
			const stale = [...this.#stale];
			this.#stale.clear();
			this.clock = Date.now();
			for (const part of stale) void this.#read(part);
		}, 150);
	}

	async #read(part: Part) {
		const podId = this.podId;
		try {
			if (part === 'flags') this.flags = await trpc.flags.list.query({ podId });
			if (part === 'help') this.help = await trpc.help.queue.query({ podId });
			if (part === 'duties') this.duties = await trpc.duties.week.query({ podId });
			if (part === 'locks') this.locks = await trpc.signInLocks.list.query({ podId });
			if (part === 'attendance') this.attendance = await trpc.attendance.today.query({ podId });
			if (part === 'coverage') this.coverage = await trpc.attendance.coverage.query({ podId });
			if (part === 'note') this.note = await trpc.team.dayNote.query({ podId });
			if (part === 'groups') {
				const [groups, suggestions] = await Promise.all([
					trpc.groups.list.query({ podId }),
					trpc.groups.suggestions.query({ podId })
				]);
				this.groups = groups;
				this.suggestions = suggestions;
			}
			delete this.problems[part];
		} catch (error) {
			this.problems[part] = messageOf(error);
		}
	}

	/** Run an action; on failure keep its message by `key`, read the lists again, and answer false. */
	async act(key: string, action: () => Promise<unknown>): Promise<boolean> {
		delete this.problems[key];
		try {
			await action();
			return true;
		} catch (error) {
			this.problems[key] = messageOf(error);
			// What the teacher saw is out of date (someone else was quicker): show what is true now.
			this.#refresh(['flags', 'groups', 'help']);
			return false;
		}
	}

	get now() {
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- made fresh from `clock` on each read
		return new Date(this.clock);
	}

	/** Who is going to a hand, as the queue and the student's panel both say it; null for nobody yet. */
	whoIsGoing(hand: HelpRequest): string | null {
		if (!hand.claimedBy) return null;
		return hand.claimedBy.id === this.me ? 'You are going' : `${hand.claimedBy.name} is going`;
	}

	toggleFlag(flagId: string) {
		this.chosenFlags = this.chosenFlags.includes(flagId)
			? this.chosenFlags.filter((id) => id !== flagId)
			: [...this.chosenFlags, flagId];
	}
}
