import type { Actor } from "../auth/current";
import { config } from "../config";
import { type BuildStatus, type PrismaClient, Prisma } from "../db/client";
import type { DiagnosticsSummary } from "../diagnostics";
import { buildQueue, enqueueBuild } from "../queue";
import { redis } from "../redis";
import { keys } from "../redis";
import { loadProfiles, profileWarnings } from "../toolchain/profiles";
import { purgeNotice } from "../retention/policy";
import { type BuildSpec, BuildSpecSchema, checkOptionsAgainstTree } from "./spec";
import { moveBuild } from "./transition";
import { isTerminal } from "./status";

/**
 * What the API and the pages do with builds. Route handlers and server
 * components call these; they hold no HTTP or React concerns.
 */

export class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

/** Record ids are UUIDs; anything else is answered "not found" without a query. */
export const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id);

let queue: ReturnType<typeof buildQueue> | undefined;
function queueOf() {
  queue ??= buildQueue(redis(), config().prefix);
  return queue;
}

/** Validates a submission against the schema, the registered sources and profiles, and the tree's symbols. */
export async function validateSubmission(db: PrismaClient, input: unknown) {
  const parsed = BuildSpecSchema.safeParse(input);
  if (!parsed.success) {
    throw new RequestError(
      400,
      "invalid build request",
      parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    );
  }
  const spec = parsed.data;
  const source = await db.kernelSource.findUnique({ where: { name: spec.source } });
  if (!source) {
    const known = (await db.kernelSource.findMany({ select: { name: true } })).map((s) => s.name);
    throw new RequestError(400, `unknown kernel source ${JSON.stringify(spec.source)}; registered: ${known.join(", ") || "none"}`, [
      { path: "source", message: "unknown kernel source" },
    ]);
  }
  if (source.status !== "ready") {
    throw new RequestError(409, `kernel source ${source.name} is not ready (${source.status}${source.statusReason ? `: ${source.statusReason}` : ""})`);
  }
  const profiles = await loadProfiles(config().extraProfileDirs);
  const profile = profiles.get(spec.profile);
  if (!profile) {
    throw new RequestError(400, `unknown toolchain profile ${JSON.stringify(spec.profile)}; available: ${[...profiles.keys()].join(", ")}`, [
      { path: "profile", message: "unknown toolchain profile" },
    ]);
  }
  const symbols = await db.kconfigSymbol.findMany({
    where: { sourceId: source.id, name: { in: spec.options.map((o) => o.symbol) } },
    select: { name: true, type: true },
  });
  const errors = checkOptionsAgainstTree(spec.options, new Map(symbols.map((s) => [s.name, s])), `${source.name} (${source.version})`);
  if (errors.length) {
    throw new RequestError(400, errors.join("; "), errors.map((message) => ({ path: "options", message })));
  }
  return { spec, source, profile };
}

/** Submits a build; `presetId` (a preset of the actor's team) records it as a build of that preset. */
export async function submitBuild(db: PrismaClient, actor: Actor, input: unknown, link: { presetId?: string | null } = {}): Promise<{ id: string }> {
  const { spec, source } = await validateSubmission(db, input);
  const build = await db.build.create({
    data: {
      presetId: link.presetId ?? null,
      organizationId: actor.organizationId,
      submitterId: actor.userId,
      sourceId: source.id,
      spec: spec as unknown as Prisma.InputJsonValue,
      profile: spec.profile,
      arch: spec.arch,
      baseConfig: spec.baseConfig.kind === "target" ? spec.baseConfig.target : `upload:${spec.baseConfig.fileName}`,
      kernelVersion: source.version,
    },
  });
  // The row is written first: if Redis loses the job, a worker re-enqueues it from here.
  await enqueueBuild(queueOf(), build.id);
  return { id: build.id };
}

export async function cancelBuild(db: PrismaClient, actor: Actor, id: string): Promise<{ status: BuildStatus }> {
  const build = await db.build.findFirst({ where: { id, organizationId: actor.organizationId } });
  if (!build) throw new RequestError(404, "no such build");
  if (isTerminal(build.status)) return { status: build.status };
  // A queued build never starts; a running one is stopped by its worker, which owns the final status.
  if (await moveBuild(db, id, "canceled", { statusReason: "canceled before it started", finishedAt: new Date() }, ["queued"])) {
    await queueOf().remove(id).catch(() => {});
    return { status: "canceled" };
  }
  await db.build.update({ where: { id }, data: { cancelRequested: true } });
  await redis().publish(keys.cancelChannel(config().prefix), id);
  return { status: "running" };
}

const buildInclude = {
  source: { select: { name: true, version: true } },
  submitter: { select: { id: true, name: true } },
  steps: { orderBy: { index: "asc" } },
  artifacts: { orderBy: { name: "asc" } },
  preset: { select: { id: true, name: true } },
} satisfies Prisma.BuildInclude;

export type BuildRecord = Prisma.BuildGetPayload<{ include: typeof buildInclude }>;

/** How many queued builds are ahead of this one (its place in the queue is that + 1). */
export async function queuePosition(db: PrismaClient, build: { status: BuildStatus; createdAt: Date }): Promise<number | null> {
  if (build.status !== "queued") return null;
  return 1 + (await db.build.count({ where: { status: "queued", createdAt: { lt: build.createdAt } } }));
}

/** The JSON shape of a build in the API and on the build page. */
export function buildView(b: BuildRecord, position: number | null) {
  const spec = b.spec as unknown as BuildSpec;
  return {
    id: b.id,
    status: b.status,
    statusReason: b.statusReason,
    cancelRequested: b.cancelRequested,
    queuePosition: position,
    source: { name: b.source.name, version: b.source.version },
    profile: b.profile,
    arch: b.arch,
    baseConfig: b.baseConfig,
    options: spec.options ?? [],
    targets: spec.targets ?? [],
    jobs: spec.jobs,
    /** "kernel", or "module" (an out-of-tree module built against kernelBuildId's module kit). */
    kind: b.kind,
    kernelBuildId: b.kernelBuildId,
    moduleReport: b.moduleReport,
    /** Errors and warnings read from the log (lib/diagnostics/summary.ts), null before the first command ends. */
    diagnostics: b.diagnostics as DiagnosticsSummary | null,
    submitter: b.submitter,
    /** The team preset it was submitted from (null: deleted since, or none). */
    preset: b.preset,
    /** Pinned builds keep their artifacts whatever the retention policy says. */
    pinned: b.pinned,
    pinnedAt: b.pinnedAt?.toISOString() ?? null,
    /** Set when retention removed the artifacts; the record and log stay (artifacts[].removedAt says which went). */
    artifactsPurged: b.artifactsPurgedAt ? { at: b.artifactsPurgedAt.toISOString(), notice: purgeNotice({ artifactsPurgedAt: b.artifactsPurgedAt, artifactsPurgeReason: b.artifactsPurgeReason }) } : null,
    workerId: b.workerId,
    toolchain: b.toolchain,
    configReport: b.configReport,
    engineCheck: b.engineCheck,
    logLines: b.logLines,
    /** The first line the stored log lacks (past KBUILD_LOG_STREAM_MAX_BYTES; build.log.gz has it), or null. */
    logTruncatedAt: b.logTruncatedAt,
    /** The first line build.log.gz lacks (past KBUILD_LOG_ARTIFACT_MAX_BYTES), or null. */
    logArtifactTruncatedAt: b.logArtifactTruncatedAt,
    createdAt: b.createdAt.toISOString(),
    startedAt: b.startedAt?.toISOString() ?? null,
    finishedAt: b.finishedAt?.toISOString() ?? null,
    steps: b.steps.map((s) => ({
      index: s.index,
      name: s.name,
      argv: s.argv,
      status: s.status,
      reason: s.reason,
      exitCode: s.exitCode,
      /** make steps: objects built so far, and the last comparable build's count (null: no estimate). */
      progress: s.progressDone === null ? null : { done: s.progressDone, total: s.progressTotal },
      startedAt: s.startedAt?.toISOString() ?? null,
      finishedAt: s.finishedAt?.toISOString() ?? null,
    })),
    artifacts: b.artifacts.map((a) => ({
      name: a.name,
      size: Number(a.size),
      sha256: a.sha256,
      contentType: a.contentType,
      url: `/api/v1/builds/${b.id}/artifacts/${encodeURIComponent(a.name)}`,
      /** When retention deleted the file (the download answers 410); null: it is there. */
      removedAt: a.removedAt?.toISOString() ?? null,
    })),
  };
}

export type BuildView = ReturnType<typeof buildView>;

export async function getBuild(db: PrismaClient, actor: Actor, id: string): Promise<BuildView> {
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new RequestError(404, "no such build");
  const b = await db.build.findFirst({ where: { id, organizationId: actor.organizationId }, include: buildInclude });
  if (!b) throw new RequestError(404, "no such build");
  return buildView(b, await queuePosition(db, b));
}

/**
 * The Rust samples of a tree, read from its samples/rust/Kconfig when the source
 * was prepared. `enable` lists the bool symbols that must be y for the samples
 * to be visible (e.g. SAMPLES and SAMPLES_RUST in 6.1); a toggle sets them too.
 */
export interface RustSamplesRecord {
  menuSymbol: string | null;
  enable: string[];
  samples: { symbol: string; type: "bool" | "tristate"; prompt: string | null }[];
}

/** Sources users can pick, with what the new-build page needs (never the server path). */
export async function listSources(db: PrismaClient) {
  const profiles = await loadProfiles(config().extraProfileDirs);
  const sources = await db.kernelSource.findMany({ orderBy: { name: "asc" } });
  return sources.map((s) => ({
    name: s.name,
    status: s.status,
    statusReason: s.statusReason,
    version: s.version,
    rustSamples: s.rustSamples as unknown as RustSamplesRecord,
    minToolVersions: s.minToolVersions as Record<string, string>,
    profileWarnings: Object.fromEntries(
      [...profiles.values()].map((p) => [p.id, profileWarnings(p, s.minToolVersions as Record<string, string>)]),
    ),
  }));
}

export async function listProfiles() {
  const profiles = await loadProfiles(config().extraProfileDirs);
  return [...profiles.values()].map((p) => ({ id: p.id, title: p.title, description: p.description, versions: p.versions }));
}

export interface WorkerInfo {
  id: string;
  host: string;
  pid: number;
  startedAt: string;
  activeBuilds: string[];
}

/** Workers whose heartbeat is fresh. */
export async function onlineWorkers(): Promise<WorkerInfo[]> {
  const r = redis();
  const found: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await r.scan(cursor, "MATCH", keys.workers(config().prefix), "COUNT", 100);
    cursor = next;
    found.push(...batch);
  } while (cursor !== "0");
  if (!found.length) return [];
  const values = await r.mget(found);
  return values.filter((v): v is string => v !== null).map((v) => JSON.parse(v) as WorkerInfo);
}
