import { z } from "zod";
import type { Actor } from "../auth/current";
import { RequestError, isUuid, submitBuild, validateSubmission } from "../builds/service";
import type { BuildSpec } from "../builds/spec";
import { Prisma, type PrismaClient } from "../db/client";

/**
 * Presets: a team's build specs under names, to build again. A preset holds
 * the spec exactly as POST /api/v1/builds takes it, checked the same way
 * (validateSubmission) when it is saved, and again when it is built, since
 * sources and profiles may have changed since.
 */

export const PresetNameSchema = z
  .string()
  .trim()
  .min(1, "a preset needs a name")
  .max(100, "a preset name has at most 100 characters")
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "a preset name may not contain control characters");

/** `spec`: a build spec as POST /api/v1/builds takes it; or `build`: the id of a team's kernel build whose spec to save. */
const CreateSchema = z
  .object({ name: PresetNameSchema, spec: z.unknown().optional(), build: z.string().uuid().optional() })
  .strict()
  .refine((c) => (c.spec === undefined) !== (c.build === undefined), "give either a spec or the build whose spec to save, not both");
const UpdateSchema = z.object({ name: PresetNameSchema.optional(), spec: z.unknown().optional() }).refine((u) => u.name !== undefined || u.spec !== undefined, "change the name, the spec or both");

function issuesOf(error: z.ZodError) {
  return error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
}

const presetSelect = {
  id: true,
  name: true,
  spec: true,
  createdAt: true,
  updatedAt: true,
  createdBy: { select: { id: true, name: true } },
} satisfies Prisma.PresetSelect;

type PresetRow = Prisma.PresetGetPayload<{ select: typeof presetSelect }>;

export function presetView(p: PresetRow) {
  return {
    id: p.id,
    name: p.name,
    spec: p.spec as unknown as BuildSpec,
    createdBy: p.createdBy,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export type PresetView = ReturnType<typeof presetView>;


async function findPreset(db: PrismaClient, actor: Actor, id: string): Promise<PresetRow> {
  const p = isUuid(id) ? await db.preset.findFirst({ where: { id, organizationId: actor.organizationId }, select: presetSelect }) : null;
  if (!p) throw new RequestError(404, "no such preset");
  return p;
}

export async function listPresets(db: PrismaClient, actor: Actor): Promise<PresetView[]> {
  const rows = await db.preset.findMany({ where: { organizationId: actor.organizationId }, orderBy: { name: "asc" }, select: presetSelect });
  return rows.map(presetView);
}

export async function getPreset(db: PrismaClient, actor: Actor, id: string): Promise<PresetView> {
  return presetView(await findPreset(db, actor, id));
}

function duplicate(err: unknown, name: string): never {
  if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
    throw new RequestError(409, `the team already has a preset named ${JSON.stringify(name)}`, [{ path: "name", message: "name taken" }]);
  }
  throw err;
}

export async function createPreset(db: PrismaClient, actor: Actor, input: unknown): Promise<PresetView> {
  const parsed = CreateSchema.safeParse(input);
  if (!parsed.success) throw new RequestError(400, "invalid preset", issuesOf(parsed.error));
  const { spec } = await validateSubmission(db, parsed.data.build ? await specOfBuild(db, actor, parsed.data.build) : parsed.data.spec);
  const row = await db.preset
    .create({
      data: { organizationId: actor.organizationId, name: parsed.data.name, spec: spec as unknown as Prisma.InputJsonValue, createdById: actor.userId },
      select: presetSelect,
    })
    .catch((err) => duplicate(err, parsed.data.name));
  return presetView(row);
}

/** The spec a team's kernel build was submitted with. */
async function specOfBuild(db: PrismaClient, actor: Actor, id: string): Promise<unknown> {
  const build = await db.build.findFirst({ where: { id, organizationId: actor.organizationId }, select: { kind: true, spec: true } });
  if (!build) throw new RequestError(404, "no such build", [{ path: "build", message: "no such build" }]);
  if (build.kind !== "kernel") throw new RequestError(400, "only a kernel build's spec can be a preset; a module build is rebuilt from its own page", [{ path: "build", message: "not a kernel build" }]);
  return build.spec;
}

export async function updatePreset(db: PrismaClient, actor: Actor, id: string, input: unknown): Promise<PresetView> {
  // Another team's preset is a 404 whatever the body: its ids say nothing, not even through a 400.
  await findPreset(db, actor, id);
  const parsed = UpdateSchema.safeParse(input);
  if (!parsed.success) throw new RequestError(400, "invalid preset", issuesOf(parsed.error));
  const spec = parsed.data.spec === undefined ? undefined : (await validateSubmission(db, parsed.data.spec)).spec;
  const row = await db.preset
    .update({
      where: { id },
      data: { name: parsed.data.name, spec: spec as unknown as Prisma.InputJsonValue | undefined },
      select: presetSelect,
    })
    .catch((err) => duplicate(err, parsed.data.name ?? ""));
  return presetView(row);
}

/** Deletes the preset; its builds stay, without it. */
export async function deletePreset(db: PrismaClient, actor: Actor, id: string): Promise<void> {
  await findPreset(db, actor, id);
  await db.preset.delete({ where: { id } });
}

/** Submits the preset's spec as a build of the preset. */
export async function buildFromPreset(db: PrismaClient, actor: Actor, id: string): Promise<{ id: string }> {
  const preset = await findPreset(db, actor, id);
  return submitBuild(db, actor, preset.spec, { presetId: preset.id });
}
