import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ArtifactStore } from "../../artifacts/store";
import type { ToolchainProfile } from "../../toolchain/profiles";
import { MODEL_FORMAT } from "../engine/serialize";
import { configuratorOutline } from "./outline";
import type { ConfiguratorModel } from "./types";

/**
 * Where prepared configurator models live: in the artifact store, under a key
 * made of everything that decides them (the tree, the architecture, the
 * toolchain profile as written, the model format). A changed source (a new
 * Debian linux-source package, or a directory whose Kconfig files were edited,
 * as of the worker's last scan) or profile gets a new model.
 */
/** What of a kernel source decides its models. */
export interface ModelSource {
  id: string;
  location: string;
  version: string | null;
  kconfigDigest: string | null;
}

export function modelKey(source: ModelSource, arch: string, profile: ToolchainProfile): string {
  const identity = JSON.stringify([MODEL_FORMAT, source.id, source.location, source.version, source.kconfigDigest, arch, profile]);
  return `${source.id}-${arch}-${createHash("sha256").update(identity).digest("hex").slice(0, 16)}`;
}

const objectKey = (key: string, name: string) => {
  if (!/^[a-z0-9._-]+$/i.test(key)) throw new Error(`bad model key ${JSON.stringify(key)}`);
  return `kconfig/${key}/${name}`;
};
export const modelObject = (key: string) => objectKey(key, "model.json");
/** The page's part of the model (see ModelOutline). */
export const outlineObject = (key: string) => objectKey(key, "outline.json");
export const helpObject = (key: string) => objectKey(key, "help.json");
/** A stored JSON object gzipped once when stored: the web server sends it as it is instead of compressing megabytes per request. */
export const gzipped = (object: string) => `${object}.gz`;

/** Stores the files, the page's two also gzipped; the model last, since its presence says the model is ready. */
export async function storeModel(store: ArtifactStore, key: string, model: ConfiguratorModel, help: Record<number, string>): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "kbuild-model-"));
  const put = async (object: string, value: unknown, packed = true) => {
    const text = JSON.stringify(value);
    const file = path.join(dir, path.basename(object));
    if (packed) {
      await writeFile(`${file}.gz`, gzipSync(text));
      await store.putFile(gzipped(object), `${file}.gz`);
    }
    await writeFile(file, text);
    await store.putFile(object, file);
  };
  try {
    // Help is read on the server, a few texts at a time: no packed copy.
    await put(helpObject(key), help, false);
    await put(outlineObject(key), configuratorOutline(model));
    await put(modelObject(key), model);
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
