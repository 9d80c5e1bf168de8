// The one strength rule for a staff password: `npm run admin:create`, an invitation's page, and
// changing your own password all apply it. Browser-safe, so a page can say it before sending.

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

/** The reason a password is too weak (or too long) to accept, or null. */
export function passwordProblem(password: string): string | null {
	if (password.length < MIN_PASSWORD_LENGTH)
		return `The password needs at least ${MIN_PASSWORD_LENGTH} characters.`;
	if (password.length > MAX_PASSWORD_LENGTH)
		return `The password can have at most ${MAX_PASSWORD_LENGTH} characters.`;
	return null;
}
