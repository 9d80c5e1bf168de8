import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { handleTrpcRequest } from '$lib/server/trpc/http';

const handler: RequestHandler = (event) =>
	handleTrpcRequest(event.request, {
		db: getDb(),
		session: event.locals.session,
		address: event.getClientAddress()
	});

export const GET = handler;
export const POST = handler;
