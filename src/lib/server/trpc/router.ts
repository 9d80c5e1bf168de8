import { authRouter } from '../auth/router';
import { playlistsRouter } from '../playlists/router';
import { podsRouter } from '../pods/router';
import { rosterRouter } from '../roster/router';
import { createCallerFactory, router } from './procedures';

export const appRouter = router({
	auth: authRouter,
	pods: podsRouter,
	playlists: playlistsRouter,
	roster: rosterRouter
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
