import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import type { PrismaClient } from "../lib/db/client";
import { readRustSamples } from "../lib/kconfig/rust-samples";
import { type ScannedSymbol, scanKconfig, srcArchFor, symbolsInExpression } from "../lib/kconfig/scan";
import { type SourceEntry, entryFor } from "../lib/sources/discover";
import { readKernelVersion, readMinToolVersions } from "../lib/sources/tree";
import type { RustSamplesRecord } from "../lib/builds/service";

const run = promisify(execFile);

/** A source ready on this worker's disk. */
export interface PreparedSource {
  id: string;
  name: string;
  /** The unpacked tree on this host, mounted read-only at /src in builds. */
  tree: string;
  version: string;
  symbols: Map<string, ScannedSymbol>;
}

/**
 * Unpacks a tarball once into the cache (keyed by its path, size and mtime, so
 * a Debian update of linux-source-X gets a fresh tree), atomically: a worker
 * killed mid-unpack leaves only a temporary directory that the next one removes.
 */
export async function unpack(entry: SourceEntry, cacheDir: string): Promise<string> {
  const st = await stat(entry.location);
  const key = createHash("sha256").update(`${entry.location}\0${st.size}\0${st.mtimeMs}`).digest("hex").slice(0, 16);
  const dir = path.join(cacheDir, `${entry.name}-${key}`);
  const done = await readdir(dir).catch(() => null);
  if (done) return treeIn(dir);
  await mkdir(cacheDir, { recursive: true });
  const tmp = `${dir}.partial-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp);
  await run("tar", ["-x", "-f", entry.location, "-C", tmp, "--no-same-owner"], { maxBuffer: 64 * 1024 * 1024 });
  await rename(tmp, dir).catch(async (err: NodeJS.ErrnoException) => {
    // Another worker on this host finished first: use its tree.
    if (err.code !== "ENOTEMPTY" && err.code !== "EEXIST") throw err;
    await rm(tmp, { recursive: true, force: true });
  });
  return treeIn(dir);
}

/** The tree is the directory holding the top Makefile: the unpack root or its single top-level directory. */
async function treeIn(dir: string): Promise<string> {
  const names = await readdir(dir);
  if (names.includes("Makefile")) return dir;
  if (names.length === 1) return path.join(dir, names[0]!);
  throw new Error(`${dir} holds no kernel tree (no Makefile at the top or in a single top-level directory)`);
}

/** The Rust samples record the new-build page offers, from the tree's own samples/rust/Kconfig. */
async function rustSamplesOf(tree: string, symbols: Map<string, ScannedSymbol>): Promise<RustSamplesRecord> {
  const { menuSymbol, samples } = await readRustSamples(tree);
  const enable: string[] = [];
  if (menuSymbol) {
    const menu = symbols.get(menuSymbol);
    const needed = (menu?.dependsOn ?? []).flatMap(symbolsInExpression);
    for (const name of [...needed, menuSymbol]) {
      // Only bool menus are switched on for the user; RUST itself is the Rust toggle.
      if (name !== "RUST" && symbols.get(name)?.type === "bool" && !enable.includes(name)) enable.push(name);
    }
  }
  return {
    menuSymbol,
    enable,
    samples: samples.map((s) => ({ symbol: s.symbol, type: s.type, prompt: s.prompt })),
  };
}

/**
 * A digest of the tree's Kconfig files (and the Makefile, for the version):
 * the configurator model of a directory source edited in place changes with
 * it, at the next scan.
 */
async function digestOf(tree: string, files: string[]): Promise<string> {
  const hash = createHash("sha256");
  for (const file of files) hash.update(file).update("\0").update(await readFile(path.join(tree, file))).update("\0");
  return hash.digest("hex").slice(0, 32);
}

/** Prepares one source and records it; failures are recorded on the source, not thrown. */
export async function prepareSource(db: PrismaClient, entry: SourceEntry, cacheDir: string, arch: string): Promise<PreparedSource | null> {
  const id = entry.name;
  await db.kernelSource.upsert({
    where: { name: entry.name },
    create: { id, name: entry.name, kind: entry.kind, location: entry.location },
    update: { kind: entry.kind, location: entry.location },
  });
  try {
    const tree = entry.kind === "tarball" ? await unpack(entry, cacheDir) : entry.location;
    const version = await readKernelVersion(tree);
    const { symbols, files } = await scanKconfig(tree, arch);
    const kconfigDigest = await digestOf(tree, [...files, "Makefile"]);
    const rustSamples = await rustSamplesOf(tree, symbols);
    const minToolVersions = await readMinToolVersions(tree, srcArchFor(arch));
    await db.$transaction([
      db.kconfigSymbol.deleteMany({ where: { sourceId: id } }),
      db.kconfigSymbol.createMany({
        data: [...symbols.values()].map((s) => ({
          sourceId: id,
          name: s.name,
          type: s.type,
          prompt: s.prompt,
          definedAt: s.definedAt,
          dependsOn: s.dependsOn,
          selects: s.selects,
        })),
      }),
      db.kernelSource.update({
        where: { id },
        data: {
          status: "ready",
          statusReason: null,
          version,
          kconfigDigest,
          rustSamples: rustSamples as object,
          minToolVersions: minToolVersions as object,
        },
      }),
      // ~17,000 symbols: Prisma's default of 5 s is too short on a busy machine, and the source would be unusable.
    ], { timeout: 120_000, maxWait: 30_000 });
    return { id, name: entry.name, tree, version, symbols };
  } catch (err) {
    const reason = (err as Error).message.slice(0, 2000);
    await db.kernelSource.updateMany({ where: { id }, data: { status: "error", statusReason: reason } });
    console.error(`kernel source ${entry.name}: ${reason}`);
    return null;
  }
}

/**
 * Prepares a source an admin registered through the API, the way the
 * operator's are prepared: its path is checked again against this worker's
 * own roots (another host may mount other trees), then prepareSource. Null
 * when there is no such source or it cannot be used here (recorded on it).
 */
export async function prepareRegisteredSource(db: PrismaClient, name: string, roots: string[], cacheDir: string, arch: string): Promise<PreparedSource | null> {
  const row = await db.kernelSource.findUnique({ where: { name } });
  if (!row) return null;
  let entry: SourceEntry;
  try {
    entry = await entryFor(row.name, row.location, roots);
  } catch (err) {
    await db.kernelSource.updateMany({ where: { id: row.id }, data: { status: "error", statusReason: (err as Error).message.slice(0, 2000) } });
    return null;
  }
  return prepareSource(db, entry, cacheDir, arch);
}

/** Names of the sources admins registered through the API. */
export async function registeredSourceNames(db: PrismaClient): Promise<string[]> {
  return (await db.kernelSource.findMany({ where: { registeredById: { not: null } }, select: { name: true }, orderBy: { name: "asc" } })).map((s) => s.name);
}
