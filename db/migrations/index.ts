import type { Migration } from 'kysely';
import * as wholeDomain from './2026-11-23-0001-whole-domain';
import * as boardIndex from './2026-11-23-0002-board-index';
import * as interventions from './2026-11-23-0003-interventions';
import * as dutyUnavailability from './2026-11-23-0004-duty-unavailability';
import * as signInCards from './2026-11-23-0005-sign-in-cards';
import * as signInThrottle from './2026-12-06-0001-sign-in-throttle';
import * as schoolsAndPods from './2026-12-06-0010-schools-and-pods';
import * as invitations from './2026-12-06-0011-invitations';
import * as schoolCalendar from './2026-12-06-0012-school-calendar';
import * as scoreSources from './2026-12-07-0001-score-sources';
import * as quickChecks from './2026-12-07-0002-quick-checks';
import * as skillEvidence from './2026-12-07-0003-skill-evidence';
import * as attendance from './2026-12-08-0001-attendance';
import * as remoteAndDayNotes from './2026-12-08-0002-remote-and-day-notes';
import * as observations from './2026-12-08-0003-observations';

// Listed by hand so the same list works in the server bundle, in scripts and in tests.
// Names sort by date; Kysely runs them in that order.
export const migrations: Record<string, Migration> = {
	'2026-11-23-0001-whole-domain': wholeDomain,
	'2026-11-23-0002-board-index': boardIndex,
	'2026-11-23-0003-interventions': interventions,
	'2026-11-23-0004-duty-unavailability': dutyUnavailability,
	'2026-11-23-0005-sign-in-cards': signInCards,
	'2026-12-06-0001-sign-in-throttle': signInThrottle,
	'2026-12-06-0010-schools-and-pods': schoolsAndPods,
	'2026-12-06-0011-invitations': invitations,
	'2026-12-06-0012-school-calendar': schoolCalendar,
	'2026-12-07-0001-score-sources': scoreSources,
	'2026-12-07-0002-quick-checks': quickChecks,
	'2026-12-07-0003-skill-evidence': skillEvidence,
	'2026-12-08-0001-attendance': attendance,
	'2026-12-08-0002-remote-and-day-notes': remoteAndDayNotes,
	'2026-12-08-0003-observations': observations
};
