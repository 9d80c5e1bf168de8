import { createSession } from '../../src/lib/server/auth/sessions';
import type { PodRole } from '../../src/lib/server/db/schema';
import { isoNow, newId } from '../../src/lib/server/ids';
import { issueInvitation, type IssuedInvitation } from '../../src/lib/server/staff/invitations';
import { writeWithEvents } from '../../src/lib/server/live/log';
import type { TestPod } from './pod';

let made = 0;

/**
 * A staff account made for one test to change: no password unless one's hash is given, on a
 * pod's team if one is named, active unless told.
 */
export async function freshStaff(
	pod: TestPod,
	{
		on,
		passwordHash = null,
		isAdmin = false,
		active = true,
		givenName = 'Fresh',
		familyName = `Staffer${++made}`
	}: {
		on?: { podId: string; role: PodRole };
		passwordHash?: string | null;
		isAdmin?: boolean;
		active?: boolean;
		givenName?: string;
		familyName?: string;
	} = {}
): Promise<string> {
	const id = newId();
	await pod.db
		.insertInto('users')
		.values({
			id,
			kind: 'staff',
			given_name: givenName,
			family_name: familyName,
			email: `${familyName.toLowerCase()}.${id.slice(0, 8)}@demo.school`,
			password_hash: passwordHash,
			is_admin: isAdmin ? 1 : 0,
			status: active ? 'active' : 'inactive',
			created_at: isoNow()
		})
		.execute();
	if (on)
		await pod.db.insertInto('pod_staff').values({ pod_id: on.podId, user_id: id, role: on.role }).execute();
	return id;
}

/** An open invitation link for a fresh staff member (or the one named), made by the demo admin. */
export async function freshInvitation(
	pod: TestPod,
	{ userId, now = new Date() }: { userId?: string; now?: Date } = {}
): Promise<IssuedInvitation> {
	const person = userId ?? (await freshStaff(pod));
	return writeWithEvents(pod.db, (trx) =>
		issueInvitation(trx, { userId: person, purpose: 'invite', issuedBy: pod.users.admin }, now)
	);
}

/** A signed-in staff session for someone, as a sign-in would make it; answers its token. */
export async function staffSession(pod: TestPod, userId: string): Promise<string> {
	const { token } = await createSession(pod.db, {
		userId,
		podId: null,
		idleMinutes: 60,
		expiresAt: new Date(Date.now() + 3_600_000)
	});
	return token;
}
