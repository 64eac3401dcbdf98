import { config } from "../config";
import { LocalArtifactStore } from "./local";
import type { ArtifactStore } from "./store";

export { artifactKey } from "./store";
export type { ArtifactStore } from "./store";

/** The configured store (only the local directory exists yet). */
export function artifactStore(): ArtifactStore {
  return new LocalArtifactStore(config().artifactsDir);
}
