import { mkdir, mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BuildDirCache } from "./build-dir-cache";

let root: string;
const at = (...p: string[]) => path.join(root, ...p);

async function outDir(name: string, files: Record<string, string>, mtime = new Date("2026-01-01T00:00:00Z")): Promise<string> {
  const dir = at(name);
  await mkdir(dir, { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
    await utimes(path.join(dir, rel), mtime, mtime);
  }
  return dir;
}

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "kbuild-build-dirs-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("BuildDirCache", () => {
  it("restores a saved build directory into a new one (the same directory: it may be mounted), keeping the new build's own inputs and the old timestamps", async () => {
    const cache = new BuildDirCache(at("cache"), 2);
    const first = await outDir("first", { "vmlinux": "built", "rust/core.o": "rust", ".kbuild/fragment.config": "old" });
    await cache.save("k1", first, [".kbuild"]);
    await rm(first, { recursive: true });

    const second = await outDir("second", { ".config": "same", ".kbuild/fragment.config": "new" }, new Date());
    const inode = (await stat(second)).ino;
    expect(await cache.restore("k1", second, [".kbuild"])).toBe(true);
    expect((await stat(second)).ino).toBe(inode);
    expect(await readFile(path.join(second, "rust/core.o"), "utf8")).toBe("rust");
    expect(await readFile(path.join(second, ".kbuild/fragment.config"), "utf8")).toBe("new");
    expect((await stat(path.join(second, "vmlinux"))).mtime.toISOString()).toBe("2026-01-01T00:00:00.000Z");

    // The restored copy is the build's own: writing it leaves the cache as it was.
    await writeFile(path.join(second, "vmlinux"), "rebuilt");
    const third = await outDir("third", {});
    await cache.restore("k1", third, []);
    expect(await readFile(path.join(third, "vmlinux"), "utf8")).toBe("built");
  });

  it("misses an unknown key and does nothing when disabled", async () => {
    const dir = await outDir("out", { ".config": "x" });
    expect(await new BuildDirCache(at("cache"), 2).restore("nothing", dir, [])).toBe(false);
    const off = new BuildDirCache(at("off"), 0);
    await off.save("k", dir, []);
    expect(await off.restore("k", dir, [])).toBe(false);
    expect(await readdir(root)).not.toContain("off");
  });

  it("keeps at most its bound, dropping the least recently used", async () => {
    const cache = new BuildDirCache(at("cache"), 2);
    for (const key of ["a", "b", "c"]) {
      await cache.save(key, await outDir(`out-${key}`, { f: key }), []);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await readdir(at("cache"))).sort()).toEqual(["b", "c"]);
    await cache.restore("b", await outDir("use-b", {}), []); // b is now the most recent
    await new Promise((r) => setTimeout(r, 20));
    await cache.save("d", await outDir("out-d", { f: "d" }), []);
    expect((await readdir(at("cache"))).sort()).toEqual(["b", "d"]);
  });

  it("refuses keys that are not plain names", async () => {
    await expect(new BuildDirCache(at("cache"), 2).restore("../etc", at("x"), [])).rejects.toThrow(/bad build directory cache key/);
  });
});
