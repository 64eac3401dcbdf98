import { config } from "../config";
import { LocalArtifactStore } from "./local";
import type { ArtifactStore } from "./store";

export { artifactKey } from "./store";
export type { ArtifactStore } from "./store";

/** The configured store (only the local directory exists yet). */
export function artifactStore(): ArtifactStore {
  return new LocalArtifactStore(config().artifactsDir);
}

/** A small text artifact (a .config), or null when it cannot be read. */
export async function readArtifactText(key: string, store: ArtifactStore = artifactStore()): Promise<string | null> {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of await store.read(key)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  } catch {
    return null;
  }
}
