// How the staff pages say a person's state: browser-safe words from the API's plain data.

import { POD_ROLES, type PodRole } from '../domain';

export const ROLE_NAMES: Record<PodRole, string> = {
	lead: 'Lead facilitator',
	teacher: 'Team teacher',
	support: 'Support staff'
};

/** The role a form's Role field chose; a team teacher when it names none we know. */
export const podRoleOf = (value: FormDataEntryValue | null): PodRole =>
	POD_ROLES.find((role) => role === value) ?? 'teacher';

/** "Tuesday, December 8": when a link stops working. */
export const dayOf = (iso: string): string =>
	new Date(iso).toLocaleDateString('en-US', { weekday: 'long', month: 'long', day: 'numeric' });

/** Can they sign in, and if not, what would let them. */
export function signInState(person: {
	active: boolean;
	hasPassword: boolean;
	openLink: { purpose: 'invite' | 'reset'; expiresAt: string } | null;
}): string {
	if (!person.active) return 'Switched off';
	if (person.openLink)
		return `${person.openLink.purpose === 'invite' ? 'Invited' : 'Reset link sent'}, until ${dayOf(person.openLink.expiresAt)}`;
	return person.hasPassword ? 'Has a password' : 'No password yet: needs an invitation link';
}
