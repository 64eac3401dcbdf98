import type { Readable } from "node:stream";

export interface StoredObject {
  size: number;
  sha256: string;
}

export interface ByteRange {
  start: number;
  /** Inclusive, like HTTP's Range. */
  end: number;
}

/**
 * Where artifacts live. One interface, pluggable backends: the local directory
 * today; S3-compatible storage for workers that do not share a disk with the
 * web server.
 */
export interface ArtifactStore {
  /** Copies a file into the store under `key`, hashing it on the way. */
  putFile(key: string, file: string): Promise<StoredObject>;
  /** Size in bytes, or null when there is no such object. */
  size(key: string): Promise<number | null>;
  /** The object's bytes, or a range of them. */
  read(key: string, range?: ByteRange): Promise<Readable>;
  /** Removes every object under a key prefix (a build's artifacts). */
  removePrefix(prefix: string): Promise<void>;
  /** Removes one object; none there is not an error. */
  remove(key: string): Promise<void>;
}

/** Store keys are built only from ids we generated and names we chose; never from user text. */
export function artifactKey(buildId: string, name: string): string {
  if (!/^[A-Za-z0-9-]+$/.test(buildId)) throw new Error(`bad build id ${JSON.stringify(buildId)}`);
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name === "." || name === "..") {
    throw new Error(`bad artifact name ${JSON.stringify(name)}`);
  }
  return `builds/${buildId}/${name}`;
}
