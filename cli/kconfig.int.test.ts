import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kernelTree61 } from "../test/kernel-tree";

const run = promisify(execFile);
const KBUILD = path.join(import.meta.dirname, "..", "bin", "kbuild");

describe("kbuild kconfig resolve", () => {
  let srctree: string;
  let work: string;
  const macros = () => path.join(work, "macros.json");

  beforeAll(async () => {
    srctree = await kernelTree61();
    work = mkdtempSync(path.join(os.tmpdir(), "kbuild-cli-kconfig-"));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** What a kbuild build does with the kernel's own tools: make <base>, merge the options, make olddefconfig. */
  async function kernel(base: string, fragment: string): Promise<string> {
    const out = path.join(work, `kernel-${base}`);
    const make = (target: string) => run("make", ["-s", "-C", srctree, `O=${out}`, "ARCH=x86_64", "LLVM=1", target], { maxBuffer: 64 << 20 });
    await make(base);
    writeFileSync(path.join(out, "fragment.config"), fragment);
    await run(path.join(srctree, "scripts/kconfig/merge_config.sh"), ["-m", "-O", out, path.join(out, ".config"), path.join(out, "fragment.config")], { cwd: out });
    await make("olddefconfig");
    return readFileSync(path.join(out, ".config"), "latin1");
  }

  it("prints what make <base> + the options + olddefconfig write, then replays its macro cache", async () => {
    const cache = macros();
    const args = ["kconfig", "resolve", "--source", srctree, "--arch", "x86_64", "--base", "defconfig", "--set", "CONFIG_NET=n", "--set", "CONFIG_LOG_BUF_SHIFT=14", "--shell-cache", cache];
    const expected = await kernel("defconfig", "# CONFIG_NET is not set\nCONFIG_LOG_BUF_SHIFT=14\n");

    const first = await run(KBUILD, args, { maxBuffer: 64 << 20 });
    // A defconfig is well over a pipe's 64 KiB: all of it must arrive.
    expect(first.stdout.length).toBeGreaterThan(65536);
    expect(first.stdout).toBe(expected);
    const recorded = JSON.parse(readFileSync(cache, "utf8")) as { shell: Record<string, string> };
    expect(Object.keys(recorded.shell).length).toBeGreaterThan(20);

    // Replayed with nothing but node on PATH (no make, no clang): every macro answer comes from the cache.
    const bin = path.join(work, "bin");
    mkdirSync(bin);
    for (const tool of ["node", "readlink", "dirname"]) symlinkSync(tool === "node" ? process.execPath : `/usr/bin/${tool}`, path.join(bin, tool));
    const replay = await run(KBUILD, args, { maxBuffer: 64 << 20, env: { ...process.env, PATH: bin } });
    expect(replay.stdout).toBe(expected);
  });

  it("reports the lines of the options it cannot take and keeps the rest", async () => {
    const { stdout, stderr } = await run(KBUILD, ["kconfig", "resolve", "--source", srctree, "--arch", "x86_64", "--base", "tinyconfig", "--set", "CONFIG_NO_SUCH_SYMBOL=y", "--set", "CONFIG_PRINTK=maybe", "--set", "CONFIG_64BIT=y", "--shell-cache", macros()], {
      maxBuffer: 64 << 20,
    });
    expect(stderr).toContain("fragment:1: unknown symbol CONFIG_NO_SUCH_SYMBOL");
    expect(stderr).toContain("fragment:2: 'maybe' is not a valid bool value for CONFIG_PRINTK");
    expect(stdout).toContain("CONFIG_64BIT=y\n");
  });

  it("refuses a malformed option with the usage", async () => {
    await expect(run(KBUILD, ["kconfig", "resolve", "--source", srctree, "--arch", "x86_64", "--base", "tinyconfig", "--set", "RUST=y"])).rejects.toMatchObject({
      stderr: expect.stringContaining("expected CONFIG_NAME=value"),
    });
  });
});
