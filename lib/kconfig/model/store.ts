import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ArtifactStore } from "../../artifacts/store";
import type { ToolchainProfile } from "../../toolchain/profiles";
import { MODEL_FORMAT } from "../engine/serialize";
import type { ConfiguratorModel } from "./types";

/**
 * Where prepared configurator models live: in the artifact store, under a key
 * made of everything that decides them (the tree, the architecture, the
 * toolchain profile as written, the model format). A changed source (a new
 * Debian linux-source package is a new version) or profile gets a new model.
 */
export function modelKey(source: { id: string; location: string; version: string | null }, arch: string, profile: ToolchainProfile): string {
  const identity = JSON.stringify([MODEL_FORMAT, source.id, source.location, source.version, arch, profile]);
  return `${source.id}-${arch}-${createHash("sha256").update(identity).digest("hex").slice(0, 16)}`;
}

const objectKey = (key: string, name: "model.json" | "help.json") => {
  if (!/^[a-z0-9._-]+$/i.test(key)) throw new Error(`bad model key ${JSON.stringify(key)}`);
  return `kconfig/${key}/${name}`;
};
export const modelObject = (key: string) => objectKey(key, "model.json");
export const helpObject = (key: string) => objectKey(key, "help.json");

/** Stores both files; the model last, since its presence says the model is ready. */
export async function storeModel(store: ArtifactStore, key: string, model: ConfiguratorModel, help: Record<number, string>): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "kbuild-model-"));
  try {
    await writeFile(path.join(dir, "help.json"), JSON.stringify(help));
    await store.putFile(helpObject(key), path.join(dir, "help.json"));
    await writeFile(path.join(dir, "model.json"), JSON.stringify(model));
    await store.putFile(modelObject(key), path.join(dir, "model.json"));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function readStoredJson<T>(store: ArtifactStore, object: string): Promise<T | null> {
  if ((await store.size(object)) === null) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of await store.read(object)) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as T;
}
