import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalArtifactStore } from "../lib/artifacts/local";
import { ModuleKitCache } from "./module-kits";

const run = promisify(execFile);
let dir: string;
let store: LocalArtifactStore;
const ids = ["11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222", "33333333-3333-4333-8333-333333333333"];

/** A kernel build's module kit in the store, as the module-kit target packs it (tar.xz), with its release. */
async function storeKit(id: string, release: string) {
  const src = path.join(dir, `kit-src-${id}`);
  await mkdir(path.join(src, "scripts"), { recursive: true });
  await mkdir(path.join(src, "include", "config"), { recursive: true });
  await writeFile(path.join(src, "scripts", "modpost"), "");
  await writeFile(path.join(src, "include", "config", "kernel.release"), `${release}\n`);
  const tarball = path.join(dir, `kit-${id}.tar.xz`);
  await run("tar", ["-c", "-J", "-f", tarball, "-C", src, "."]);
  await store.putFile(`builds/${id}/module-kit.tar.xz`, tarball);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "kbuild-kits-"));
  store = new LocalArtifactStore(path.join(dir, "store"));
  for (const [i, id] of ids.entries()) await storeKit(id, `6.1.${i}`);
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe("module kits on a worker", () => {
  it("fetches a kit from the store once, unpacks it, and finds it there the next time", async () => {
    const cache = new ModuleKitCache(path.join(dir, "kits"), store, 2);
    const first = await cache.get(ids[0]!);
    expect(first.fetched).toBe(true);
    expect(await readFile(path.join(first.dir, "include", "config", "kernel.release"), "utf8")).toBe("6.1.0\n");
    const again = await cache.get(ids[0]!);
    expect(again).toEqual({ dir: first.dir, fetched: false });
  });

  it("unpacks a kit once when two builds ask at the same time, leaving no partial directory", async () => {
    const cache = new ModuleKitCache(path.join(dir, "kits-concurrent"), store, 2);
    const [a, b] = await Promise.all([cache.get(ids[1]!), cache.get(ids[1]!)]);
    expect(a.dir).toBe(b.dir);
    expect(await readdir(path.join(dir, "kits-concurrent"))).toEqual([ids[1]]);
  });

  it("keeps the most recently used kits only", async () => {
    const cache = new ModuleKitCache(path.join(dir, "kits-evict"), store, 2);
    for (const id of ids) await cache.get(id);
    expect((await readdir(path.join(dir, "kits-evict"))).sort()).toEqual([ids[1], ids[2]]);
  });

  it("says why when the kernel build has no kit, and refuses ids that are not build ids", async () => {
    const cache = new ModuleKitCache(path.join(dir, "kits-missing"), store, 2);
    await expect(cache.get("44444444-4444-4444-8444-444444444444")).rejects.toThrow();
    expect(await readdir(path.join(dir, "kits-missing"))).toEqual([]);
    await expect(cache.get("../../etc")).rejects.toThrow(/bad kernel build id/);
  });
});
