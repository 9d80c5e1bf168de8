import type { InvitationPurpose } from '../db/schema';
import type { OutgoingMail } from './mailer';

/** The day a link stops working, as a person reads it ("Sunday, December 13"), in UTC. */
function dayOf(iso: string): string {
	return new Date(iso).toLocaleDateString('en-US', {
		weekday: 'long',
		month: 'long',
		day: 'numeric',
		timeZone: 'UTC'
	});
}

/**
 * The message that carries a link to set a password: plain text, so every mail program shows
 * it the same and the whole link can be copied. It says what the link does, until when, and
 * what to do if it was not expected.
 */
export function passwordLinkMail(input: {
	to: string;
	name: string;
	link: string;
	expiresAt: string;
	purpose: InvitationPurpose;
}): OutgoingMail {
	const until = `It works once, until ${dayOf(input.expiresAt)}.`;
	if (input.purpose === 'invite') {
		return {
			to: input.to,
			subject: 'Your Podboard account: set your password',
			text: [
				`Hello ${input.name},`,
				'',
				"Your school's Podboard admin has made you an account. Open this link to set your password and sign in:",
				'',
				input.link,
				'',
				`${until} If it has stopped working, ask your school's Podboard admin for a new one.`
			].join('\n')
		};
	}
	return {
		to: input.to,
		subject: 'Set a new Podboard password',
		text: [
			`Hello ${input.name},`,
			'',
			'Open this link to set a new Podboard password:',
			'',
			input.link,
			'',
			until,
			'If you did not ask for this, you can ignore this message: your password stays as it is.'
		].join('\n')
	};
}
