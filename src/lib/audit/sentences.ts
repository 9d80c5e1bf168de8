// The audit log in sentences a lead reads aloud: "Maya Okafor unlocked sign-in for Ana Ruiz".
// One function over every action the server records; names come from the log's reader (the
// server looks up each id an entry mentions), so no id or code word reaches the page.

/** One audit entry as the log's reader answers it. */
export interface AuditLine {
	actor: string;
	action: string;
	entity: string;
	entityId: string | null;
	/** The person the entry is about, when the record is a person. */
	subject: string | null;
	detail: Record<string, unknown>;
}

/** The names of the records entries mention (people, groups, activities…), by id. */
export type AuditNames = Readonly<Record<string, string>>;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const count = (value: unknown): number =>
	Array.isArray(value) ? value.length : typeof value === 'number' ? value : 0;
const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value : null);
const possessive = (name: string) => `${name}’${name.endsWith('s') ? '' : 's'}`;

/** What a kind of record is called, in words (for the log's "Record" filter too). */
export const RECORD_WORDS: Record<string, string> = {
	activity: 'Activities',
	assignment: 'Playlist items',
	calendar: 'School calendar',
	coaching_note: 'Coaching notes',
	day_off: 'Days off',
	duties: 'Duties (the week)',
	duty: 'Duties',
	duty_blocks: 'Day plan blocks',
	flag: 'Flags',
	group: 'Groups',
	help_request: 'Hands up',
	playlist: 'Playlists',
	pod: 'Pod settings',
	pod_progress: 'Pod exports',
	roster: 'Roster imports',
	school: 'Schools',
	session: 'Sign-ins',
	signIn: 'Sign-in locks',
	sign_in_card: 'Sign-in cards',
	skill: 'Skills',
	student: 'Students',
	user: 'People'
};

/** What an action is called, in words (for the log's "Action" filter). */
export const ACTION_WORDS: Record<string, string> = {
	add: 'Added',
	addToTeam: 'Added to a team',
	archive: 'Archived',
	away: 'Marked away',
	back: 'Marked back',
	bulk_assign: 'Assigned to many',
	changePassword: 'Changed a password',
	claim: 'Claimed',
	correct: 'Corrected',
	create: 'Created',
	deactivate: 'Switched off',
	delete: 'Deleted',
	erase: 'Erased',
	export: 'Exported',
	finish: 'Finished',
	generate: 'Generated',
	handOff: 'Handed off',
	import: 'Imported',
	invite: 'Invited',
	issue: 'Made cards',
	makeAdmin: 'Made admin',
	move: 'Moved',
	moveToTeam: 'Moved to a team',
	newJoinCode: 'New pod code',
	raise: 'Raised',
	reactivate: 'Switched on',
	read: 'Opened a record',
	record: 'Recorded',
	reflect: 'Reflected',
	release: 'Released',
	removeFromTeam: 'Removed from a team',
	remove: 'Removed',
	rename: 'Renamed',
	reorder: 'Reordered',
	resolve: 'Resolved',
	restore: 'Restored',
	saveDay: 'Saved a day plan',
	set: 'Set',
	setCheck: 'Changed a quick check',
	setPassword: 'Set a password',
	setRole: 'Changed a role',
	setScore: 'Set a score',
	setThresholds: 'Changed flag rules',
	signIn: 'Signed in',
	signOut: 'Signed out',
	start: 'Started',
	swap: 'Swapped',
	unlock: 'Unlocked sign-in',
	unmakeAdmin: 'Unmade admin',
	update: 'Changed',
	void: 'Voided a card'
};

export const recordWords = (entity: string) => RECORD_WORDS[entity] ?? entity.replace(/_/g, ' ');
export const actionWords = (action: string) =>
	ACTION_WORDS[action] ?? action.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2');

/** The entry as one sentence, its actor first: "Maya Okafor unlocked sign-in for Ana Ruiz." */
export function auditSentence(entry: AuditLine, names: AuditNames = {}): string {
	const { actor, action, entity, detail } = entry;
	const name = (id: unknown, otherwise: string) => (typeof id === 'string' && names[id]) || otherwise;
	/** The record the entry is about, by name: a person, a group, an activity… */
	const about = (otherwise: string) => entry.subject ?? name(entry.entityId, otherwise);
	const to = (otherwise: string) => name(detail.to, otherwise);
	const did = (what: string) => `${actor} ${what}.`;

	switch (`${action} ${entity}`) {
		case 'unlock signIn':
			return detail.students === 'all'
				? did(`unlocked sign-in for everyone in the pod`)
				: did(`unlocked sign-in for ${about('a student')}`);
		case 'signIn session':
			return did(
				detail.with === 'card'
					? 'signed in with a sign-in card'
					: detail.with === 'invitation'
						? 'signed in from an invitation link'
						: 'signed in'
			);
		case 'signOut session':
			return did('signed out');
		case 'read student':
			return did(
				`opened ${possessive(about('a student'))} record${text(detail.in) ? ` in ${detail.in}` : ''}`
			);
		case 'issue sign_in_card': {
			const cards = Array.isArray(detail.cards) ? (detail.cards as { studentId?: string }[]) : [];
			return cards.length === 1
				? did(`made a new sign-in card for ${name(cards[0].studentId, 'a student')}`)
				: did(`made new sign-in cards for ${plural(cards.length, 'student')}`);
		}
		case 'void sign_in_card':
			return did(`voided ${possessive(name(detail.studentId, 'a student'))} sign-in card`);
		case 'raise flag':
			return did(
				`flagged ${count(detail.studentIds) === 1 ? name((detail.studentIds as unknown[])[0], 'a student') : plural(count(detail.studentIds), 'student')}${text(detail.reason) ? `: “${detail.reason}”` : ''}`
			);
		case 'resolve flag':
			return did(`resolved a flag for ${about('a student')}${text(detail.note) ? `: “${detail.note}”` : ''}`);
		case 'setThresholds pod':
			return did('changed the flag rules');
		case 'setCheck activity':
			return did(
				count(detail.items)
					? `set a quick check of ${plural(count(detail.items), 'question')} on ${about('an activity')}`
					: `took the quick check off ${about('an activity')}`
			);
		case 'create group':
			return did(
				`formed the group “${text(detail.title) ?? about('a group')}” with ${plural(count(detail.studentIds), 'student')}`
			);
		case 'claim group':
			return did(`claimed the group “${about('a group')}”`);
		case 'release group':
			return did(`let go of the group “${about('a group')}”`);
		case 'handOff group':
			return did(`handed the group “${about('a group')}” to ${to('a teacher')}`);
		case 'start group':
			return did(`started the group “${about('a group')}”`);
		case 'finish group':
			return did(
				`finished the group “${about('a group')}”${text(detail.outcome) ? `: “${detail.outcome}”` : ''}`
			);
		case 'claim help_request':
			return did(`went to ${possessive(about('a student'))} raised hand`);
		case 'release help_request':
			return did(`let go of ${possessive(about('a student'))} raised hand`);
		case 'resolve help_request':
			return did(`helped ${about('a student')}${text(detail.note) ? `: “${detail.note}”` : ''}`);
		case 'add playlist':
			return did(
				`added ${plural(count(detail.added), 'activity', 'activities')} to ${possessive(about('a student'))} playlist`
			);
		case 'bulk_assign playlist':
			return did(
				`assigned ${plural(count(detail.activityIds), 'activity', 'activities')} to ${plural(count(detail.students), 'student')} (${plural(count(detail.added), 'new playlist item')})`
			);
		case 'reorder playlist':
			return did(`reordered ${possessive(about('a student'))} playlist`);
		case 'remove assignment':
			return did(
				`took ${name(detail.activityId, 'an activity')} off ${possessive(name(detail.studentId, 'a student'))} playlist`
			);
		case 'update assignment':
			return did(`changed ${about('a playlist item')}`);
		case 'setScore assignment':
			// A playlist item's name says whose it is: "Ana Ruiz’s Fractions quiz".
			return did(`marked ${about('a playlist item')}: ${String(detail.score)}`);
		case 'create activity':
			return did(`added the activity “${text(detail.title) ?? about('an activity')}” to the library`);
		case 'update activity':
			return did(`changed the activity “${text(detail.title) ?? about('an activity')}”`);
		case 'archive activity':
		case 'restore activity':
			return did(`${action === 'archive' ? 'archived' : 'restored'} the activity “${about('an activity')}”`);
		case 'create skill':
		case 'update skill':
		case 'delete skill':
			return did(
				`${{ create: 'added', update: 'changed', delete: 'deleted' }[action]} the skill ${text(detail.code) ?? about('a skill')}`
			);
		case 'generate duties':
			return did(`generated the duties for the week of ${String(detail.weekOf ?? '')}`.trimEnd());
		case 'set duty':
			return did(`set a duty for ${name(detail.teacherId, 'a teacher')} (week of ${String(detail.weekOf)})`);
		case 'swap duty':
			return did(`swapped duties (week of ${String(detail.weekOf)})`);
		case 'away duty':
			return did(
				`marked ${name(detail.teacherId, 'a teacher')} away for a block (week of ${String(detail.weekOf)})`
			);
		case 'back duty':
			return did(
				`marked ${name(detail.teacherId, 'a teacher')} back for a block (week of ${String(detail.weekOf)})`
			);
		case 'saveDay duty_blocks':
			return did('changed the blocks of a school day');
		case 'record coaching_note':
			return did(`recorded a coaching note for ${name(detail.teacherId, 'a teacher')}`);
		case 'update coaching_note':
			return did(`changed a coaching note for ${name(detail.teacherId, 'a teacher')}`);
		case 'reflect coaching_note':
			return did(`wrote a reflection on a coaching note`);
		case 'export pod_progress':
			return did(`exported the pod’s progress (${detail.format === 'xapi' ? 'xAPI' : 'CSV'})`);
		case 'export student':
			return did(`downloaded ${possessive(about('a student'))} data`);
		case 'correct student':
			return did(`corrected ${possessive(about('a student'))} record`);
		case 'erase student':
			return did(`erased a student’s data`);
		case 'move student':
			return did(`moved ${about('a student')} from ${name(detail.from, 'a pod')} to ${to('another pod')}`);
		case 'create user':
			return did(`added ${about('a person')}${detail.kind === 'student' ? ' as a student' : ''}`);
		case 'import roster':
			return did('imported the roster');
		case 'invite user':
			return did(
				`made a ${detail.purpose === 'reset' ? 'password reset' : 'invitation'} link for ${about('a person')}`
			);
		case 'setPassword user':
			return did('set their password from a link');
		case 'changePassword user':
			return did('changed their password');
		case 'setRole user':
			return did(
				`made ${about('a person')} ${detail.to === 'lead' ? 'the lead' : `a ${String(detail.to ?? 'teacher')}`}`
			);
		case 'addToTeam user':
			return did(
				`added ${about('a person')} to the team as ${detail.role === 'lead' ? 'lead' : String(detail.role ?? 'teacher')}`
			);
		case 'removeFromTeam user':
			return did(`removed ${about('a person')} from the team`);
		case 'moveToTeam user':
			return did(`moved ${about('a person')} to ${to('another pod')}’s team`);
		case 'deactivate user':
			return did(`switched off ${possessive(about('a person'))} account`);
		case 'reactivate user':
			return did(`switched on ${possessive(about('a person'))} account`);
		case 'makeAdmin user':
			return did(`made ${about('a person')} an admin`);
		case 'unmakeAdmin user':
			return did(`took admin away from ${about('a person')}`);
		case 'create pod':
			return did(`created the pod ${text(detail.name) ?? ''}`.trimEnd());
		case 'update pod':
			return did('changed the pod’s settings');
		case 'archive pod':
			return did('archived the pod');
		case 'restore pod':
			return did('restored the pod');
		case 'newJoinCode pod':
			return did('gave the pod a new pod code');
		case 'create school':
			return did(`added the school ${text(detail.name) ?? ''}`.trimEnd());
		case 'rename school':
			return did('renamed the school');
		case 'create day_off':
			return did(`added a day off${text(detail.name) ? `: ${detail.name}` : ''}`);
		case 'delete day_off':
			return did(`removed a day off${text(detail.name) ? `: ${detail.name}` : ''}`);
		case 'import calendar':
			return did('imported the school calendar');
	}
	// An action this list does not know yet still reads as words, never as code.
	const subject = entry.subject ?? (entry.entityId ? names[entry.entityId] : null);
	return did(
		`${actionWords(action).toLowerCase()}: ${recordWords(entity).toLowerCase()}${subject ? `, ${subject}` : ''}`
	);
}
