import type { Db } from '../db';
import type { PodRole } from '../db/schema';
import { isoNow, newId } from '../ids';
import { Conflict, NotFound } from '../errors';

export const MIN_PASSWORD_LENGTH = 10;

export interface NewStaffAccount {
	email: string;
	givenName: string;
	familyName: string;
	/** From hashSecret(), computed before any transaction opens: it takes ~50 ms. */
	passwordHash: string;
	isAdmin?: boolean;
	pod?: { id: string; role: PodRole };
}

/** The reason a password is too weak to accept, or null. */
export function passwordProblem(password: string): string | null {
	if (password.length < MIN_PASSWORD_LENGTH)
		return `The password needs at least ${MIN_PASSWORD_LENGTH} characters.`;
	if (password.length > 200) return 'The password can have at most 200 characters.';
	return null;
}

/** The pod a new account joins the team of, if any: NOT_FOUND when there is no such pod. */
async function podToJoin(db: Db, pod: { id: string } | undefined): Promise<void> {
	if (!pod) return;
	const found = await db.selectFrom('pods').select('id').where('id', '=', pod.id).executeTakeFirst();
	if (!found) throw new NotFound('No pod has that id.');
}

/** A staff account, optionally on a pod's team. Used by the admin page and `npm run admin:create`. */
export async function createStaffAccount(db: Db, account: NewStaffAccount, now = new Date()) {
	await podToJoin(db, account.pod);
	const email = account.email.trim().toLowerCase();
	const taken = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
	if (taken) throw new Conflict(`An account for ${email} already exists.`);
	const id = newId();
	await db
		.insertInto('users')
		.values({
			id,
			kind: 'staff',
			given_name: account.givenName.trim(),
			family_name: account.familyName.trim(),
			email,
			password_hash: account.passwordHash,
			is_admin: account.isAdmin ? 1 : 0,
			created_at: isoNow(now)
		})
		.execute();
	if (account.pod) {
		await db
			.insertInto('pod_staff')
			.values({ pod_id: account.pod.id, user_id: id, role: account.pod.role })
			.execute();
	}
	return { id, email };
}
