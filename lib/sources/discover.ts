import { readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";

/**
 * Kernel sources are chosen by the operator, never by users: a directory or a
 * tarball under one of the configured roots. Users pick a source by name.
 */
export interface SourceEntry {
  name: string;
  kind: "tarball" | "directory";
  /** Real path on the worker's host. */
  location: string;
}

/** What a source's name may be: it is its id, in URLs and in the cache's directory names. */
export const SOURCE_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const TARBALL = /\.tar(\.(xz|gz|bz2|zst))?$/;

/** Debian's /usr/src/linux-source-6.1.tar.xz is offered as "linux-6.1". */
export function nameForPath(location: string): string {
  const base = path.basename(location).replace(TARBALL, "");
  return base.replace(/^linux-source-/, "linux-").toLowerCase();
}

async function underRoots(location: string, roots: string[]): Promise<string> {
  // Symlinks and ".." resolved first: only where the path really leads counts.
  const real = await realpath(location).catch((err: NodeJS.ErrnoException) => {
    throw new Error(err.code === "ENOENT" ? `kernel source ${location} does not exist` : `kernel source ${location} cannot be read: ${err.message}`);
  });
  for (const root of roots) {
    const r = await realpath(root).catch(() => null);
    if (r && (real === r || real.startsWith(r + path.sep))) return real;
  }
  throw new Error(`kernel source ${location} is not under a configured source root (${roots.join(", ")})`);
}

/** A source entry for `location` under one of `roots`, by its real path; throws, naming the problem, otherwise. */
export async function entryFor(name: string, location: string, roots: string[]): Promise<SourceEntry> {
  if (!SOURCE_NAME.test(name)) throw new Error(`kernel source name ${JSON.stringify(name)} must be lower-case letters, digits, . _ -`);
  const real = await underRoots(location, roots);
  // A path an admin registers at run time, never a file of the app: the web build must not trace it.
  const st = await stat(/*turbopackIgnore: true*/ real);
  if (st.isDirectory()) return { name, kind: "directory", location: real };
  if (st.isFile() && TARBALL.test(real)) return { name, kind: "tarball", location: real };
  throw new Error(`kernel source ${location} is neither a directory nor a .tar[.xz|.gz|.bz2|.zst] tarball`);
}

/**
 * `spec` is "name=/path,name=/path". When empty, every linux-source-*.tar.*
 * directly under the roots is offered (Debian's linux-source-X packages).
 */
export async function discoverSources(spec: string, roots: string[]): Promise<SourceEntry[]> {
  const items = spec.split(",").map((s) => s.trim()).filter(Boolean);
  if (items.length) {
    return Promise.all(
      items.map((item) => {
        const eq = item.indexOf("=");
        if (eq <= 0) throw new Error(`KBUILD_SOURCES entry ${JSON.stringify(item)} is not name=/path`);
        return entryFor(item.slice(0, eq), item.slice(eq + 1), roots);
      }),
    );
  }
  const found: SourceEntry[] = [];
  for (const root of roots) {
    const names = await readdir(root).catch(() => [] as string[]);
    for (const n of names.sort()) {
      if (/^linux-source-[0-9.]+\.tar\.(xz|gz|bz2|zst)$/.test(n)) {
        found.push(await entryFor(nameForPath(n), path.join(root, n), roots));
      }
    }
  }
  return found;
}
