import path from "node:path";
import type { Redis } from "ioredis";
import { z } from "zod";
import type { Actor } from "../auth/current";
import { RequestError } from "../builds/service";
import { Prisma, type PrismaClient } from "../db/client";
import { keys } from "../redis";
import { SOURCE_NAME, entryFor } from "./discover";

/**
 * Kernel sources an admin registers through the API, beside the operator's
 * KBUILD_SOURCES: the same rules (a directory or a tarball whose real path is
 * under KBUILD_SOURCE_ROOTS) and the same preparation (every worker runs
 * prepareSource on it, as it does at start for KBUILD_SOURCES).
 */
export const RegisterSourceSchema = z
  .object({
    name: z.string().regex(SOURCE_NAME, "lower-case letters, digits, . _ - (at most 64), starting with a letter or digit"),
    path: z
      .string()
      .min(1)
      .max(4096)
      .refine((p) => path.isAbsolute(p), "an absolute path on the server")
      .refine((p) => !p.includes("\0"), "no NUL characters"),
  })
  .strict();

/** What workers are told over the sources channel. */
export type SourceNotice = { action: "register" | "remove"; name: string };

const SourceNoticeSchema = z.object({ action: z.enum(["register", "remove"]), name: z.string().regex(SOURCE_NAME) });

/** A notice as a worker reads it; null for anything else on the channel. */
export function parseSourceNotice(message: string): SourceNotice | null {
  try {
    const parsed = SourceNoticeSchema.safeParse(JSON.parse(message));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export async function notifyWorkers(redis: Redis, prefix: string, notice: SourceNotice): Promise<void> {
  await redis.publish(keys.sourcesChannel(prefix), JSON.stringify(notice));
}

export interface SourceSettings {
  /** KBUILD_SOURCE_ROOTS. */
  roots: string[];
  prefix: string;
}

/** The JSON shape of a source for its administrators (the path is theirs to see). */
export function sourceAdminView(s: { id: string; name: string; kind: string; location: string; status: string; statusReason: string | null; version: string | null; registeredById: string | null; createdAt: Date }) {
  return {
    id: s.id,
    name: s.name,
    kind: s.kind,
    path: s.location,
    status: s.status,
    statusReason: s.statusReason,
    version: s.version,
    /** "api": registered by an admin here; "environment": the operator's KBUILD_SOURCES or discovery. */
    origin: s.registeredById ? "api" : "environment",
    createdAt: s.createdAt.toISOString(),
  };
}

/**
 * Registers a source (status `preparing`) and tells the workers to prepare it:
 * 400 for a path that is not a tree or tarball under a root, 409 for a name
 * that is taken.
 */
export async function registerSource(db: PrismaClient, redis: Redis, settings: SourceSettings, actor: Actor, input: unknown) {
  const parsed = RegisterSourceSchema.safeParse(input);
  if (!parsed.success) {
    throw new RequestError(400, "invalid source registration", parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
  }
  const { name, path: location } = parsed.data;
  const entry = await entryFor(name, location, settings.roots).catch((err: Error) => {
    throw new RequestError(400, `${err.message}; sources must be a kernel tree directory or a .tar[.xz|.gz|.bz2|.zst] tarball under ${settings.roots.join(", ")} (KBUILD_SOURCE_ROOTS)`);
  });
  if (await db.kernelSource.findUnique({ where: { name }, select: { id: true } })) throw taken(name);
  let row;
  try {
    row = await db.kernelSource.create({
      data: { id: name, name, kind: entry.kind, location: entry.location, status: "preparing", registeredById: actor.userId },
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") throw taken(name);
    throw err;
  }
  await notifyWorkers(redis, settings.prefix, { action: "register", name });
  return sourceAdminView(row);
}

function taken(name: string): RequestError {
  return new RequestError(409, `a kernel source named ${name} is already registered`);
}

/**
 * Removes a source an admin registered: 404 when there is none, 409 while it
 * is being prepared, when builds used it (their records refer to it), or when
 * it is the operator's (it would come back at the next worker start).
 */
export async function removeSource(db: PrismaClient, redis: Redis, settings: SourceSettings, id: string): Promise<void> {
  const source = await db.kernelSource.findUnique({ where: { id }, include: { _count: { select: { builds: true } } } });
  if (!source) throw new RequestError(404, "no such kernel source");
  if (!source.registeredById) throw new RequestError(409, `kernel source ${source.name} is the operator's (KBUILD_SOURCES or discovery under the roots): remove it there`);
  if (source.status === "preparing") throw new RequestError(409, `kernel source ${source.name} is still being prepared; remove it once it is ready or has failed`);
  if (source._count.builds) throw new RequestError(409, `kernel source ${source.name} has ${source._count.builds} build(s); it stays while they do`);
  try {
    await db.kernelSource.delete({ where: { id } });
  } catch (err) {
    // A build submitted since the count: its record keeps the source.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2003") throw new RequestError(409, `kernel source ${source.name} has builds; it stays while they do`);
    throw err;
  }
  await notifyWorkers(redis, settings.prefix, { action: "remove", name: source.name });
}

/** Every source with its path and origin, for the admins' section of the sources page. */
export async function listSourcesForAdmin(db: PrismaClient) {
  return (await db.kernelSource.findMany({ orderBy: { name: "asc" } })).map(sourceAdminView);
}
