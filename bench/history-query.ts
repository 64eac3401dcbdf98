import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { chromium } from "@playwright/test";
import { DEFAULT_ACTOR } from "../lib/auth/current";
import { type HistoryFilter, historyChart, historyPageSql, parseHistoryFilter, queryHistory } from "../lib/builds/history";
import { Prisma, createDb } from "../lib/db/client";
import {
  argFlag,
  benchEnv,
  installSignalHandlers,
  intArg,
  machine,
  median,
  percentile,
  resetDatabase,
  round,
  runBench,
  startNextServer,
  stopChildren,
  useEnv,
} from "./common";
import { BENCH_USER, benchSessionHeaders } from "./session";

/**
 * The team's build history with 100,000 builds (and a second team's 20,000):
 * the server time of each filter's first page, p50/p95 over N runs, as a ratio
 * to the unfiltered newest-50 page measured interleaved in the same run; each
 * filter EXPLAIN ANALYZEd once (bench/results/history-query-plans.txt) to show
 * the index it uses; the same filters through `GET /api/v1/builds` on `next
 * start`; and the page's first render in Chromium (navigation until the table
 * is visible) against the new-build page's.
 *
 *   node --import tsx bench/history-query.ts [--runs N] [--page-runs N] [--build] [--keep-data]
 *     default 40 query runs per filter and 8 page loads; --build: next build first;
 *     --keep-data: reuse the seeded database of the last run
 */

const env = benchEnv("history", "postgresql://postgres@127.0.0.1:5432/kbuild_bench_history", "redis://127.0.0.1:6379/14");
const RUNS = intArg("runs", 40, 3, 1000);
const PAGE_RUNS = intArg("page-runs", 8, 1, 100);
const BUILDS = intArg("builds", 100_000, 1000, 1_000_000);
const OTHER_BUILDS = Math.round(BUILDS / 5);
const TEAM = DEFAULT_ACTOR.organizationId;
const OTHER_TEAM = "bench-other-team";
const MEMBERS = ["default-user", "u-ada", "u-linus", "u-greg", "u-miguel", "u-wedson", "u-alex", "u-gary"];
const MEMBER_NAMES = ["Default User", "Ada Lovelace", "Linus Torvalds", "Greg Kroah-Hartman", "Miguel Ojeda", "Wedson Almeida", "Alex Gaynor", "Gary Guo"];
const GOAL_MS = 100;
const PAGE_GOAL_MS = 1000;

/**
 * Resolved .configs as teams have them: a few dozen distinct ones (tinyconfig-
 * and defconfig-sized, with and without Rust, a few debug variants), each of
 * 300–2,000 set symbols, shared by many builds.
 */
function configTemplates(): { entries: string[]; rust: boolean; kasan: boolean }[] {
  const symbols = Array.from({ length: 3200 }, (_, i) => `${["DRM", "NET", "USB", "SND", "FS", "CRYPTO", "SCSI", "INPUT", "HID", "PCI"][i % 10]}_${(i * 2654435761) % 100000}_${i}`);
  const templates: { entries: string[]; rust: boolean; kasan: boolean }[] = [];
  for (let t = 0; t < 48; t++) {
    const big = t % 3 !== 0; // defconfig-sized two times in three
    const rust = t % 5 < 2;
    const kasan = t === 47;
    const size = big ? 1800 + (t % 7) * 30 : 300 + (t % 4) * 20;
    const entries = ["64BIT=y", "MODULES=y", "PRINTK=y", `CMDLINE="console=ttyS0 loglevel=${t % 8}"`, `NR_CPUS=${64 << (t % 3)}`];
    for (let i = 0; i < size; i++) entries.push(`${symbols[(i * 7 + t * 13) % symbols.length]}=${(i + t) % 5 ? "y" : "m"}`);
    if (rust) entries.push("RUST=y", "HAVE_RUST=y", "RUST_IS_AVAILABLE=y", "SAMPLES=y", "SAMPLES_RUST=y", `SAMPLE_RUST_MINIMAL=${t % 2 ? "m" : "y"}`);
    if (kasan) entries.push("KASAN=y", "KASAN_GENERIC=y");
    templates.push({ entries, rust, kasan });
  }
  return templates;
}

const REASONS = [
  "step make failed (exit 2): drivers/gpu/drm/i915/i915_gem.c:412:7: error: use of undeclared identifier",
  "1 requested option(s) did not survive olddefconfig: CONFIG_RUST",
  "step rustavailable failed (exit 1): Rust compiler 'rustc' is too old",
  "step make failed (exit 2): ld.lld: error: undefined symbol: __rust_probestack",
  "the build ran out of memory in step make (the container's limit is 8g)",
  "step make failed (exit 2): rust/kernel/lib.rs:47:5: error[E0308]: mismatched types",
];

async function seed(db: ReturnType<typeof createDb>) {
  const t0 = performance.now();
  console.error(`seeding ${BUILDS} builds of ${TEAM} and ${OTHER_BUILDS} of ${OTHER_TEAM} ...`);
  await db.$executeRawUnsafe(`INSERT INTO "Organization"(id, name, slug) VALUES ('${OTHER_TEAM}', 'Other team', '${OTHER_TEAM}')`);
  for (const [i, id] of MEMBERS.entries()) {
    if (id !== "default-user") await db.user.create({ data: { id, name: MEMBER_NAMES[i]!, email: `${id.slice(2)}@example.org` } });
    if (id !== "default-user") await db.member.create({ data: { id: `m-${id}`, organizationId: TEAM, userId: id, role: "member" } });
  }
  await db.user.create({ data: { id: "u-other", name: "Other Person", email: "other@example.org" } });
  await db.member.create({ data: { id: "m-other", organizationId: OTHER_TEAM, userId: "u-other", role: "owner" } });
  for (const [id, version] of [["linux-6.1", "6.1.158"], ["linux-6.6", "6.6.63"], ["linux-6.12", "6.12.57"]]) {
    await db.kernelSource.create({ data: { id: id!, name: id!, kind: "tarball", location: `/usr/src/${id}.tar.xz`, status: "ready", version } });
  }
  await db.$executeRawUnsafe(`CREATE UNLOGGED TABLE bench_config (n int PRIMARY KEY, entries text[], rust bool, kasan bool)`);
  for (const [n, t] of configTemplates().entries()) {
    await db.$executeRaw`INSERT INTO bench_config VALUES (${n}, ${t.entries}::text[], ${t.rust}, ${t.kasan})`;
  }
  await db.$executeRawUnsafe(`CREATE UNLOGGED TABLE bench_reason (n int PRIMARY KEY, text text)`);
  for (const [n, text] of REASONS.entries()) await db.$executeRaw`INSERT INTO bench_reason VALUES (${n}, ${text})`;
  await db.$executeRawUnsafe(`CREATE UNLOGGED TABLE bench_member (n int PRIMARY KEY, id text)`);
  for (const [n, id] of MEMBERS.entries()) await db.$executeRaw`INSERT INTO bench_member VALUES (${n}, ${id})`;

  // One statement per team, drawn server-side: a year of builds, newest now; 72% succeeded, 18% failed,
  // 5% error, 4% canceled, the newest few queued or running; 3% never resolved a .config.
  const insert = async (team: string, count: number, memberCount: number, memberOffset: number) => {
    await db.$executeRawUnsafe(`SELECT setseed(0.42)`);
    await db.$executeRawUnsafe(`
      INSERT INTO "Build" (id, "organizationId", "submitterId", "sourceId", spec, profile, arch, "baseConfig", "kernelVersion", status,
                           "statusReason", "resolvedConfigId", "createdAt", "startedAt", "finishedAt", "logLines", "errorCount", "warningCount")
      SELECT gen_random_uuid()::text, '${team}', m.id, src.id,
             jsonb_build_object('options', CASE WHEN c.rust THEN '[{"symbol":"RUST","value":"y"},{"symbol":"SAMPLES_RUST","value":"y"},{"symbol":"SAMPLE_RUST_MINIMAL","value":"m"}]'::jsonb
                                                ELSE '[{"symbol":"DEBUG_INFO_DWARF5","value":"y"}]'::jsonb END,
                                'targets', '["kernel","modules"]'::jsonb),
             (ARRAY['debian-bookworm-llvm14','debian-bookworm-llvm16','debian-trixie-llvm19'])[1 + (x.r3 * 3)::int % 3],
             'x86_64', CASE WHEN c.n % 3 = 0 THEN 'tinyconfig' ELSE 'defconfig' END, src.version,
             st.status::"BuildStatus",
             CASE WHEN st.status IN ('failed', 'error') THEN r.text || ' (' || g || ')' WHEN st.status = 'canceled' THEN 'canceled by its submitter' END,
             CASE WHEN st.status = 'queued' OR (st.status IN ('failed', 'error') AND x.r4 < 0.15) THEN NULL ELSE 'cfg-' || c.n END,
             t.created, CASE WHEN st.status <> 'queued' THEN t.created + interval '5 seconds' END,
             CASE WHEN st.status NOT IN ('queued', 'running') THEN t.created + make_interval(secs => CASE WHEN c.n % 3 = 0 THEN 40 ELSE 300 END * (1 + x.r2 * 3)) END,
             (1000 + x.r2 * 40000)::int, CASE WHEN st.status = 'failed' THEN 1 ELSE 0 END, (x.r3 * 12)::int
      FROM generate_series(1, ${count}) g
      CROSS JOIN LATERAL (SELECT random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, g AS gg) x
      CROSS JOIN LATERAL (SELECT now() AT TIME ZONE 'UTC' - make_interval(secs => (${count} - g)::float8 / ${count} * 365 * 86400 + x.r5 * 600) AS created) t
      CROSS JOIN LATERAL (SELECT CASE WHEN g > ${count} - 3 THEN 'running' WHEN g > ${count} - 8 THEN 'queued'
                                      WHEN x.r1 < 0.72 THEN 'succeeded' WHEN x.r1 < 0.90 THEN 'failed' WHEN x.r1 < 0.95 THEN 'error' ELSE 'canceled' END AS status) st
      JOIN bench_config c ON c.n = (x.r2 * 48)::int % 48
      JOIN bench_reason r ON r.n = (x.r3 * ${REASONS.length})::int % ${REASONS.length}
      JOIN bench_member m ON m.n = ${memberOffset} + (x.r4 * ${memberCount})::int % ${memberCount}
      JOIN "KernelSource" src ON src.id = (ARRAY['linux-6.1','linux-6.1','linux-6.6','linux-6.12'])[1 + (x.r5 * 4)::int % 4]`);
  };
  await db.$executeRawUnsafe(`INSERT INTO "ResolvedConfig" (id, entries) SELECT 'cfg-' || n, entries FROM bench_config`);
  await insert(TEAM, BUILDS, MEMBERS.length, 0);
  await db.$executeRaw`INSERT INTO bench_member VALUES (100, 'u-other')`;
  await insert(OTHER_TEAM, OTHER_BUILDS, 1, 100);
  await db.$executeRawUnsafe(`DROP TABLE bench_config, bench_reason, bench_member`);
  await db.$executeRawUnsafe(`VACUUM ANALYZE "Build"`);
  await db.$executeRawUnsafe(`VACUUM ANALYZE "ResolvedConfig"`);
  console.error(`seeded in ${round((performance.now() - t0) / 1000, 1)} s`);
}

async function main() {
  installSignalHandlers(stopChildren);
  useEnv(env);
  const keep = argFlag("keep-data");
  if (!keep) await resetDatabase(env.DATABASE_URL);
  const db = createDb(env.DATABASE_URL);
  if (!keep || (await db.build.count()) === 0) await seed(db);
  const size = await db.$queryRawUnsafe<{ builds: string; buildIndexes: string; resolvedConfigs: string }[]>(
    `SELECT pg_size_pretty(pg_total_relation_size('"Build"')) AS builds, pg_size_pretty(pg_indexes_size('"Build"')) AS "buildIndexes",
            pg_size_pretty(pg_total_relation_size('"ResolvedConfig"')) AS "resolvedConfigs"`,
  );

  // A build id from the middle of the year, a cursor 20 pages deep, a week in spring.
  const [mid] = await db.$queryRawUnsafe<{ id: string; createdAt: Date }[]>(`SELECT id, "createdAt" FROM "Build" WHERE "organizationId" = '${TEAM}' ORDER BY "createdAt" DESC OFFSET ${Math.floor(BUILDS / 2)} LIMIT 1`);
  const [deep] = await db.$queryRawUnsafe<{ id: string; createdAt: Date }[]>(`SELECT id, "createdAt" FROM "Build" WHERE "organizationId" = '${TEAM}' AND status = 'failed' ORDER BY "createdAt" DESC, id DESC OFFSET 999 LIMIT 1`);
  const weekStart = new Date(Date.now() - 200 * 86_400_000).toISOString().slice(0, 10);
  const weekEnd = new Date(Date.now() - 194 * 86_400_000).toISOString().slice(0, 10);
  const FILTERS: Record<string, Record<string, string>> = {
    "status=failed": { status: "failed" },
    "status=canceled,error": { status: "canceled,error" },
    "submitter (1 of 8)": { submitter: "u-miguel" },
    "source=linux-6.12": { source: "linux-6.12" },
    "kernel=6.6.63": { kernel: "6.6.63" },
    "profile=debian-trixie-llvm19": { profile: "debian-trixie-llvm19" },
    "option CONFIG_RUST=y (40%)": { option: "CONFIG_RUST=y" },
    "option CONFIG_SAMPLE_RUST_MINIMAL=m": { option: "CONFIG_SAMPLE_RUST_MINIMAL=m" },
    "option CONFIG_KASAN=y (2%)": { option: "CONFIG_KASAN=y" },
    "option CONFIG_RUST=n (60%)": { option: "CONFIG_RUST=n" },
    "option CONFIG_KASAN=n (98%)": { option: "CONFIG_KASAN=n" },
    "from/to: one week": { from: weekStart, to: weekEnd },
    "q: id prefix": { q: mid!.id.slice(0, 8) },
    "q: failure text (common)": { q: "undefined symbol" },
    "q: failure text (one build)": { q: `mismatched types (${Math.floor(BUILDS * 0.37)})` },
    "q: submitter name": { q: "ojeda" },
    "q: matches nothing": { q: "no such thing anywhere" },
    "status + option + q": { status: "failed", option: "CONFIG_RUST=y", q: "probestack" },
    "submitter + profile + from": { submitter: "u-greg", profile: "debian-bookworm-llvm16", from: weekStart },
    "status=failed, 20 pages deep": { status: "failed", cursor: `${deep!.createdAt.getTime()}_${deep!.id}` },
  };
  const actor = DEFAULT_ACTOR;
  const time = async (filter: HistoryFilter) => {
    const t = performance.now();
    await queryHistory(db, actor, filter);
    return performance.now() - t;
  };
  const baselineFilter = parseHistoryFilter({});

  // EXPLAIN ANALYZE each once, after a warm-up run.
  const plans: string[] = [];
  const indexesUsed: Record<string, string[]> = {};
  for (const [name, params] of Object.entries({ "(baseline) newest 50": {}, ...FILTERS })) {
    const filter = parseHistoryFilter(params);
    await queryHistory(db, actor, filter);
    const plan = await db.$queryRaw<{ "QUERY PLAN": string }[]>(Prisma.sql`EXPLAIN (ANALYZE, BUFFERS) ${await historyPageSql(db, actor, filter)}`);
    const text = plan.map((r) => r["QUERY PLAN"]).join("\n");
    indexesUsed[name] = [...new Set([...text.matchAll(/(?:Index Scan|Index Only Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) "?(\w+)"?/g)].map((m) => m[1]!))];
    plans.push(`== ${name}: ${JSON.stringify(params)}\n${text}\n`);
  }

  // Interleaved: baseline, each filter, baseline, each filter, ... after the warm-up above.
  const samples: Record<string, number[]> = { baseline: [] };
  for (let i = 0; i < RUNS; i++) {
    samples.baseline!.push(await time(baselineFilter));
    for (const [name, params] of Object.entries(FILTERS)) (samples[name] ??= []).push(await time(parseHistoryFilter(params)));
    if (i % 10 === 9) console.error(`query run ${i + 1}/${RUNS}`);
  }
  const chartDefault: number[] = [];
  const chartYear: number[] = [];
  const chartOption: number[] = [];
  const yearFilter = parseHistoryFilter({ from: new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10) });
  const optionFilter = parseHistoryFilter({ option: "CONFIG_RUST=y" });
  for (let i = 0; i < Math.min(RUNS, 20); i++) {
    let t = performance.now();
    await historyChart(db, actor, baselineFilter);
    chartDefault.push(performance.now() - t);
    t = performance.now();
    await historyChart(db, actor, optionFilter);
    chartOption.push(performance.now() - t);
    t = performance.now();
    await historyChart(db, actor, yearFilter);
    chartYear.push(performance.now() - t);
  }

  // Through the API and the page on `next start`.
  const { base } = await startNextServer(env, argFlag("build"));
  // The bench user signs up as anyone would, and joins the seeded team (whose seeded members keep them from inheriting it).
  const session = await benchSessionHeaders(base);
  const benchUser = await db.user.findUniqueOrThrow({ where: { email: BENCH_USER.email }, select: { id: true } });
  await db.member.upsert({ where: { id: "m-bench" }, create: { id: "m-bench", organizationId: TEAM, userId: benchUser.id, role: "member" }, update: {} });
  const api: Record<string, number[]> = {};
  const apiRuns = Math.min(RUNS, 15);
  const apiGet = async (params: Record<string, string>) => {
    const t = performance.now();
    const res = await fetch(`${base}/api/v1/builds?${new URLSearchParams(params)}`, { headers: session });
    const body = (await res.json()) as { builds?: unknown[] };
    if (res.status !== 200 || !body.builds) throw new Error(`GET /api/v1/builds?${new URLSearchParams(params)} answered ${res.status}`);
    return performance.now() - t;
  };
  for (const params of [{}, ...Object.values(FILTERS)]) await apiGet(params);
  for (let i = 0; i < apiRuns; i++) {
    for (const [name, params] of Object.entries({ baseline: {}, ...FILTERS })) (api[name] ??= []).push(await apiGet(params));
  }

  const browser = await chromium.launch({ executablePath: process.env.KBUILD_CHROMIUM ?? "/usr/bin/chromium" });
  const open = async (url: string, ready: (page: import("@playwright/test").Page) => Promise<unknown>) => {
    const context = await browser.newContext({ extraHTTPHeaders: session });
    const page = await context.newPage();
    const t = performance.now();
    await page.goto(url);
    await ready(page);
    const ms = performance.now() - t;
    await context.close();
    return ms;
  };
  const table = (page: import("@playwright/test").Page) => page.getByTestId("builds-table").waitFor({ state: "visible", timeout: 60_000 });
  const newBuild = (page: import("@playwright/test").Page) => page.getByTestId("source-select").locator("option").first().waitFor({ state: "attached", timeout: 60_000 });
  const filteredUrl = `${base}/?${new URLSearchParams({ status: "failed", option: "CONFIG_RUST=y" })}`;
  await open(`${base}/`, table);
  await open(filteredUrl, table);
  await open(`${base}/builds/new`, newBuild);
  const pageMs: number[] = [];
  const filteredPageMs: number[] = [];
  const newBuildMs: number[] = [];
  for (let i = 0; i < PAGE_RUNS; i++) {
    newBuildMs.push(await open(`${base}/builds/new`, newBuild));
    pageMs.push(await open(`${base}/`, table));
    filteredPageMs.push(await open(filteredUrl, table));
  }
  await browser.close();

  const stats = (xs: number[]) => ({ p50: round(median(xs), 1), p95: round(percentile(xs, 95), 1) });
  const baseP95 = percentile(samples.baseline!, 95);
  const apiBaseP95 = percentile(api.baseline!, 95);
  const summary = {
    machine: machine(),
    builds: BUILDS,
    otherTeamBuilds: OTHER_BUILDS,
    runs: RUNS,
    buildTable: size[0],
    queryMs: Object.fromEntries(
      Object.entries(samples).map(([name, xs]) => [name, { ...stats(xs), ratioP95: round(percentile(xs, 95) / baseP95, 2), indexes: indexesUsed[name === "baseline" ? "(baseline) newest 50" : name] }]),
    ),
    chartMs: { "last 30 days": stats(chartDefault), "CONFIG_RUST=y, last 30 days": stats(chartOption), "a year, per week": stats(chartYear) },
    apiMs: Object.fromEntries(Object.entries(api).map(([name, xs]) => [name, { ...stats(xs), ratioP95: round(percentile(xs, 95) / apiBaseP95, 2) }])),
    pageFirstRenderMs: {
      history: stats(pageMs),
      "history, status=failed + CONFIG_RUST=y": stats(filteredPageMs),
      "new-build page (baseline)": stats(newBuildMs),
      ratio: round(median(pageMs) / median(newBuildMs), 2),
    },
    goals: { queryP95Ms: GOAL_MS, pageMs: PAGE_GOAL_MS },
    worstQueryP95Ms: round(Math.max(...Object.values(samples).map((xs) => percentile(xs, 95))), 1),
  };
  const dir = path.join(import.meta.dirname, "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "history-query.json"), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(path.join(dir, "history-query-plans.txt"), plans.join("\n"));
  console.log(JSON.stringify(summary, null, 2));
  await db.$disconnect();
  await stopChildren();
}

runBench("history-query", main);
