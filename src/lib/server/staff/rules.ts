import type { InvitationStatus, PodRole } from '../db/schema';

// The rules of a school's staff, as functions of plain data: tested without a database, and
// asked by the domain inside the transaction that makes the change (after taking turns).

/**
 * A person's one *Name* field as the two the records keep: the last word is the family name
 * ("Maya Okafor", "Mary Ann Smith"); one word is a given name alone.
 */
export function splitName(name: string): { givenName: string; familyName: string } {
	const words = name.trim().split(/\s+/).filter(Boolean);
	if (words.length <= 1) return { givenName: words[0] ?? '', familyName: '' };
	return { givenName: words.slice(0, -1).join(' '), familyName: words[words.length - 1] };
}

/** "Maya Okafor", or "Cher" for someone with one name. */
export const fullName = (person: { given_name: string; family_name: string }): string =>
	[person.given_name, person.family_name].filter(Boolean).join(' ');

export interface TeamMember {
	userId: string;
	role: PodRole;
	active: boolean;
}

/**
 * Would this change leave a pod that has an active lead with none? `becomes` is the person's
 * role after the change, or null when they leave the pod (or their account is switched off).
 * A pod that never had a lead (a new one, still being staffed) is left as it is.
 */
export function leavesNoLead(
	team: readonly TeamMember[],
	change: { userId: string; becomes: PodRole | null }
) {
	const leads = team.filter((member) => member.role === 'lead' && member.active);
	const theyLead = leads.some((lead) => lead.userId === change.userId);
	return theyLead && leads.length === 1 && change.becomes !== 'lead';
}

export const onlyLeadMessage = (name: string) => `${name} is the pod's only lead; name another lead first.`;

/** Would this leave the school with no active admin (and so nobody who can run the admin area)? */
export function leavesNoAdmin(activeAdminIds: readonly string[], losing: string): boolean {
	return activeAdminIds.length === 1 && activeAdminIds[0] === losing;
}

export const lastAdminMessage = (name: string) =>
	`${name} is the school's last admin; make someone else an admin first.`;

/** How long a link to set a password works. */
export const INVITATION_DAYS = 7;

export type InvitationState = InvitationStatus | 'expired';

/** What a stored link is now: open until it expires, unless used or ended first. */
export function invitationState(
	invitation: { status: InvitationStatus; expires_at: string },
	now: Date
): InvitationState {
	if (invitation.status !== 'open') return invitation.status;
	return Date.parse(invitation.expires_at) <= now.getTime() ? 'expired' : 'open';
}
