import { execFile } from "node:child_process";
import { mkdir, readdir, rename, rm, stat, utimes } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * Output directories of finished builds, kept by the hash of what they built
 * (source, profile, resolved .config and make goals). ccache cannot cache the
 * Rust crates; a build whose .config and goals are the same as an earlier one
 * starts from that build's directory instead, and `make` only redoes what is
 * out of date — as a developer's incremental build would. Every build sees its
 * directory at the same path, so a copied directory is valid as it is.
 * Bounded: the least recently used entries go beyond `entries`.
 */
export class BuildDirCache {
  constructor(
    private readonly root: string,
    private readonly entries: number,
  ) {}

  get enabled(): boolean {
    return this.entries > 0;
  }

  private dirOf(key: string): string {
    if (!/^[a-z0-9-]+$/.test(key)) throw new Error(`bad build directory cache key ${key}`);
    return path.join(this.root, key);
  }

  /** Copies the cached directory for `key` into `outDir`, keeping `keep` (top-level names) of outDir. True on a hit. */
  async restore(key: string, outDir: string, keep: string[]): Promise<boolean> {
    if (!this.enabled) return false;
    const dir = this.dirOf(key);
    if (!(await stat(dir).then((s) => s.isDirectory(), () => false))) return false;
    const now = new Date();
    await utimes(dir, now, now); // most recently used
    // Into the directory itself, never a new one: a container has it bind-mounted.
    for (const name of await readdir(outDir)) {
      if (!keep.includes(name)) await rm(path.join(outDir, name), { recursive: true, force: true });
    }
    // -a keeps modes, owners and timestamps: make then sees what is up to date.
    await run("cp", ["-a", "--reflink=auto", `${dir}/.`, outDir]);
    return true;
  }

  /**
   * Keeps `outDir` (without `skip`) under `key`, then evicts beyond the bound.
   * Hard links, so it costs no copy: call it only when nothing will write
   * `outDir` again but under `skip` (the worker removes it next). A restore
   * copies, so builds never write a cached file.
   */
  async save(key: string, outDir: string, skip: string[]): Promise<void> {
    if (!this.enabled) return;
    await mkdir(this.root, { recursive: true });
    const dir = this.dirOf(key);
    const partial = `${dir}.partial-${process.pid}`;
    await rm(partial, { recursive: true, force: true });
    await run("cp", ["-al", outDir, partial]);
    for (const s of skip) await rm(path.join(partial, s), { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
    await rename(partial, dir);
    await this.evict();
  }

  private async evict(): Promise<void> {
    const names = (await readdir(this.root)).filter((n) => /^[a-z0-9-]+$/.test(n));
    const aged = await Promise.all(names.map(async (n) => ({ n, at: (await stat(path.join(this.root, n))).mtimeMs })));
    aged.sort((a, b) => b.at - a.at);
    for (const { n } of aged.slice(this.entries)) await rm(path.join(this.root, n), { recursive: true, force: true });
  }
}
