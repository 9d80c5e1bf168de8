import { DEFAULT_DATABASE_URL, getDb, isPostgresUrl } from '../db';
import { InProcessPodEventBus, type PodEventBus } from './bus';
import { PostgresPodEventBus } from './postgres-bus';

let bus: PodEventBus | undefined;

/**
 * The app's bus, chosen with the database: on PostgreSQL several app servers may share the
 * pod, so events go through LISTEN/NOTIFY; on SQLite there is one server, and they stay in it.
 */
export function getPodEventBus(): PodEventBus {
	if (!bus) {
		const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
		bus = isPostgresUrl(databaseUrl)
			? new PostgresPodEventBus(getDb(), databaseUrl)
			: new InProcessPodEventBus();
	}
	return bus;
}
