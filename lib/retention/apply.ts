import type { ArtifactStore } from "../artifacts/store";
import { RequestError } from "../builds/service";
import type { Prisma, PrismaClient } from "../db/client";
import { describePolicy, KEPT_ARTIFACTS, keepsEverything, purgeNotice } from "./policy";
import { type PurgeDecision, type RetentionCandidate, selectForPurge } from "./select";

type Tx = Prisma.TransactionClient;

const ACTIVE = ["queued", "running"] as const;

export interface PurgedBuild extends PurgeDecision {
  /** Files deleted from the store. */
  removed: number;
}

/**
 * Applies the team's retention policy at `now`: chooses the builds whose
 * artifacts go (selectForPurge), then for each marks it and its artifact rows
 * removed and deletes the files. The rows stay (name, size, sha256): the
 * record of what the build produced, which the build page lists as removed
 * and the download answers 410 for. Logs (LogChunk rows and build.log.gz)
 * and the small record files (KEPT_ARTIFACTS) are never removed.
 *
 * Several workers may run this at once: each build is claimed under its row
 * lock, re-checked there (pinned, in use, already removed), so a build is
 * removed once and never while a module build or boot test needs it.
 */
export async function applyRetention(db: PrismaClient, store: ArtifactStore, organizationId: string, now: Date): Promise<PurgedBuild[]> {
  const row = await db.retentionPolicy.findUnique({ where: { organizationId } });
  if (!row || keepsEverything(row)) return [];
  const reason = `the team's retention policy (${describePolicy(row)})`;

  const decisions = selectForPurge(await candidates(db, organizationId), row, organizationId, now);
  const purged: PurgedBuild[] = [];
  for (const decision of decisions) {
    const keys = await db.$transaction((tx) => claim(tx, decision.id, reason, now));
    if (!keys) continue;
    // Rows first, files after: a crash in between leaves files nobody links to, never a link to a missing file.
    for (const key of keys) await store.remove(key);
    purged.push({ ...decision, removed: keys.length });
  }
  return purged;
}

/** Every build of the team as selectForPurge needs it. */
async function candidates(db: PrismaClient, organizationId: string): Promise<RetentionCandidate[]> {
  const builds = await db.build.findMany({
    where: { organizationId },
    select: {
      id: true,
      organizationId: true,
      status: true,
      pinned: true,
      createdAt: true,
      finishedAt: true,
      artifactsPurgedAt: true,
      _count: { select: { artifacts: { where: { removedAt: null, name: { notIn: [...KEPT_ARTIFACTS] } } } } },
    },
  });
  const inUse = await buildsInUse(db, organizationId);
  return builds.map(({ _count, ...b }) => ({ ...b, removableArtifacts: _count.artifacts, inUse: inUse.has(b.id) }));
}

/** Builds whose artifacts a queued or running module build (the kernel's module kit) or boot test (kernel, modules) will read. */
async function buildsInUse(db: PrismaClient, organizationId: string): Promise<Set<string>> {
  const [modules, boots] = await Promise.all([
    db.build.findMany({ where: { organizationId, kind: "module", status: { in: [...ACTIVE] }, kernelBuildId: { not: null } }, select: { kernelBuildId: true } }),
    db.bootTest.findMany({ where: { build: { organizationId }, status: { in: [...ACTIVE] } }, select: { buildId: true, spec: true } }),
  ]);
  const used = new Set<string>();
  for (const m of modules) used.add(m.kernelBuildId!);
  for (const t of boots) {
    used.add(t.buildId);
    for (const m of bootModules(t.spec)) used.add(m);
  }
  return used;
}

function bootModules(spec: unknown): string[] {
  const resolved = (spec as { resolvedModules?: { buildId?: unknown }[] } | null)?.resolvedModules;
  return Array.isArray(resolved) ? resolved.map((m) => m.buildId).filter((id): id is string => typeof id === "string") : [];
}

/**
 * Under the build's row lock: checks it may still lose its artifacts, marks it
 * and its removable artifact rows, and returns their store keys (null: keep).
 */
async function claim(tx: Tx, buildId: string, reason: string, now: Date): Promise<string[] | null> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Build" WHERE id = ${buildId} AND pinned = false AND "artifactsPurgedAt" IS NULL AND status NOT IN ('queued', 'running') FOR UPDATE`;
  if (!locked.length) return null;
  // Module builds and boot tests lock the same row before they are written (lockArtifactsOf), so these counts are current.
  const modules = await tx.build.count({ where: { kernelBuildId: buildId, status: { in: [...ACTIVE] } } });
  const boots = await tx.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "BootTest" WHERE status IN ('queued', 'running') AND ("buildId" = ${buildId} OR spec->'resolvedModules' @> ${JSON.stringify([{ buildId }])}::jsonb)`;
  if (modules > 0 || Number(boots[0]?.n ?? 0) > 0) return null;
  const artifacts = await tx.artifact.findMany({ where: { buildId, removedAt: null, name: { notIn: [...KEPT_ARTIFACTS] } }, select: { storageKey: true } });
  if (!artifacts.length) return null;
  await tx.artifact.updateMany({ where: { buildId, removedAt: null, name: { notIn: [...KEPT_ARTIFACTS] } }, data: { removedAt: now } });
  await tx.build.update({ where: { id: buildId }, data: { artifactsPurgedAt: now, artifactsPurgeReason: reason } });
  return artifacts.map((a) => a.storageKey);
}

/**
 * Locks the builds whose artifacts a new module build or boot test will read,
 * in a transaction that writes that module build or boot test, so retention
 * cannot remove them in between; answers 410 when it already has.
 */
export async function lockArtifactsOf(tx: Tx, buildIds: string[], what: string): Promise<void> {
  for (const id of [...new Set(buildIds)].sort()) {
    const rows = await tx.$queryRaw<{ artifactsPurgedAt: Date | null; artifactsPurgeReason: string | null }[]>`SELECT "artifactsPurgedAt", "artifactsPurgeReason" FROM "Build" WHERE id = ${id} FOR UPDATE`;
    const row = rows[0];
    if (row?.artifactsPurgedAt) throw new RequestError(410, goneMessage(id, row as { artifactsPurgedAt: Date; artifactsPurgeReason: string | null }, what));
  }
}

/** "cannot build a module against kernel build X: its artifacts, module kit included, were removed ...". */
export function goneMessage(buildId: string, b: { artifactsPurgedAt: Date; artifactsPurgeReason: string | null }, what: string): string {
  return `${what}: build ${buildId} no longer has its artifacts. ${purgeNotice(b)} Rebuild it to get them again.`;
}

/** Every team with a policy that removes something, for the worker's periodic run. */
export async function teamsWithRetention(db: PrismaClient): Promise<string[]> {
  const rows = await db.retentionPolicy.findMany({ where: { OR: [{ keepNewest: { not: null } }, { keepDays: { not: null } }] }, select: { organizationId: true } });
  return rows.map((r) => r.organizationId);
}

