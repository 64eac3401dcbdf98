import { artifactKey, artifactStore } from "../artifacts";
import type { ArtifactStore } from "../artifacts/store";
import { goneMessage, lockArtifactsOf } from "../retention/apply";
import type { Actor } from "../auth/current";
import { RequestError, isUuid } from "../builds/service";
import { isTerminal } from "../builds/status";
import { config } from "../config";
import type { BuildStatus, Prisma, PrismaClient } from "../db/client";
import { parseDotConfig } from "../kconfig/dotconfig";
import { bootTestQueue, enqueueBootTest } from "../queue/boot";
import { keys, redis } from "../redis";
import { describeMissing, missingBootOptions } from "./bootability";
import { type BootTestSpec, BootTestRequestSchema, DEFAULT_BOOT_ENVIRONMENT, type ResolvedModule } from "./spec";
import { moveBootTest } from "./transition";
import type { Verdict } from "./verdict";

/**
 * What the API and the pages do with boot tests. A boot test belongs to the
 * kernel build it boots, and through it to that build's team.
 */
let queue: ReturnType<typeof bootTestQueue> | undefined;
function queueOf() {
  queue ??= bootTestQueue(redis(), config().prefix);
  return queue;
}

/** The architectures kbuild can boot, and the environment that boots each. */
const ENVIRONMENT_OF_ARCH: Record<string, string> = { x86_64: DEFAULT_BOOT_ENVIRONMENT };

/** The kernel image a boot test boots. */
export const KERNEL_ARTIFACT = "bzImage";

async function readText(store: ArtifactStore, key: string): Promise<string> {
  let text = "";
  for await (const chunk of await store.read(key)) text += chunk.toString();
  return text;
}


export async function createBootTest(db: PrismaClient, actor: Actor, buildId: string, input: unknown, store: ArtifactStore = artifactStore()): Promise<{ id: string }> {
  if (!isUuid(buildId)) throw new RequestError(404, "no such build");
  const build = await db.build.findFirst({ where: { id: buildId, organizationId: actor.organizationId }, include: { artifacts: true } });
  if (!build) throw new RequestError(404, "no such build");
  const parsed = BootTestRequestSchema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new RequestError(400, "invalid boot test request", parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
  }
  const request = parsed.data;
  if (build.status !== "succeeded") throw new RequestError(409, `only a succeeded build can be boot-tested; this one is ${build.status}`);
  if (build.artifactsPurgedAt) throw new RequestError(410, goneMessage(build.id, { artifactsPurgedAt: build.artifactsPurgedAt, artifactsPurgeReason: build.artifactsPurgeReason }, "cannot boot it"));
  const environment = ENVIRONMENT_OF_ARCH[build.arch];
  if (!environment) throw new RequestError(422, `kbuild cannot boot ${build.arch} kernels yet (it boots ${Object.keys(ENVIRONMENT_OF_ARCH).join(", ")})`);
  const dotconfig = build.artifacts.find((a) => a.name === ".config");
  if (!dotconfig) throw new RequestError(422, "this build has no .config artifact to check", [{ path: "build", message: "no .config" }]);
  const missing = missingBootOptions(parseDotConfig(await readText(store, artifactKey(build.id, ".config"))).values, { modules: request.modules.length });
  if (missing.length) {
    throw new RequestError(
      422,
      describeMissing(missing),
      missing.map((m) => ({ path: `CONFIG_${m.symbol}`, message: `needs ${m.required} (${m.why}); it is ${m.actual === "n" ? "not set" : m.actual}` })),
    );
  }
  // After the .config: what to add to the build comes first, then what to build.
  const kernel = build.artifacts.find((a) => a.name === KERNEL_ARTIFACT);
  if (!kernel) throw new RequestError(422, `this build has no kernel image (${KERNEL_ARTIFACT}): build it with the "kernel" target`, [{ path: "build", message: "no bzImage" }]);

  const resolvedModules: ResolvedModule[] = [];
  for (const [i, ref] of request.modules.entries()) {
    const from = ref.build ?? build.id;
    const owner =
      from === build.id ? build : await db.build.findFirst({ where: { id: from, organizationId: actor.organizationId }, include: { artifacts: true } });
    if (!owner) throw new RequestError(400, `module ${i + 1}: no such build ${from}`, [{ path: `modules.${i}.build`, message: "no such build" }]);
    if (owner.artifactsPurgedAt) {
      throw new RequestError(410, goneMessage(owner.id, { artifactsPurgedAt: owner.artifactsPurgedAt, artifactsPurgeReason: owner.artifactsPurgeReason }, `module ${i + 1}`));
    }
    const artifact = owner.artifacts.find((a) => a.name === ref.artifact);
    if (!artifact) {
      const kos = owner.artifacts.filter((a) => a.name.endsWith(".ko")).map((a) => a.name);
      throw new RequestError(400, `module ${i + 1}: build ${from} has no artifact ${ref.artifact} (its modules: ${kos.join(", ") || "none"})`, [
        { path: `modules.${i}.artifact`, message: "no such artifact" },
      ]);
    }
    resolvedModules.push({ buildId: owner.id, name: artifact.name, sha256: artifact.sha256, size: Number(artifact.size) });
  }

  const spec: BootTestSpec = {
    ...request,
    environment,
    kernel: { buildId: build.id, artifact: kernel.name, sha256: kernel.sha256 },
    resolvedModules,
  };
  // Under the row locks of the builds it reads from, so retention cannot remove their files before the test runs.
  const row = await db.$transaction(async (tx) => {
    await lockArtifactsOf(tx, [build.id, ...resolvedModules.map((m) => m.buildId)], "cannot boot it");
    return tx.bootTest.create({ data: { buildId: build.id, submitterId: actor.userId, spec: spec as unknown as Prisma.InputJsonValue } });
  });
  // The row first: a lost job is put back from PostgreSQL by any worker.
  await enqueueBootTest(queueOf(), row.id);
  return { id: row.id };
}

export interface BootArtifact {
  name: string;
  size: number;
  sha256: string;
  contentType: string;
}

type BootTestRow = Prisma.BootTestGetPayload<object>;

export function bootTestView(t: BootTestRow) {
  const spec = t.spec as unknown as BootTestSpec;
  return {
    id: t.id,
    buildId: t.buildId,
    status: t.status,
    statusReason: t.statusReason,
    cancelRequested: t.cancelRequested,
    workerId: t.workerId,
    modules: spec.resolvedModules.map((m) => ({ build: m.buildId, artifact: m.name })),
    expect: spec.expect,
    forbid: spec.forbid,
    timeoutSeconds: spec.timeoutSeconds,
    environment: spec.environment,
    verdict: (t.verdict as unknown as Verdict | null) ?? null,
    logLines: t.logLines,
    /** The first console line the stored log lacks (past KBUILD_LOG_STREAM_MAX_BYTES; console.log has it), or null. */
    logTruncatedAt: t.logTruncatedAt,
    createdAt: t.createdAt.toISOString(),
    startedAt: t.startedAt?.toISOString() ?? null,
    finishedAt: t.finishedAt?.toISOString() ?? null,
    artifacts: (t.artifacts as unknown as BootArtifact[]).map((a) => ({ ...a, url: `/api/v1/boot-tests/${t.id}/artifacts/${encodeURIComponent(a.name)}` })),
  };
}

export type BootTestView = ReturnType<typeof bootTestView>;

/** A boot test of the actor's team, or 404. */
export async function getBootTestRow(db: PrismaClient, actor: Actor, id: string): Promise<BootTestRow> {
  if (!isUuid(id)) throw new RequestError(404, "no such boot test");
  const t = await db.bootTest.findFirst({ where: { id, build: { organizationId: actor.organizationId } } });
  if (!t) throw new RequestError(404, "no such boot test");
  return t;
}

export async function getBootTest(db: PrismaClient, actor: Actor, id: string): Promise<BootTestView> {
  return bootTestView(await getBootTestRow(db, actor, id));
}

/** The build's boot tests, newest first. */
export async function listBootTests(db: PrismaClient, actor: Actor, buildId: string): Promise<BootTestView[]> {
  if (!isUuid(buildId)) throw new RequestError(404, "no such build");
  const build = await db.build.findFirst({ where: { id: buildId, organizationId: actor.organizationId }, select: { id: true } });
  if (!build) throw new RequestError(404, "no such build");
  const rows = await db.bootTest.findMany({ where: { buildId }, orderBy: { createdAt: "desc" }, take: 100 });
  return rows.map(bootTestView);
}

export async function cancelBootTest(db: PrismaClient, actor: Actor, id: string): Promise<{ status: BuildStatus }> {
  const t = await getBootTestRow(db, actor, id);
  if (isTerminal(t.status)) return { status: t.status };
  if (await moveBootTest(db, id, "canceled", { statusReason: "canceled before it started", finishedAt: new Date() }, ["queued"])) {
    await queueOf().remove(id).catch(() => {});
    return { status: "canceled" };
  }
  // Running: its worker ends QEMU and owns the final status.
  await db.bootTest.update({ where: { id }, data: { cancelRequested: true } });
  await redis().publish(keys.cancelChannel(config().prefix), id);
  return { status: "running" };
}
