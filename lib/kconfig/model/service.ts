import type { Queue } from "bullmq";
import { artifactStore, type ArtifactStore } from "../../artifacts";
import { RequestError } from "../../builds/service";
import { ARCHITECTURES } from "../../builds/spec";
import { config } from "../../config";
import type { PrismaClient } from "../../db/client";
import { enqueueKconfigModel, kconfigQueue, type KconfigModelJob } from "../../queue/kconfig";
import { redis } from "../../redis";
import { loadProfiles } from "../../toolchain/profiles";
import { checkFragment } from "../engine/check";
import type { Kconfig } from "../engine/kconfig";
import { deserializeKconfig } from "../engine/serialize";
import { helpObject, modelKey, modelObject, readStoredJson } from "./store";
import type { ConfiguratorModel, ModelProgress } from "./types";

/**
 * The web server's side of configurator models: which model a (source, arch,
 * profile) needs, whether a worker has stored it, and asking for it when not.
 */

export type ModelState =
  | { status: "ready"; key: string; object: string }
  | { status: "preparing"; key: string; state: string; progress: ModelProgress }
  | { status: "failed"; key: string; error: string };

let queue: Queue<KconfigModelJob> | undefined;
const queueOf = () => (queue ??= kconfigQueue(redis(), config().prefix));

export interface ModelRequest {
  source: string;
  arch: string;
  profile: string;
}

/** Checks the request and finds the model's key. */
export async function modelKeyFor(db: PrismaClient, req: ModelRequest): Promise<KconfigModelJob> {
  if (!(ARCHITECTURES as readonly string[]).includes(req.arch)) throw new RequestError(400, `unsupported architecture ${JSON.stringify(req.arch)}; supported: ${ARCHITECTURES.join(", ")}`);
  const source = await db.kernelSource.findFirst({ where: { OR: [{ id: req.source }, { name: req.source }] } });
  if (!source) throw new RequestError(404, `unknown kernel source ${JSON.stringify(req.source)}`);
  if (source.status !== "ready") throw new RequestError(409, `kernel source ${source.name} is not ready (${source.status})`);
  const profiles = await loadProfiles(config().extraProfileDirs);
  const profile = profiles.get(req.profile);
  if (!profile) throw new RequestError(400, `unknown toolchain profile ${JSON.stringify(req.profile)}; available: ${[...profiles.keys()].join(", ")}`);
  return { key: modelKey(source, req.arch, profile), sourceId: source.id, arch: req.arch, profile: profile.id };
}

/** Where the model stands; asks a worker for it when nobody has. `retry` starts a failed one over. */
export async function modelState(db: PrismaClient, req: ModelRequest, options: { retry?: boolean; store?: ArtifactStore } = {}): Promise<ModelState> {
  const job = await modelKeyFor(db, req);
  const store = options.store ?? artifactStore();
  const object = modelObject(job.key);
  if ((await store.size(object)) !== null) return { status: "ready", key: job.key, object };
  const q = queueOf();
  let existing = await q.getJob(job.key);
  if (existing && (await existing.getState()) === "failed") {
    if (!options.retry) return { status: "failed", key: job.key, error: existing.failedReason || "the worker could not prepare the model" };
    await existing.remove();
    existing = undefined;
  }
  if (existing && (await existing.getState()) === "completed") {
    // Completed but not in the store (removed by hand): prepare it again.
    await existing.remove();
    existing = undefined;
  }
  const active = existing ?? (await enqueueKconfigModel(q, job));
  const state = await active.getState();
  const progress = (typeof active.progress === "object" && active.progress ? active.progress : null) as ModelProgress | null;
  return {
    status: "preparing",
    key: job.key,
    state,
    progress: progress ?? { stage: "queued", message: state === "waiting" ? "waiting for a worker to take the job" : state },
  };
}

// The help texts and the rebuilt trees of recently used models, per key.
const helpCache = new Map<string, Record<number, string>>();
const treeCache = new Map<string, Kconfig>();
const remember = <T>(cache: Map<string, T>, key: string, value: T) => {
  cache.set(key, value);
  while (cache.size > 4) cache.delete(cache.keys().next().value!);
  return value;
};

export async function helpTexts(db: PrismaClient, req: ModelRequest, menus: number[] | "all"): Promise<Record<number, string> | null> {
  const { key } = await modelKeyFor(db, req);
  let help: Record<number, string> | null | undefined = helpCache.get(key);
  if (!help) {
    help = await readStoredJson<Record<number, string>>(artifactStore(), helpObject(key));
    if (!help) return null;
    remember(helpCache, key, help);
  }
  if (menus === "all") return help;
  return Object.fromEntries(menus.filter((m) => help![m] !== undefined).map((m) => [m, help![m]!]));
}

/** Per-line warnings for an uploaded .config against the tree; null while the model is not ready. */
export async function checkConfigText(db: PrismaClient, req: ModelRequest, text: string) {
  const state = await modelState(db, req);
  if (state.status !== "ready") return { state, warnings: null };
  let kc = treeCache.get(state.key);
  if (!kc) {
    const stored = await readStoredJson<ConfiguratorModel>(artifactStore(), state.object);
    if (!stored) return { state, warnings: null };
    kc = remember(treeCache, state.key, deserializeKconfig(stored.model));
  }
  return { state, warnings: checkFragment(kc, text) };
}
