import { isoNow, newId } from '../../src/lib/server/ids';
import { prepareCards, storeCards } from '../../src/lib/server/cards/cards';
import type { TestPod } from './pod';

let made = 0;

/** A grade-5 student of the test pod that no other test signs in as or looks at. */
export async function freshStudent(pod: TestPod): Promise<string> {
	const id = newId();
	await pod.db
		.insertInto('users')
		.values({
			id,
			kind: 'student',
			given_name: 'Card',
			family_name: `Holder ${++made}`,
			email: null,
			password_hash: null,
			picture_password_hash: null,
			source_id: null,
			created_at: isoNow()
		})
		.execute();
	await pod.db
		.insertInto('pod_students')
		.values({ pod_id: pod.podId, user_id: id, grade_level: 5, cohort: null })
		.execute();
	return id;
}

/** A fresh student who has a working card, made by the pod's lead; with the card's link. */
export async function studentWithCard(pod: TestPod): Promise<{ studentId: string; link: string }> {
	const studentId = await freshStudent(pod);
	const prepared = await prepareCards([studentId]);
	const [card] = await pod.db
		.transaction()
		.execute((trx) => storeCards(trx, { podId: pod.podId, actorId: pod.users.lead, prepared }));
	return { studentId, link: card.link };
}

/** The token a card's link carries: its last path segment. */
export const tokenOf = (link: string): string => new URL(link).pathname.split('/').at(-1)!;
