// `npm run bench`: Podboard's performance figures, printed, never asserted (machines are noisy).
// Each part starts the production build on a database of its own, on a free loopback port.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { ensureBuild } from '../../scripts/ensure-build.js';
import { createSession, SESSION_COOKIE, STAFF_IDLE_MINUTES } from '../../src/lib/server/auth/sessions';
import { createDb } from '../../src/lib/server/db';
import { measureBoard } from './board-render';
import { buildDistrict, DISTRICT, emptyPostgresDatabase, type District } from './district';
import { measureHeatmap } from './heatmap-query';
import { measureIngest } from './ingest';
import { measureFanout } from './live-fanout';
import { startServer, type BenchServer } from './server';
import {
	keepDistrictMastery,
	measureCheckSubmissions,
	measureSkillsReport,
	SKILLS_REPORT,
	writeEvidence
} from './skills-report';
import { sqlitePath } from '../../src/lib/server/db';
import { shippedJs } from './shipped-js';

const BUDGET = {
	studentKb: 80,
	dashboardKb: 200,
	heatmapP95Ms: 15,
	firstRenderMs: 100,
	liveChangeMs: 5,
	fanoutP99Ms: 100,
	skillsReportP95Ms: 20
};
const DISTRICT_PODS = Number(process.env.BENCH_PODS ?? 200);
const BOARDS = Number(process.env.BENCH_BOARDS ?? 250);
const INGEST = { clients: 8, batchSize: 10, seconds: 10 };
// District size (issue 9): SQLite beside PostgreSQL, on the server BENCH_DATABASE_URL names.
const LARGE_DISTRICT_PODS = Number(process.env.BENCH_DISTRICT_PODS ?? 500);
const POSTGRES_SERVER = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;

const ms = (n: number) => `${n.toFixed(1)} ms`;
const of = (value: number, budget: number) => `${((value / budget) * 100).toFixed(0)}% of ${budget}`;
function table(title: string, rows: [string, string, string][]) {
	console.log(`\n${title}`);
	for (const [what, figure, budget] of rows)
		console.log(`  ${what.padEnd(48)} ${figure.padStart(14)}   ${budget}`);
}

async function signInStudent(server: BenchServer, joinCode: string, nth = 0) {
	const roster = await server.query<{ students: { id: string }[] }>('auth.joinRoster', { joinCode }, '');
	const studentId = roster.students[nth].id;
	const { cookie } = await server.post('auth.studentJoin', {
		joinCode,
		studentId,
		pictures: ['cat', 'sun', 'tree']
	});
	const playlist = await server.query<{ items: { id: string }[] }>('playlists.mine', undefined, cookie);
	return { cookie, assignmentIds: playlist.items.map((i) => i.id) };
}

/**
 * `count` sessions of one staff member, as that many devices signed in would hold, written
 * straight into the database: signing in that often would only measure scrypt.
 */
async function signedInDevices(databaseUrl: string, email: string, count: number): Promise<string[]> {
	const db = createDb(databaseUrl);
	try {
		const { id } = await db
			.selectFrom('users')
			.select('id')
			.where('email', '=', email)
			.executeTakeFirstOrThrow();
		const cookies: string[] = [];
		for (let i = 0; i < count; i++) {
			const { token } = await createSession(db, {
				userId: id,
				podId: null,
				idleMinutes: STAFF_IDLE_MINUTES,
				expiresAt: new Date(Date.now() + 3_600_000)
			});
			cookies.push(`${SESSION_COOKIE}=${token}`);
		}
		return cookies;
	} finally {
		await db.destroy();
	}
}

/** The heatmap and ingest on a district's first pods, through a server of its own (no flag sweep). */
async function measureDistrict(data: District, pods: number) {
	const server = await startServer(data.databaseUrl, false, { FLAG_SWEEP_SECONDS: '0' });
	try {
		const admin = await server.post('auth.staffLogin', {
			email: data.adminEmail,
			password: DISTRICT.password
		});
		const heatmap = await measureHeatmap(server, admin.cookie, data.podIds.slice(0, pods), 200);
		const students = await Promise.all([0, 1, 2, 3].map((nth) => signInStudent(server, data.joinCode, nth)));
		const ingest = await measureIngest(server, students, INGEST);
		return { heatmap, ingest };
	} finally {
		server.stop();
	}
}

ensureBuild();
// Every figure, also as JSON under tests/bench/results/ (ignored by git).
const results: Record<string, unknown> = {
	at: new Date().toISOString(),
	machine: {
		cpus: cpus().length,
		model: cpus()[0]?.model,
		memoryGiB: totalmem() / 2 ** 30,
		node: process.version
	}
};
console.log(
	`Podboard bench on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`
);
const folder = mkdtempSync(join(tmpdir(), 'podboard-bench-'));
try {
	// 1. The demo pod: what pages ship, and live fan-out to many boards.
	const demo = await startServer(`file:${folder}/demo.sqlite`, true);
	try {
		const lead = await demo.post('auth.staffLogin', { email: 'lead@demo.school', password: 'podboard-demo' });
		const [pod] = await demo.query<{ id: string }[]>('pods.mine', undefined, lead.cookie);
		const student = await signInStudent(demo, 'DEMO42');
		const me = await shippedJs(demo.origin, '/me', student.cookie);
		const board = await shippedJs(demo.origin, `/pods/${pod.id}`, lead.cookie);
		results.shippedJs = { studentKb: me.gzipKb, dashboardKb: board.gzipKb };
		table('JavaScript a page ships at first load (gzip level 6)', [
			['student /me', `${me.gzipKb.toFixed(1)} KB`, of(me.gzipKb, BUDGET.studentKb)],
			['dashboard /pods/[podId]', `${board.gzipKb.toFixed(1)} KB`, of(board.gzipKb, BUDGET.dashboardKb)]
		]);

		const fanout = await measureFanout(demo, {
			podId: pod.id,
			staffCookies: await signedInDevices(`file:${folder}/demo.sqlite`, 'lead@demo.school', BOARDS),
			studentCookie: student.cookie,
			assignmentId: student.assignmentIds[0],
			events: 40
		});
		table(`A student's event → each of ${BOARDS} boards subscribed over SSE (loopback, 40 events)`, [
			['p50', ms(fanout.p50), ''],
			['p99', ms(fanout.p99), of(fanout.p99, BUDGET.fanoutP99Ms)],
			['max', ms(fanout.max), ''],
			['deliveries / missed', `${fanout.deliveries} / ${fanout.missed}`, 'missed must be 0']
		]);
		results.fanout = { boards: BOARDS, ...fanout };

		const students = [
			student,
			...(await Promise.all([1, 2, 3].map((nth) => signInStudent(demo, 'DEMO42', nth))))
		];
		const ingest = await measureIngest(
			demo,
			students.map((s) => ({ cookie: s.cookie, assignmentIds: s.assignmentIds })),
			INGEST
		);
		results.ingest = ingest;
		const rate = (n: number) => `${n.toFixed(0)} ev/s`;
		table(
			`progress.record, ${INGEST.clients} keep-alive clients × batches of ${INGEST.batchSize}, ${INGEST.seconds} s each (loopback)`,
			[
				[
					'whole stack (tRPC, SQLite, flags, live)',
					rate(ingest.podboard.eventsPerSecond),
					`${ingest.podboard.errors} errors`
				],
				[
					'bare node:http reading the same body',
					rate(ingest.bare.eventsPerSecond),
					`${ingest.bare.errors} errors`
				],
				['ratio, Podboard ÷ bare', `${(ingest.ratio * 100).toFixed(1)}%`, 'the figure']
			]
		);

		const checks = await measureCheckSubmissions(demo, lead.cookie, pod.id, students, 100);
		results.checkSubmissions = checks;
		table(
			`checks.submit of a 20-item quick check through the whole stack (${checks.submissions} submissions)`,
			[
				['p50', ms(checks.p50), ''],
				['p95', ms(checks.p95), 'the figure']
			]
		);
	} finally {
		demo.stop();
	}

	// 2. A district database: the heatmap's cost must follow the pod, not the database.
	const single = await buildDistrict(`file:${join(folder, 'one-pod.sqlite')}`, 1);
	const started = performance.now();
	const district = await buildDistrict(`file:${join(folder, 'district.sqlite')}`, DISTRICT_PODS);
	console.log(
		`\n(built ${DISTRICT_PODS} pods × ${DISTRICT.students} students × ${DISTRICT.activities} activities in ${((performance.now() - started) / 1000).toFixed(0)} s)`
	);
	// Checks and marks have left evidence in every pod (the first, 40 skills' worth): the board reads its mastery too.
	const evidenceRows = writeEvidence(sqlitePath(district.databaseUrl), district.podIds);
	await keepDistrictMastery(district.databaseUrl, district.podIds);
	const heatmaps: { label: string; p50: number; p95: number }[] = [];
	const quiet = { FLAG_SWEEP_SECONDS: '0' };
	// Every second, so a sweep of the whole district is always under way while the board is read.
	const sweeping = { FLAG_SWEEP_SECONDS: '1' };
	const runs = [
		{ label: '1 pod in the database', data: single, env: quiet },
		{ label: `${DISTRICT_PODS} pods in the database`, data: district, env: quiet },
		...(district.inSession
			? [{ label: `${DISTRICT_PODS} pods, the flag sweep running throughout`, data: district, env: sweeping }]
			: [])
	];
	if (!district.inSession)
		console.log('\n(a weekend in every time zone: no pod is in session, so the sweep figure is left out)');
	for (const { label, data, env } of runs) {
		const server = await startServer(data.databaseUrl, false, env);
		try {
			const admin = await server.post('auth.staffLogin', {
				email: data.adminEmail,
				password: DISTRICT.password
			});
			if (env === sweeping) await new Promise((resume) => setTimeout(resume, 1500)); // the first starts
			heatmaps.push({ label, ...(await measureHeatmap(server, admin.cookie, data.podIds.slice(0, 5), 200)) });
			if (data === district && env === quiet) {
				const student = await signInStudent(server, data.joinCode);
				const boardFigures = await measureBoard(server, {
					podId: data.podIds[0],
					email: data.adminEmail,
					password: DISTRICT.password,
					studentCookie: student.cookie,
					assignmentIds: student.assignmentIds.slice(0, 10),
					loads: 5
				});
				results.board = { students: DISTRICT.students, activities: DISTRICT.activities, ...boardFigures };
				table(
					`The board in Chromium, ${DISTRICT.students} × ${DISTRICT.activities} (${boardFigures.cells} cells)`,
					[
						[
							'first render, p50 of 5 loads',
							ms(boardFigures.firstRender.p50),
							of(boardFigures.firstRender.p50, BUDGET.firstRenderMs)
						],
						['first render, slowest', ms(boardFigures.firstRender.max), ''],
						[
							'one live change, p50 of 10',
							ms(boardFigures.liveChange.p50),
							of(boardFigures.liveChange.p50, BUDGET.liveChangeMs)
						],
						['one live change, slowest', ms(boardFigures.liveChange.max), '']
					]
				);
			}
		} finally {
			server.stop();
		}
	}
	results.heatmap = heatmaps;
	table(
		`dashboard.heatmap over HTTP, ${DISTRICT.students} students × ${DISTRICT.activities} activities (200 requests)`,
		[
			...heatmaps.flatMap((h): [string, string, string][] => [
				[`${h.label}: p50`, ms(h.p50), ''],
				[`${h.label}: p95`, ms(h.p95), of(h.p95, BUDGET.heatmapP95Ms)]
			]),
			[
				'p95 ratio, district ÷ one pod',
				`${(heatmaps[1].p95 / heatmaps[0].p95).toFixed(2)}×`,
				'near 1× means cost follows the pod'
			],
			...(heatmaps[2]
				? [
						[
							'p95 ratio, sweeping ÷ quiet',
							`${(heatmaps[2].p95 / heatmaps[1].p95).toFixed(2)}×`,
							'near 1× means the sweep stays off the request path'
						] as [string, string, string]
					]
				: [])
		]
	);

	// The Skills report: one pod's evidence among the district's.
	const reportServer = await startServer(district.databaseUrl, false, quiet);
	try {
		const admin = await reportServer.post('auth.staffLogin', {
			email: district.adminEmail,
			password: DISTRICT.password
		});
		const report = await measureSkillsReport(reportServer, admin.cookie, district.podIds[0], 200);
		results.skillsReport = { evidenceRows, ...report };
		table(
			`mastery.report over HTTP, ${DISTRICT.students} students × ${SKILLS_REPORT.skills} skills × ${SKILLS_REPORT.resultsEach} results, ${DISTRICT_PODS} pods and ${evidenceRows.toLocaleString('en')} results in the database (200 requests)`,
			[
				['p50', ms(report.p50), `${report.cells} cells`],
				['p95', ms(report.p95), of(report.p95, BUDGET.skillsReportP95Ms)]
			]
		);
	} finally {
		reportServer.stop();
	}

	// 3. District size on both engines: 40,000 students in one database.
	if (!POSTGRES_SERVER) {
		console.log(
			'\n(PostgreSQL figures left out: set BENCH_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/test)'
		);
	} else {
		const postgres = await emptyPostgresDatabase(POSTGRES_SERVER);
		try {
			// SQLite's district grows from the one above; PostgreSQL's is built whole. Only the pods
			// the bench reads have their flags raised: these servers never sweep.
			const read = 5;
			const engines = [
				{
					engine: 'SQLite',
					build: () =>
						buildDistrict(district.databaseUrl, LARGE_DISTRICT_PODS, { grow: district, flaggedPods: 0 })
				},
				{
					engine: 'PostgreSQL',
					build: () => buildDistrict(postgres.databaseUrl, LARGE_DISTRICT_PODS, { flaggedPods: read })
				}
			];
			const figures: ({ engine: string; builtSeconds: number } & Awaited<
				ReturnType<typeof measureDistrict>
			>)[] = [];
			for (const { engine, build } of engines) {
				const started = performance.now();
				const data = await build();
				const builtSeconds = (performance.now() - started) / 1000;
				figures.push({ engine, builtSeconds, ...(await measureDistrict(data, read)) });
			}
			results.district = {
				pods: LARGE_DISTRICT_PODS,
				students: LARGE_DISTRICT_PODS * DISTRICT.students,
				figures
			};
			const [sqlite, pg] = figures;
			const side = (
				what: string,
				value: (f: (typeof figures)[number]) => string
			): [string, string, string] => [what, value(sqlite), value(pg)];
			const rate = (n: number) => `${n.toFixed(0)} ev/s`;
			table(
				`${LARGE_DISTRICT_PODS} pods, ${(LARGE_DISTRICT_PODS * DISTRICT.students).toLocaleString('en')} students in one database: SQLite | PostgreSQL`,
				[
					side(
						`built (SQLite's grown from ${DISTRICT_PODS} pods) in`,
						(f) => `${f.builtSeconds.toFixed(0)} s`
					),
					side('dashboard.heatmap p50', (f) => ms(f.heatmap.p50)),
					side(`dashboard.heatmap p95 (budget ${BUDGET.heatmapP95Ms} ms)`, (f) => ms(f.heatmap.p95)),
					side(`progress.record, ${INGEST.clients} clients × ${INGEST.batchSize}`, (f) =>
						rate(f.ingest.podboard.eventsPerSecond)
					),
					side('bare node:http, same run', (f) => rate(f.ingest.bare.eventsPerSecond)),
					side('ingest ratio, Podboard ÷ bare', (f) => `${(f.ingest.ratio * 100).toFixed(1)}%`),
					side('ingest errors', (f) => String(f.ingest.podboard.errors))
				]
			);
		} finally {
			await postgres.drop();
		}
	}

	const resultsFolder = join(import.meta.dirname, 'results');
	mkdirSync(resultsFolder, { recursive: true });
	const file = join(resultsFolder, `bench-${(results.at as string).replace(/[:.]/g, '-')}.json`);
	writeFileSync(file, JSON.stringify(results, null, '\t') + '\n');
	console.log(`\n(results written to ${file})`);
} finally {
	rmSync(folder, { recursive: true, force: true });
}
