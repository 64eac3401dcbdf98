import { readArtifactText } from "../artifacts";
import type { Actor } from "../auth/current";
import { RequestError } from "../builds/service";
import { config } from "../config";
import type { Prisma, PrismaClient } from "../db/client";
import { parseDotConfig } from "../kconfig/dotconfig";
import { buildQueue, enqueueBuild } from "../queue";
import { redis } from "../redis";
import { type ModuleSpec, ModuleSpecSchema, moduleRequestSchema } from "./files";
import { loadModuleLimits } from "./limits";
import { lockArtifactsOf } from "../retention/apply";
import { purgeNotice } from "../retention/policy";
import { apiFamilyFor, type ModuleApiFamily } from "./templates";

/**
 * Module builds are builds (Build.kind "module"): the queue, the log stream,
 * steps, artifacts, cancel and the worker's liveness checks all carry over.
 * This is what the API does for them: which kernel builds can take a module,
 * and submitting one.
 */
export const MODULE_KIT_ARTIFACT = "module-kit.tar.xz";

export interface KitKernel {
  id: string;
  sourceId: string;
  profile: string;
  arch: string;
  kernelVersion: string | null;
  family: ModuleApiFamily | null;
}

/** Why this kernel build cannot take modules, or null when it can. Read from its resolved .config. */
export function kitProblem(o: { status: string; kind: string; artifacts: string[]; dotConfig: string | null }): string | null {
  if (o.kind !== "kernel") return "this is a module build; modules are built against a kernel build";
  if (o.status !== "succeeded") return `the kernel build has not succeeded (it is ${o.status}); modules need a finished kernel build`;
  if (o.dotConfig === null) return "the kernel build left no .config";
  const values = parseDotConfig(o.dotConfig).values;
  if (values.get("RUST") !== "y") return "the kernel was built without Rust support (CONFIG_RUST is not set): Rust modules cannot be built against it";
  if (values.get("MODULES") !== "y") return "the kernel was built without loadable module support (CONFIG_MODULES is not set)";
  if (!o.artifacts.includes(MODULE_KIT_ARTIFACT)) return "the kernel build has no module kit: build the kernel again with the module-kit target";
  return null;
}

/** The team's kernel build, with why it cannot take modules (null reason: it can). */
export async function kernelForModules(db: PrismaClient, actor: Actor, id: string): Promise<{ kernel: KitKernel; problem: string | null; gone?: boolean }> {
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new RequestError(404, "no such build");
  const b = await db.build.findFirst({ where: { id, organizationId: actor.organizationId }, include: { artifacts: { select: { name: true, storageKey: true } } } });
  if (!b) throw new RequestError(404, "no such build");
  const kernel = { id: b.id, sourceId: b.sourceId, profile: b.profile, arch: b.arch, kernelVersion: b.kernelVersion, family: b.kernelVersion ? apiFamilyFor(b.kernelVersion) : null };
  if (b.artifactsPurgedAt) {
    return { kernel, problem: `its module kit is gone. ${purgeNotice(b as { artifactsPurgedAt: Date; artifactsPurgeReason: string | null })} Rebuild the kernel to build modules against it`, gone: true };
  }
  const dotConfig = b.artifacts.find((a) => a.name === ".config");
  const problem = kitProblem({
    status: b.status,
    kind: b.kind,
    artifacts: b.artifacts.map((a) => a.name),
    dotConfig: dotConfig ? await readArtifactText(dotConfig.storageKey) : null,
  });
  return { kernel, problem };
}

/** How many of a kernel's module builds the boot-test form offers modules from. */
export const RECENT_MODULE_BUILDS = 20;

export interface ModuleBuildModules {
  id: string;
  createdAt: string;
  /** The .ko artifacts it produced. */
  modules: string[];
}

/** The kernel build's newest succeeded module builds that produced .ko files: what a boot test can load besides the kernel's own. */
export async function builtModulesOf(db: PrismaClient, actor: Actor, kernelBuildId: string): Promise<ModuleBuildModules[]> {
  const builds = await db.build.findMany({
    where: { kernelBuildId, organizationId: actor.organizationId, kind: "module", status: "succeeded" },
    orderBy: { createdAt: "desc" },
    take: RECENT_MODULE_BUILDS,
    select: { id: true, createdAt: true, artifacts: { where: { name: { endsWith: ".ko" }, removedAt: null }, select: { name: true }, orderBy: { name: "asc" } } },
  });
  return builds
    .filter((b) => b.artifacts.length > 0)
    .map((b) => ({ id: b.id, createdAt: b.createdAt.toISOString(), modules: b.artifacts.map((a) => a.name) }));
}

/** The files and template of one of the kernel build's module builds, to edit and build again; null when there is no such build of the team. */
export async function moduleBuildFiles(db: PrismaClient, actor: Actor, kernelBuildId: string, moduleBuildId: string): Promise<Pick<ModuleSpec, "files" | "template"> | null> {
  if (!/^[0-9a-f-]{36}$/.test(moduleBuildId)) return null;
  const b = await db.build.findFirst({ where: { id: moduleBuildId, kernelBuildId, organizationId: actor.organizationId, kind: "module" }, select: { spec: true } });
  const spec = b && ModuleSpecSchema.safeParse(b.spec);
  return spec?.success ? { files: spec.data.files, template: spec.data.template } : null;
}

let queue: ReturnType<typeof buildQueue> | undefined;
function queueOf() {
  queue ??= buildQueue(redis(), config().prefix);
  return queue;
}

/** Validates the module and the kernel build, writes the module build (queued) and enqueues it. */
export async function submitModuleBuild(db: PrismaClient, actor: Actor, kernelBuildId: string, input: unknown): Promise<{ id: string }> {
  const parsed = moduleRequestSchema(loadModuleLimits()).safeParse(input);
  if (!parsed.success) {
    throw new RequestError(400, "invalid module build request", parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
  }
  const { kernel, problem, gone } = await kernelForModules(db, actor, kernelBuildId);
  // 410: the kit was there and retention removed it; 409: this kernel never had one.
  if (problem) throw new RequestError(gone ? 410 : 409, `cannot build a module against kernel build ${kernelBuildId}: ${problem}`);
  const spec: ModuleSpec = { kind: "module", kernelBuild: kernel.id, template: parsed.data.template, jobs: parsed.data.jobs, files: parsed.data.files };
  // Under the kernel's row lock, so retention cannot remove the kit between the check above and the module build's row.
  const build = await db.$transaction(async (tx) => {
    await lockArtifactsOf(tx, [kernel.id], "cannot build a module against it");
    return tx.build.create({
      data: {
        kind: "module",
        kernelBuildId: kernel.id,
        organizationId: actor.organizationId,
        submitterId: actor.userId,
        sourceId: kernel.sourceId,
        spec: spec as unknown as Prisma.InputJsonValue,
        // The kernel's: the module must be built with the toolchain the kernel was.
        profile: kernel.profile,
        arch: kernel.arch,
        baseConfig: "module",
        kernelVersion: kernel.kernelVersion,
      },
    });
  });
  await enqueueBuild(queueOf(), build.id);
  return { id: build.id };
}
