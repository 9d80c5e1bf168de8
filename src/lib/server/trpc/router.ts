import { attendanceRouter } from '../attendance/router';
import { auditRouter } from '../audit/router';
import { calendarRouter } from '../calendar/router';
import { authRouter } from '../auth/router';
import { signInLocksRouter } from '../auth/locks-router';
import { cardsRouter } from '../cards/router';
import { checksRouter } from '../checks/router';
import { coachingRouter } from '../coaching/router';
import { dashboardRouter } from '../dashboard/router';
import { dutiesRouter } from '../duties/router';
import { exportsRouter } from '../exports/router';
import { flagsRouter } from '../flags/router';
import { groupsRouter } from '../groups/router';
import { helpRouter } from '../help/router';
import { huddleRouter } from '../huddle/router';
import { libraryRouter } from '../library/router';
import { masteryRouter } from '../mastery/router';
import { playlistsRouter } from '../playlists/router';
import { podsRouter } from '../pods/router';
import { progressRouter } from '../progress/router';
import { rosterImportRouter } from '../roster/import-router';
import { schoolsRouter } from '../schools/router';
import { staffRouter } from '../staff/router';
import { studentsRouter } from '../roster/students-router';
import { studentDataRouter } from '../student-data/router';
import { teamRouter } from '../team/router';
import { createCallerFactory, router } from './procedures';

export const appRouter = router({
	attendance: attendanceRouter,
	audit: auditRouter,
	calendar: calendarRouter,
	auth: authRouter,
	cards: cardsRouter,
	checks: checksRouter,
	coaching: coachingRouter,
	dashboard: dashboardRouter,
	duties: dutiesRouter,
	exports: exportsRouter,
	flags: flagsRouter,
	groups: groupsRouter,
	help: helpRouter,
	huddle: huddleRouter,
	library: libraryRouter,
	mastery: masteryRouter,
	pods: podsRouter,
	playlists: playlistsRouter,
	progress: progressRouter,
	studentData: studentDataRouter,
	students: studentsRouter,
	schools: schoolsRouter,
	staff: staffRouter,
	team: teamRouter,
	signInLocks: signInLocksRouter,
	rosterImport: rosterImportRouter
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
