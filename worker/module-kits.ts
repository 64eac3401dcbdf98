import { spawn } from "node:child_process";
import { mkdir, readdir, rename, rm, stat, utimes } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { ArtifactStore } from "../lib/artifacts/store";
import { artifactKey } from "../lib/artifacts/store";
import { MODULE_KIT_ARTIFACT } from "../lib/modules/service";

/**
 * Module kits unpacked on this worker, one directory per kernel build, fetched
 * from the artifact store (so any worker can build any team's module) and kept
 * for the next module of the same kernel: unpacking 80 MB is most of a small
 * module's build time. The least recently used go first.
 */
export class ModuleKitCache {
  private readonly pending = new Map<string, Promise<string>>();

  constructor(
    private readonly root: string,
    private readonly store: ArtifactStore,
    private readonly keep = 4,
  ) {}

  /** The host directory of the kernel build's unpacked kit; `fetched` says whether it had to be fetched. */
  async get(kernelBuildId: string): Promise<{ dir: string; fetched: boolean }> {
    if (!/^[0-9a-f-]{36}$/.test(kernelBuildId)) throw new Error(`bad kernel build id ${kernelBuildId}`);
    const dir = path.join(this.root, kernelBuildId);
    if (await isDir(path.join(dir, "scripts"))) {
      const now = new Date();
      await utimes(dir, now, now).catch(() => {});
      return { dir, fetched: false };
    }
    let p = this.pending.get(kernelBuildId);
    if (!p) {
      p = this.fetch(kernelBuildId, dir).finally(() => this.pending.delete(kernelBuildId));
      this.pending.set(kernelBuildId, p);
    }
    return { dir: await p, fetched: true };
  }

  private async fetch(kernelBuildId: string, dir: string): Promise<string> {
    const tmp = `${dir}.partial-${process.pid}-${Date.now()}`;
    await mkdir(tmp, { recursive: true });
    try {
      const tar = spawn("tar", ["-x", "-J", "-f", "-", "-C", tmp, "--no-same-owner"], { stdio: ["pipe", "ignore", "pipe"] });
      let stderr = "";
      tar.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      const exited = new Promise<number | null>((resolve, reject) => {
        tar.on("error", reject);
        tar.on("close", resolve);
      });
      await pipeline(await this.store.read(artifactKey(kernelBuildId, MODULE_KIT_ARTIFACT)), tar.stdin);
      const code = await exited;
      if (code !== 0) throw new Error(`unpacking the module kit failed (tar exit ${code}): ${stderr.trim()}`);
      // Another build of this worker may have unpacked it meanwhile: theirs is as good.
      await rename(tmp, dir).catch(async (err: NodeJS.ErrnoException) => {
        if (!(await isDir(path.join(dir, "scripts")))) throw err;
        await rm(tmp, { recursive: true, force: true });
      });
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      throw err;
    }
    // tar gave the directory the archive's time; eviction goes by when a kit was last used.
    const now = new Date();
    await utimes(dir, now, now);
    await this.evict(kernelBuildId);
    return dir;
  }

  private async evict(current: string): Promise<void> {
    const entries = await readdir(this.root, { withFileTypes: true });
    const kits = await Promise.all(
      entries.filter((e) => e.isDirectory() && /^[0-9a-f-]{36}$/.test(e.name) && e.name !== current).map(async (e) => ({ name: e.name, mtime: (await stat(path.join(this.root, e.name))).mtimeMs })),
    );
    kits.sort((a, b) => b.mtime - a.mtime);
    for (const old of kits.slice(Math.max(0, this.keep - 1))) await rm(path.join(this.root, old.name), { recursive: true, force: true });
  }
}

async function isDir(p: string): Promise<boolean> {
  return stat(p).then((s) => s.isDirectory(), () => false);
}
