import { randomBytes, randomInt } from 'node:crypto';
import { PICTURE_PASSWORD_LENGTH, PICTURES, pictureSecret, type Picture } from '../../auth/pictures';
import type { Db } from '../db';
import { isoNow, newId } from '../ids';
import { hashSecret } from '../auth/passwords';
import { hashToken } from '../auth/sessions';
import { studentAccount } from '../auth/locks';
import { clearFailures } from '../auth/throttle';
import { drawQr, type QrDrawing } from './qr';
import type { CardStatus } from '../db/schema';
import { podRoster } from '../pods/queries';
import { studentsOfPod } from '../pods/students';
import { NotFound } from '../errors';

// A sign-in card shows a student's name, the pod code, their three pictures and a QR link.
//
// Why the card row keeps the pictures: the picture password is stored only as a scrypt hash,
// so the server could never print a student's pictures again. Making a card therefore draws
// new pictures, makes them the student's picture password, and the card row keeps them (in
// plain words) so the lead can see and reprint them. The trade-off: while a card works, anyone
// who reads the database learns that student's pictures — about what the printed card on a
// desk already gives away, and much less than a password: a picture password only opens one
// student's playlist, from a pod code, and after 5 wrong tries it locks. When a card is
// replaced or voided its pictures are forgotten (set to null).
//
// The QR link's token is different: 256 random bits, kept only as its SHA-256, so nobody
// (the server included) can show a card's QR code again after the moment it is made. The
// lead prints cards when they are made; a lost or unprinted card is simply made again.

const TOKEN_BYTES = 32; // 256 bits
/** A card token as it appears in a link: 32 bytes, base64url, no padding. */
export const CARD_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Three different pictures, each drawn with the system's cryptographic random numbers. */
export function drawPictures(): Picture[] {
	const left = [...PICTURES];
	return Array.from({ length: PICTURE_PASSWORD_LENGTH }, () => left.splice(randomInt(left.length), 1)[0]);
}

/** The address people use to reach this server: a QR code must carry a whole link. */
export function publicOrigin(): string {
	return process.env.ORIGIN ?? `http://localhost:${process.env.PORT ?? 3000}`;
}

export const cardLink = (token: string, origin = publicOrigin()): string => `${origin}/join/card/${token}`;

export interface CardView {
	id: string;
	pictures: Picture[];
	issuedAt: string;
	lastUsedAt: string | null;
}

/** A card just made: the only moment its link (and so its QR code) is known. */
export interface PrintableCard {
	studentId: string;
	card: CardView;
	link: string;
	qr: QrDrawing;
}

const picturesOf = (stored: string | null): Picture[] =>
	(stored ?? '').split(' ').filter((word): word is Picture => (PICTURES as readonly string[]).includes(word));

/** Every active student of the pod with the card that works for them here, if any. */
export async function podCards(db: Db, podId: string) {
	const pod = await db
		.selectFrom('pods')
		.select(['id', 'name', 'join_code'])
		.where('id', '=', podId)
		.executeTakeFirstOrThrow();
	const students = await podRoster(db, podId);
	const rows = await db
		.selectFrom('sign_in_cards')
		.select(['id', 'student_id', 'pictures', 'status', 'issued_at', 'last_used_at', 'ended_at'])
		.where('pod_id', '=', podId)
		.orderBy('issued_at', 'desc')
		.execute();
	// A student with a picture password signs in with pictures even without a printed card (the demo's do).
	const withPictures = new Set(
		(
			await db
				.selectFrom('pod_students')
				.innerJoin('users', 'users.id', 'pod_students.user_id')
				.select('users.id')
				.where('pod_students.pod_id', '=', podId)
				.where('users.picture_password_hash', 'is not', null)
				.execute()
		).map((row) => row.id)
	);
	const working = new Map(rows.filter((r) => r.status === 'active').map((r) => [r.student_id, r]));
	const lastEnded = new Map<string, { status: Exclude<CardStatus, 'active'>; at: string }>();
	for (const row of rows) {
		if (row.status === 'active' || lastEnded.has(row.student_id) || !row.ended_at) continue;
		lastEnded.set(row.student_id, { status: row.status, at: row.ended_at });
	}
	return {
		pod: { id: pod.id, name: pod.name, joinCode: pod.join_code },
		students: students.map((s) => {
			const card = working.get(s.id);
			return {
				id: s.id,
				name: s.name,
				grade: s.grade,
				cohort: s.cohort,
				card: card
					? {
							id: card.id,
							pictures: picturesOf(card.pictures),
							issuedAt: card.issued_at,
							lastUsedAt: card.last_used_at
						}
					: null,
				ended: card ? null : (lastEnded.get(s.id) ?? null),
				/** Their pictures open their playlist today, card or not. */
				signsInWithPictures: withPictures.has(s.id)
			};
		})
	};
}

/** The students named, each of whom must be an active student of the pod. */
export async function requirePodStudents(db: Db, podId: string, studentIds: readonly string[]) {
	const found = await studentsOfPod(db, podId, studentIds, { activeOnly: true });
	if (found.length !== new Set(studentIds).size) {
		const missing = studentIds.length - found.length;
		throw new NotFound(
			studentIds.length === 1
				? 'That student is not in this pod. Reload the page to see the pod as it is now.'
				: `${missing} of those students are not in this pod. Reload the page to see the pod as it is now.`
		);
	}
	return found;
}

/** What a card needs before its transaction: the slow picture hash is made outside it. */
export interface PreparedCard {
	studentId: string;
	pictures: Picture[];
	token: string;
	pictureHash: string;
}

export async function prepareCards(studentIds: readonly string[]): Promise<PreparedCard[]> {
	return Promise.all(
		studentIds.map(async (studentId) => {
			const pictures = drawPictures();
			return {
				studentId,
				pictures,
				token: randomBytes(TOKEN_BYTES).toString('base64url'),
				pictureHash: await hashSecret(pictureSecret(pictures))
			};
		})
	);
}

/**
 * New cards: each student's working card (in any pod) is replaced, and the new card's pictures
 * become the student's picture password. The wrong tries that locked a student stop counting:
 * they were guesses at pictures that no longer open anything. Run inside one transaction.
 */
export async function storeCards(
	db: Db,
	input: { podId: string; actorId: string; prepared: readonly PreparedCard[] },
	now = new Date()
): Promise<PrintableCard[]> {
	const at = isoNow(now);
	const made: PrintableCard[] = [];
	for (const card of input.prepared) {
		await db
			.updateTable('sign_in_cards')
			.set({ status: 'replaced', pictures: null, ended_at: at, ended_by: input.actorId })
			.where('student_id', '=', card.studentId)
			.where('status', '=', 'active')
			.execute();
		const id = newId();
		await db
			.insertInto('sign_in_cards')
			.values({
				id,
				pod_id: input.podId,
				student_id: card.studentId,
				token_hash: hashToken(card.token),
				pictures: pictureSecret(card.pictures),
				status: 'active',
				issued_by: input.actorId,
				issued_at: at,
				last_used_at: null,
				ended_by: null,
				ended_at: null
			})
			.execute();
		await db
			.updateTable('users')
			.set({ picture_password_hash: card.pictureHash })
			.where('id', '=', card.studentId)
			.execute();
		await clearFailures(db, [studentAccount(card.studentId)], input.actorId, now);
		const link = cardLink(card.token);
		made.push({
			studentId: card.studentId,
			card: { id, pictures: card.pictures, issuedAt: at, lastUsedAt: null },
			link,
			qr: drawQr(link)
		});
	}
	return made;
}

/**
 * Void a student's card: its link and the pictures printed on it stop working, and the
 * student's open sessions end (a lost card may have been used already). The student signs in
 * again once the lead makes a new card. Returns the ended sessions, whose live streams the
 * caller closes after the commit.
 */
export async function voidCard(
	db: Db,
	input: { podId: string; studentId: string; actorId: string },
	now = new Date()
): Promise<{ cardId: string; endedSessions: string[] }> {
	const card = await db
		.selectFrom('sign_in_cards')
		.select('id')
		.where('pod_id', '=', input.podId)
		.where('student_id', '=', input.studentId)
		.where('status', '=', 'active')
		.executeTakeFirst();
	if (!card) {
		throw new NotFound(
			'This student has no working card to void. Reload the page to see their card as it is now.'
		);
	}
	await db
		.updateTable('sign_in_cards')
		.set({ status: 'voided', pictures: null, ended_at: isoNow(now), ended_by: input.actorId })
		.where('id', '=', card.id)
		.execute();
	await db
		.updateTable('users')
		.set({ picture_password_hash: null })
		.where('id', '=', input.studentId)
		.execute();
	const sessions = await db
		.deleteFrom('sessions')
		.where('user_id', '=', input.studentId)
		.returning('token_hash')
		.execute();
	return { cardId: card.id, endedSessions: sessions.map((s) => s.token_hash) };
}
