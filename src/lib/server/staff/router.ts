import { z } from 'zod';
import { POD_ROLES } from '../db/schema';
import { deliver, emailIsOn, getMailer, type Delivery } from '../email/mailer';
import { passwordLinkMail } from '../email/messages';
import { adminProcedure, router } from '../trpc/procedures';
import {
	addStaff,
	deactivateStaff,
	issuePasswordLink,
	podChoices,
	reactivateStaff,
	setSchoolAdmin,
	staffDirectory,
	staffMember
} from './accounts';
import type { IssuedInvitation } from './invitations';
import { addToTeam, moveToTeam, podTeam, removeFromTeam, setTeamPlace, setTeamRole } from './teams';

const name = z
	.string()
	.trim()
	.min(1, { error: 'Enter their name' })
	.max(120, { error: 'A name has at most 120 characters' });
const email = z.email({ error: 'Enter an email address like name@school.org' }).max(254);
const role = z.enum(POD_ROLES, { error: 'The role is lead, teacher or support' });
const userId = z.uuid({ error: "userId must be a staff member's id" });
const podId = z.uuid({ error: 'podId must be a pod id' });

/** A link just made, as the admin's page shows it, and whether it also went by email. */
export interface Handover {
	/** `/invite/<token>`: the page puts its own address in front to show, copy or print. */
	path: string;
	purpose: IssuedInvitation['purpose'];
	expiresAt: string;
	/** 'off' without SMTP_URL: the link must be handed over. */
	delivery: Delivery;
}

/**
 * Email the link (once its change has committed), waiting for the mail server only briefly. A
 * failure is the admin's to hear about, never a reason to lose the link: it is stored already.
 */
async function handOver(
	invitation: IssuedInvitation,
	person: { name: string; email: string | null }
): Promise<Handover> {
	const mailer = getMailer();
	const delivery =
		mailer && person.email
			? await deliver(
					passwordLinkMail({
						to: person.email,
						name: person.name,
						link: `${mailer.origin}${invitation.path}`,
						expiresAt: invitation.expiresAt,
						purpose: invitation.purpose
					}),
					{ mailer }
				)
			: 'off';
	return { path: invitation.path, purpose: invitation.purpose, expiresAt: invitation.expiresAt, delivery };
}

export const staffRouter = router({
	/** Every staff account, imported ones included, with their pods and sign-in state. */
	list: adminProcedure.query(async ({ ctx }) => {
		const [people, pods] = await Promise.all([staffDirectory(ctx.db), podChoices(ctx.db)]);
		return { people, pods, emailOn: emailIsOn(), myId: ctx.user.id };
	}),

	/** One staff member's page. */
	member: adminProcedure.input(z.object({ userId })).query(async ({ ctx, input }) => {
		const [person, pods] = await Promise.all([staffMember(ctx.db, input.userId), podChoices(ctx.db)]);
		return { person, pods, emailOn: emailIsOn(), myId: ctx.user.id };
	}),

	/** A pod's team, for its team page. */
	team: adminProcedure.input(z.object({ podId })).query(async ({ ctx, input }) => ({
		...(await podTeam(ctx.db, input.podId)),
		emailOn: emailIsOn()
	})),

	/** A new staff account with an invitation link to set their password (no pod yet). */
	create: adminProcedure
		.input(z.object({ name, email, isAdmin: z.boolean().default(false) }))
		.mutation(async ({ ctx, input }) => {
			const added = await addStaff(ctx, input);
			return {
				person: added.person,
				invitation: added.invitation && (await handOver(added.invitation, added.person))
			};
		}),

	/**
	 * A pod's team page's *Add to pod*: a new account (with its invitation link), or the account
	 * that email already has, put on the team with a role.
	 */
	addToPod: adminProcedure.input(z.object({ podId, name, email, role })).mutation(async ({ ctx, input }) => {
		const added = await addStaff(ctx, {
			name: input.name,
			email: input.email,
			pod: { id: input.podId, role: input.role }
		});
		return {
			person: added.person,
			created: added.created,
			invitation: added.invitation && (await handOver(added.invitation, added.person))
		};
	}),

	/** Put an existing staff member on a pod's team. */
	putOnPod: adminProcedure.input(z.object({ podId, userId, role })).mutation(async ({ ctx, input }) => {
		await addToTeam(ctx, input);
		return { ok: true as const };
	}),

	setRole: adminProcedure
		.input(z.object({ podId, userId, role }))
		.mutation(async ({ ctx, input }) => ({ changed: (await setTeamRole(ctx, input)).changed })),

	/** Teacher of record, and remote: where a member stands on a pod's team. */
	setPlace: adminProcedure
		.input(
			z.object({
				podId,
				userId,
				teacherOfRecord: z.boolean({ error: 'teacherOfRecord is true or false' }),
				remote: z.boolean({ error: 'remote is true or false' })
			})
		)
		.mutation(async ({ ctx, input }) => ({ changed: (await setTeamPlace(ctx, input)).changed })),

	removeFromPod: adminProcedure
		.input(z.object({ podId, userId }))
		.mutation(async ({ ctx, input }) => ({ changed: (await removeFromTeam(ctx, input)).changed })),

	moveToPod: adminProcedure
		.input(z.object({ fromPodId: podId, toPodId: podId, userId, role }))
		.mutation(async ({ ctx, input }) => {
			await moveToTeam(ctx, input);
			return { ok: true as const };
		}),

	/**
	 * A new link to set their password: their invitation if they have none, or a reset (their
	 * password stops working and their sessions end). Any earlier link of theirs ends.
	 */
	invite: adminProcedure.input(z.object({ userId })).mutation(async ({ ctx, input }) => {
		const { person, invitation, sessionsEnded } = await issuePasswordLink(ctx, input.userId);
		return {
			person: { id: person.id, name: person.name },
			sessionsEnded,
			invitation: await handOver(invitation, person)
		};
	}),

	/** Switch an account off: its sessions and live streams end, its link stops working. */
	deactivate: adminProcedure.input(z.object({ userId })).mutation(async ({ ctx, input }) => {
		const { changed, sessionsEnded } = await deactivateStaff(ctx, input.userId);
		return { changed, sessionsEnded };
	}),

	reactivate: adminProcedure
		.input(z.object({ userId }))
		.mutation(async ({ ctx, input }) => ({ changed: (await reactivateStaff(ctx, input.userId)).changed })),

	setAdmin: adminProcedure
		.input(z.object({ userId, isAdmin: z.boolean({ error: 'isAdmin is true or false' }) }))
		.mutation(async ({ ctx, input }) => ({ changed: (await setSchoolAdmin(ctx, input)).changed }))
});
