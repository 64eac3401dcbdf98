import { z } from "zod";
import type { Actor } from "../auth/current";
import type { PrismaClient } from "../db/client";
import { ModuleSpecSchema } from "../modules/files";
import { submitModuleBuild } from "../modules/service";
import { RequestError, submitBuild } from "./service";

/**
 * Building a build again: the same spec, through the same submit path (and
 * its checks: the source and profile must still exist). A kernel build's
 * rebuild stays a build of its preset unless `preset` names another (or null
 * for none); a module build is rebuilt against the same kernel build.
 */
export const RebuildRequestSchema = z.object({ preset: z.string().uuid().nullable().optional() }).strict();

export async function rebuild(db: PrismaClient, actor: Actor, id: string, input: unknown): Promise<{ id: string }> {
  const parsed = RebuildRequestSchema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new RequestError(400, "invalid rebuild request", parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
  }
  const build = /^[0-9a-f-]{36}$/.test(id)
    ? await db.build.findFirst({ where: { id, organizationId: actor.organizationId }, select: { id: true, kind: true, spec: true, presetId: true, kernelBuildId: true } })
    : null;
  if (!build) throw new RequestError(404, "no such build");

  if (build.kind === "module") {
    if (parsed.data.preset) throw new RequestError(400, "a module build has no preset; presets hold kernel build specs");
    const spec = ModuleSpecSchema.safeParse(build.spec);
    if (!spec.success || !build.kernelBuildId) throw new RequestError(409, "this module build's files cannot be read back; build it again from its kernel's page");
    return submitModuleBuild(db, actor, build.kernelBuildId, { files: spec.data.files, template: spec.data.template, jobs: spec.data.jobs });
  }

  let presetId = parsed.data.preset === undefined ? build.presetId : parsed.data.preset;
  if (presetId) {
    const preset = await db.preset.findFirst({ where: { id: presetId, organizationId: actor.organizationId }, select: { id: true } });
    if (!preset) {
      if (parsed.data.preset) throw new RequestError(404, "no such preset");
      presetId = null; // deleted since the build
    }
  }
  return submitBuild(db, actor, build.spec, { presetId });
}

/** Pins (or unpins) a build: a pinned build keeps its artifacts whatever the retention policy says. */
export async function setPinned(db: PrismaClient, actor: Actor, id: string, pinned: boolean): Promise<{ pinned: boolean; artifactsPurgedAt: string | null }> {
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new RequestError(404, "no such build");
  const { count } = await db.build.updateMany({
    where: { id, organizationId: actor.organizationId },
    data: pinned ? { pinned: true, pinnedById: actor.userId, pinnedAt: new Date() } : { pinned: false, pinnedById: null, pinnedAt: null },
  });
  if (!count) throw new RequestError(404, "no such build");
  const b = await db.build.findUniqueOrThrow({ where: { id }, select: { pinned: true, artifactsPurgedAt: true } });
  return { pinned: b.pinned, artifactsPurgedAt: b.artifactsPurgedAt?.toISOString() ?? null };
}
