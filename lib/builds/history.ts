import { z } from "zod";
import type { Actor } from "../auth/current";
import { type BuildStatus, type PrismaClient, Prisma } from "../db/client";
import { classifyValue, isValidSymbolName, quoteConfigString } from "../kconfig/dotconfig";
import { resolvedOptionEntry } from "./resolved-options";
import { RequestError } from "./service";
import type { BuildSpec } from "./spec";

/**
 * The team's build history: filters, text search, keyset pagination and the
 * per-day chart of the same filter. The page and `GET /api/v1/builds` share the
 * filter's shape (URL search parameters, so a filtered view is a link). Every
 * filter is backed by an index ending in the list's order (organizationId, …,
 * createdAt DESC), the option filter by a GIN index over the distinct resolved .configs
 * and the text search by a trigram index (migration 20261203000000); bench/
 * history-query.ts measures them with 100,000 builds.
 */

export const PAGE_SIZE = 50;

const BUILD_STATUSES = ["queued", "running", "succeeded", "failed", "canceled", "error"] as const satisfies readonly BuildStatus[];

/** The search parameters the history understands, as the page and the API name them. */
export const HISTORY_PARAMS = ["status", "submitter", "source", "kernel", "profile", "option", "from", "to", "q", "cursor"] as const;
export type HistoryParam = (typeof HISTORY_PARAMS)[number];

/** A requested `CONFIG_X=v` filter: v is y, m, n (neither y nor m), a number, or a string as the .config writes it (quoted). */
export interface OptionFilter {
  symbol: string;
  value: string;
}

/**
 * `CONFIG_RUST=y`, `RUST=m`, `CONFIG_CMDLINE="console=ttyS0"` → { symbol, value };
 * a bare word that is no tristate or number is taken as a string
 * (`CONFIG_CMDLINE=console=ttyS0`). Null when it is none of these.
 */
export function parseOptionFilter(text: string): OptionFilter | null {
  const m = /^(?:CONFIG_)?([A-Za-z0-9_]+)=(.+)$/.exec(text.trim());
  if (!m || !isValidSymbolName(m[1]!)) return null;
  const raw = m[2]!;
  if (classifyValue(raw) !== null) return { symbol: m[1]!, value: raw };
  if (raw.startsWith('"') || raw.includes("\n")) return null; // a malformed quoted string
  return { symbol: m[1]!, value: quoteConfigString(raw) };
}

/** A day (`2026-11-27`, UTC) or an instant (ISO 8601). */
const instant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, "expected a date (YYYY-MM-DD) or an ISO 8601 time")
  .transform((s, ctx) => {
    const d = new Date(s.length === 10 ? `${s}T00:00:00Z` : s);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: "custom", message: "not a real date" });
      return z.NEVER;
    }
    return { date: d, dayOnly: s.length === 10 };
  });

/** Identifiers and names: no control characters, bounded. */
const name = z.string().max(200).regex(/^[^\x00-\x1f\x7f]+$/, "contains control characters");

export const HistoryFilterSchema = z
  .object({
    status: z.array(z.enum(BUILD_STATUSES)).max(BUILD_STATUSES.length).optional(),
    /** A member's user id. */
    submitter: name.optional(),
    /** A kernel source's name. */
    source: name.optional(),
    /** The kernel version the build was made from, e.g. "6.1.158". */
    kernel: name.optional(),
    profile: name.optional(),
    /** Kconfig options of the resolved .config, all of which must hold. */
    option: z
      .array(z.string().max(300).transform((s, ctx) => parseOptionFilter(s) ?? (ctx.addIssue({ code: "custom", message: `expected CONFIG_NAME=value, got ${JSON.stringify(s)}` }), z.NEVER)))
      .max(8)
      .optional(),
    from: instant.optional(),
    /** Inclusive: a day means up to the end of that day. */
    to: instant.optional(),
    /** Substring of the build id, source, requested options, failure reason, submitter name or email. */
    q: z.string().trim().min(3, "search for at least 3 characters").max(200).optional(),
    cursor: z
      .string()
      .regex(/^\d{1,15}_[0-9a-f-]{36}$/, "not a cursor this list gave out")
      .transform((s) => {
        const [at, id] = s.split("_");
        return { createdAt: new Date(Number(at)), id: id! };
      })
      .optional(),
  })
  .refine((f) => !f.from || !f.to || f.from.date <= f.to.date, { path: ["to"], message: "is before from" });

export type HistoryFilter = z.output<typeof HistoryFilterSchema>;

type ParamSource = URLSearchParams | Record<string, string | string[] | undefined>;

function valuesOf(params: ParamSource, key: string): string[] {
  const raw = params instanceof URLSearchParams ? params.getAll(key) : [params[key] ?? []].flat();
  return raw.map((v) => v.trim()).filter((v) => v !== "");
}

/**
 * Reads the filter from URL search parameters (empty ones are absent, as an
 * empty form field sends them; `status` may list several, comma-separated).
 * A bad parameter is a 400 naming it.
 */
export function parseHistoryFilter(params: ParamSource): HistoryFilter {
  const input: Record<string, unknown> = {};
  for (const key of HISTORY_PARAMS) {
    const values = valuesOf(params, key);
    if (!values.length) continue;
    if (key === "status") input.status = values.flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
    else if (key === "option") input.option = values;
    else input[key] = values.at(-1);
  }
  const parsed = HistoryFilterSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: String(i.path[0] ?? ""), message: i.message }));
    const first = issues[0]!;
    throw new RequestError(400, `bad ${first.path}: ${first.message}`, issues);
  }
  return parsed.data;
}

/** The filter back as search parameters (without the cursor unless asked), for links. */
export function historySearchParams(filter: HistoryFilter, cursor?: string | null): URLSearchParams {
  const p = new URLSearchParams();
  if (filter.status?.length) p.set("status", filter.status.join(","));
  if (filter.submitter) p.set("submitter", filter.submitter);
  if (filter.source) p.set("source", filter.source);
  if (filter.kernel) p.set("kernel", filter.kernel);
  if (filter.profile) p.set("profile", filter.profile);
  for (const o of filter.option ?? []) p.append("option", `CONFIG_${o.symbol}=${o.value}`);
  if (filter.from) p.set("from", filter.from.dayOnly ? filter.from.date.toISOString().slice(0, 10) : filter.from.date.toISOString());
  if (filter.to) p.set("to", filter.to.dayOnly ? filter.to.date.toISOString().slice(0, 10) : filter.to.date.toISOString());
  if (filter.q) p.set("q", filter.q);
  if (cursor) p.set("cursor", cursor);
  return p;
}

export function isFiltered(filter: HistoryFilter): boolean {
  return [...historySearchParams(filter).keys()].length > 0;
}

/** `timestamp(3) without time zone` columns hold UTC: compare with UTC, whatever the session's time zone. */
function utc(d: Date): Prisma.Sql {
  return Prisma.sql`(${d.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
}

const DAY_MS = 86_400_000;

function endOf(to: NonNullable<HistoryFilter["to"]>): Date {
  return to.dayOnly ? new Date(to.date.getTime() + DAY_MS) : new Date(to.date.getTime() + 1);
}

/** `\`, `%` and `_` are LIKE's own; a search for them means the characters. */
function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, "\\$&")}%`;
}

/**
 * The WHERE conditions of a filter (without the cursor), always scoped to the
 * actor's team. Source and submitter names are looked up first in their small
 * tables, so that the search on the big table stays a pure index condition.
 */
async function conditions(db: PrismaClient, actor: Actor, filter: HistoryFilter): Promise<Prisma.Sql[]> {
  const where: Prisma.Sql[] = [Prisma.sql`b."organizationId" = ${actor.organizationId}`];
  // Compared as the enum, not as text, so that the (organizationId, status, createdAt) index applies.
  if (filter.status?.length) where.push(Prisma.sql`b.status = ANY(${filter.status}::"BuildStatus"[])`);
  if (filter.submitter) where.push(Prisma.sql`b."submitterId" = ${filter.submitter}`);
  if (filter.source) where.push(Prisma.sql`b."sourceId" = (SELECT id FROM "KernelSource" WHERE name = ${filter.source})`);
  if (filter.kernel) where.push(Prisma.sql`b."kernelVersion" = ${filter.kernel}`);
  if (filter.profile) where.push(Prisma.sql`b.profile = ${filter.profile}`);
  const options = filter.option ?? [];
  const set = options.filter((o) => o.value !== "n").map((o) => resolvedOptionEntry(o.symbol, o.value));
  const unset = options.filter((o) => o.value === "n").flatMap((o) => [`${o.symbol}=y`, `${o.symbol}=m`]);
  if (set.length || unset.length) {
    // The few distinct .configs are matched first (a GIN index on their entries); n is "neither built in
    // nor a module": no entry, whichever way the .config said so. A build that never resolved one matches no option.
    const match: Prisma.Sql[] = [];
    if (set.length) match.push(Prisma.sql`c.entries @> ${set}::text[]`);
    if (unset.length) match.push(Prisma.sql`NOT (c.entries && ${unset}::text[])`);
    where.push(Prisma.sql`b."resolvedConfigId" IN (SELECT c.id FROM "ResolvedConfig" c WHERE ${Prisma.join(match, " AND ")})`);
  }
  if (filter.from) where.push(Prisma.sql`b."createdAt" >= ${utc(filter.from.date)}`);
  if (filter.to) where.push(Prisma.sql`b."createdAt" < ${utc(endOf(filter.to))}`);
  if (filter.q) {
    const pattern = likeContains(filter.q.toLowerCase());
    const [sources, members] = await Promise.all([
      db.$queryRaw<{ id: string }[]>`SELECT id FROM "KernelSource" WHERE name ILIKE ${pattern}`,
      db.$queryRaw<{ id: string }[]>`
        SELECT u.id FROM "Member" m JOIN "User" u ON u.id = m."userId"
        WHERE m."organizationId" = ${actor.organizationId} AND (u.name ILIKE ${pattern} OR u.email ILIKE ${pattern})`,
    ]);
    const any: Prisma.Sql[] = [Prisma.sql`b."searchText" LIKE ${pattern}`];
    if (sources.length) any.push(Prisma.sql`b."sourceId" = ANY(${sources.map((s) => s.id)}::text[])`);
    if (members.length) any.push(Prisma.sql`b."submitterId" = ANY(${members.map((u) => u.id)}::text[])`);
    where.push(Prisma.sql`(${Prisma.join(any, " OR ")})`);
  }
  return where;
}

interface HistoryRow {
  id: string;
  status: BuildStatus;
  statusReason: string | null;
  profile: string;
  baseConfig: string;
  kernelVersion: string | null;
  kind: string;
  kernelBuildId: string | null;
  spec: unknown;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  errorCount: number | null;
  warningCount: number | null;
  newWarningCount: number | null;
  fixedWarningCount: number | null;
  sourceName: string;
  submitterName: string;
}

/** The statement of one page (pageSize + 1 rows: the extra one says there is a next page); bench/ EXPLAINs it. */
export async function historyPageSql(db: PrismaClient, actor: Actor, filter: HistoryFilter, pageSize = PAGE_SIZE): Promise<Prisma.Sql> {
  const where = await conditions(db, actor, filter);
  if (filter.cursor) {
    const { createdAt, id } = filter.cursor;
    // The first half is what an index on (…, createdAt DESC) can seek to; the second breaks ties.
    where.push(Prisma.sql`b."createdAt" <= ${utc(createdAt)} AND (b."createdAt" < ${utc(createdAt)} OR b.id < ${id})`);
  }
  return Prisma.sql`
    SELECT b.id, b.status::text AS status, b."statusReason", b.profile, b."baseConfig", b."kernelVersion", b.kind, b."kernelBuildId",
           b.spec, b."createdAt", b."startedAt", b."finishedAt", b."errorCount", b."warningCount", b."newWarningCount", b."fixedWarningCount",
           s.name AS "sourceName", u.name AS "submitterName"
    FROM "Build" b JOIN "KernelSource" s ON s.id = b."sourceId" JOIN "User" u ON u.id = b."submitterId"
    WHERE ${Prisma.join(where, " AND ")}
    ORDER BY b."createdAt" DESC, b.id DESC
    LIMIT ${pageSize + 1}`;
}

/**
 * One page of the team's builds matching the filter, newest first,
 * keyset-paginated on (createdAt, id): page N costs what page 1 does.
 * The shape is `GET /api/v1/builds`'s.
 */
export async function queryHistory(db: PrismaClient, actor: Actor, filter: HistoryFilter, pageSize = PAGE_SIZE) {
  const rows = await db.$queryRaw<HistoryRow[]>(await historyPageSql(db, actor, filter, pageSize));
  const page = rows.slice(0, pageSize);
  const lastRow = page.at(-1);
  return {
    builds: page.map((r) => {
      const spec = r.spec as BuildSpec;
      return {
        id: r.id,
        status: r.status,
        statusReason: r.statusReason,
        source: r.sourceName,
        kernelVersion: r.kernelVersion,
        profile: r.profile,
        baseConfig: r.baseConfig,
        options: spec.options ?? [],
        kind: r.kind,
        /** Module builds: the kernel build they were built against. */
        kernelBuildId: r.kernelBuildId,
        targets: spec.targets ?? [],
        submitter: r.submitterName,
        createdAt: r.createdAt.toISOString(),
        durationMs: r.startedAt && r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null,
        /** From the log (null: no command has ended yet); new/fixed: warnings against the previous comparable build (null: none). */
        diagnostics:
          r.errorCount === null ? null : { errors: r.errorCount, warnings: r.warningCount ?? 0, newWarnings: r.newWarningCount, fixedWarnings: r.fixedWarningCount },
      };
    }),
    nextCursor: rows.length > pageSize && lastRow ? `${lastRow.createdAt.getTime()}_${lastRow.id}` : null,
  };
}

export type HistoryPage = Awaited<ReturnType<typeof queryHistory>>;
export type HistoryBuild = HistoryPage["builds"][number];

/** The chart shows this many days when the filter names no range. */
export const DEFAULT_CHART_DAYS = 30;
/** Longer ranges are drawn a week per bar. */
const MAX_DAY_BUCKETS = 92;

export interface ChartBucket {
  /** Start of the bucket (UTC), ISO date. */
  start: string;
  counts: Record<BuildStatus, number>;
  /** Median and longest run time of the bucket's finished builds, in ms (null: none finished). */
  medianMs: number | null;
  maxMs: number | null;
}

export interface HistoryChart {
  from: string;
  to: string;
  bucket: "day" | "week";
  buckets: ChartBucket[];
}

/**
 * Outcomes and durations over time for the filter (its cursor aside),
 * aggregated by the database: one row per bucket and status, never the builds.
 * The window is the filter's from/to, or the last DEFAULT_CHART_DAYS days.
 */
export async function historyChart(db: PrismaClient, actor: Actor, filter: HistoryFilter, now = new Date()): Promise<HistoryChart> {
  const end = filter.to ? endOf(filter.to) : new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS + DAY_MS);
  const start = filter.from ? new Date(Math.floor(filter.from.date.getTime() / DAY_MS) * DAY_MS) : new Date(end.getTime() - DEFAULT_CHART_DAYS * DAY_MS);
  const days = Math.ceil((end.getTime() - start.getTime()) / DAY_MS);
  const bucket = days > MAX_DAY_BUCKETS ? "week" : "day";
  const where = await conditions(db, actor, { ...filter, cursor: undefined });
  if (!filter.from) where.push(Prisma.sql`b."createdAt" >= ${utc(start)}`);
  if (!filter.to) where.push(Prisma.sql`b."createdAt" < ${utc(end)}`);
  // Buckets count from the window's start, so weeks line up with it rather than with Mondays.
  const bucketMs = bucket === "day" ? DAY_MS : 7 * DAY_MS;
  const rows = await db.$queryRaw<{ n: number; status: BuildStatus; count: number; median_ms: number | null; max_ms: number | null }[]>(Prisma.sql`
    SELECT floor(extract(epoch FROM b."createdAt" - ${utc(start)}) * 1000 / ${bucketMs})::int AS n, b.status::text AS status, count(*)::int AS count,
           (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM b."finishedAt" - b."startedAt")) * 1000)::float8 AS median_ms,
           (max(extract(epoch FROM b."finishedAt" - b."startedAt")) * 1000)::float8 AS max_ms
    FROM "Build" b
    WHERE ${Prisma.join(where, " AND ")}
    GROUP BY 1, 2`);
  const count = Math.max(1, Math.ceil((end.getTime() - start.getTime()) / bucketMs));
  const buckets: ChartBucket[] = Array.from({ length: count }, (_, i) => ({
    start: new Date(start.getTime() + i * bucketMs).toISOString().slice(0, 10),
    counts: Object.fromEntries(BUILD_STATUSES.map((s) => [s, 0])) as Record<BuildStatus, number>,
    medianMs: null,
    maxMs: null,
  }));
  // Medians per status are merged into a bucket's as a weighted mean of the statuses that finished: close enough to draw.
  const finished = new Map<number, { weight: number; sum: number }>();
  for (const r of rows) {
    const b = buckets[r.n];
    if (!b) continue;
    b.counts[r.status] += r.count;
    if (r.median_ms !== null) {
      const f = finished.get(r.n) ?? { weight: 0, sum: 0 };
      f.weight += r.count;
      f.sum += r.median_ms * r.count;
      finished.set(r.n, f);
      b.maxMs = Math.max(b.maxMs ?? 0, r.max_ms ?? 0);
    }
  }
  for (const [n, f] of finished) buckets[n]!.medianMs = f.sum / f.weight;
  return { from: start.toISOString(), to: end.toISOString(), bucket, buckets };
}

/** What the filter form offers: the team's members, the sources, kernel versions and profiles its builds used. */
export async function historyChoices(db: PrismaClient, actor: Actor) {
  const team = actor.organizationId;
  const [members, sources, profiles, kernels] = await Promise.all([
    db.member.findMany({
      where: { organizationId: team },
      select: { user: { select: { id: true, name: true, email: true } } },
      orderBy: { user: { name: "asc" } },
    }),
    db.kernelSource.findMany({ select: { name: true }, orderBy: { name: "asc" } }),
    // Distinct values by skip-scan over the (organizationId, profile, …) index: a few probes, not a scan of every build.
    db.$queryRaw<{ profile: string }[]>`
      WITH RECURSIVE p AS (
        (SELECT profile FROM "Build" WHERE "organizationId" = ${team} ORDER BY profile LIMIT 1)
        UNION ALL
        SELECT (SELECT profile FROM "Build" WHERE "organizationId" = ${team} AND profile > p.profile ORDER BY profile LIMIT 1) FROM p WHERE p.profile IS NOT NULL
      ) SELECT profile FROM p WHERE profile IS NOT NULL`,
    db.$queryRaw<{ v: string }[]>`
      WITH RECURSIVE k AS (
        (SELECT "kernelVersion" AS v FROM "Build" WHERE "organizationId" = ${team} AND "kernelVersion" IS NOT NULL ORDER BY "kernelVersion" LIMIT 1)
        UNION ALL
        SELECT (SELECT "kernelVersion" FROM "Build" WHERE "organizationId" = ${team} AND "kernelVersion" > k.v ORDER BY "kernelVersion" LIMIT 1) FROM k WHERE k.v IS NOT NULL
      ) SELECT v FROM k WHERE v IS NOT NULL`,
  ]);
  return {
    members: members.map((m) => m.user),
    sources: sources.map((s) => s.name),
    kernels: kernels.map((k) => k.v),
    profiles: profiles.map((p) => p.profile),
  };
}
