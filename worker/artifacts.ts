import { readdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ArtifactStore } from "../lib/artifacts/store";
import { artifactKey } from "../lib/artifacts/store";
import type { TargetArtifact } from "../lib/builds/targets";
import type { PrismaClient } from "../lib/db/client";

/** Where a collected artifact came from, as metadata.json lists it. */
export interface StoredArtifact {
  name: string;
  /** Relative to the build's output directory. */
  path: string;
  size: number;
  sha256: string;
}

const CONTENT_TYPES: [RegExp, string][] = [
  [/^\.config$|\.map$|\.log$/, "text/plain; charset=utf-8"],
  [/\.json$/, "application/json"],
  [/\.xz$/, "application/x-xz"],
  [/\.gz$/, "application/gzip"],
  [/\.sh$/, "text/x-shellscript; charset=utf-8"],
];

function contentType(name: string): string {
  return CONTENT_TYPES.find(([re]) => re.test(name))?.[1] ?? "application/octet-stream";
}

/** Files under `dir` whose base name matches `glob` (`*` only), skipping kbuild's own .kbuild directory. */
export async function findFiles(dir: string, glob: string): Promise<string[]> {
  const re = new RegExp(`^${glob.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^/]*")}$`);
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && re.test(e.name))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .filter((rel) => !rel.startsWith(".kbuild/"))
    .sort();
}

/** The artifacts' files in the output directory, named by base name (a repeated base name gets its path, flattened). */
export async function resolveArtifactFiles(outDir: string, artifacts: TargetArtifact[]): Promise<{ name: string; path: string }[]> {
  const files: { name: string; path: string }[] = [];
  const taken = new Set<string>();
  const add = (rel: string) => {
    if (files.some((f) => f.path === rel)) return;
    let name = path.basename(rel);
    if (taken.has(name)) name = rel.replaceAll("/", "_");
    if (!/^[A-Za-z0-9._-]+$/.test(name)) return; // a file name no artifact key may hold; listed nowhere
    taken.add(name);
    files.push({ name, path: rel });
  };
  for (const a of artifacts) {
    if ("glob" in a) (await findFiles(outDir, a.glob)).forEach(add);
    else if (await stat(path.join(outDir, a.path)).then((s) => s.isFile(), () => false)) add(a.path);
  }
  return files;
}

/**
 * Stores a build's artifacts: the targets' files, the resolved .config, the
 * whole log gzipped, then metadata.json listing them all with sizes and sha256.
 * Called whatever the build's outcome: what exists is kept.
 */
export async function collectArtifacts(o: {
  db: PrismaClient;
  store: ArtifactStore;
  buildId: string;
  outDir: string;
  artifacts: TargetArtifact[];
  /** The whole log, gzipped (build.log.gz); null when the run stopped before it was opened. */
  logFile: string | null;
  metadata: Record<string, unknown>;
}): Promise<StoredArtifact[]> {
  const stored: StoredArtifact[] = [];
  const put = async (name: string, rel: string, file = path.join(o.outDir, rel)) => {
    const key = artifactKey(o.buildId, name);
    const obj = await o.store.putFile(key, file);
    await o.db.artifact.upsert({
      where: { buildId_name: { buildId: o.buildId, name } },
      create: { buildId: o.buildId, name, size: obj.size, sha256: obj.sha256, contentType: contentType(name), storageKey: key },
      update: { size: obj.size, sha256: obj.sha256, storageKey: key },
    });
    stored.push({ name, path: rel, ...obj });
  };
  for (const f of await resolveArtifactFiles(o.outDir, [{ path: ".config" }, ...o.artifacts])) await put(f.name, f.path);

  // Written as the lines came, outside every directory a build can write; metadata.json lists it at its usual path.
  if (o.logFile) await put("build.log.gz", ".kbuild/build.log.gz", o.logFile);

  const metaFile = ".kbuild/metadata.json";
  await writeFile(path.join(o.outDir, metaFile), JSON.stringify({ ...o.metadata, artifacts: stored }, null, 2) + "\n");
  await put("metadata.json", metaFile);
  return stored;
}
