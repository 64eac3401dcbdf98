import { execFile } from "node:child_process";
import { mkdtemp, readFile, readlink, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { readCpio, writeCpio } from "./cpio";

const run = promisify(execFile);
let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("writeCpio", () => {
  const entries = [
    { path: "bin", type: "dir" as const, mode: 0o755 },
    { path: "bin/tool", type: "file" as const, mode: 0o755, data: Buffer.from("#!/bin/sh\necho hi\n") },
    { path: "bin/sh", type: "symlink" as const, target: "tool" },
    { path: "odd", type: "file" as const, mode: 0o644, data: Buffer.from("abcde") },
    { path: "dev", type: "dir" as const, mode: 0o755 },
    { path: "dev/console", type: "char" as const, mode: 0o600, major: 5, minor: 1 },
  ];

  it("writes newc records aligned to 4 bytes, ending with the trailer", () => {
    const bytes = writeCpio(entries);
    expect(bytes.subarray(0, 6).toString()).toBe("070701");
    expect(bytes.length % 4).toBe(0);
    expect(bytes.includes(Buffer.from("TRAILER!!!\0"))).toBe(true);
    const back = readCpio(bytes);
    expect(back.map((e) => e.path)).toEqual(["bin", "bin/tool", "bin/sh", "odd", "dev", "dev/console"]);
    expect(back[1]!.mode).toBe(0o100755);
    expect(back[1]!.data.toString()).toBe("#!/bin/sh\necho hi\n");
    expect(back[2]!.mode).toBe(0o120777);
    expect(back[2]!.data.toString()).toBe("tool");
    expect(back[3]!.data.toString()).toBe("abcde");
    expect(back[5]).toMatchObject({ mode: 0o020600, rdevMajor: 5, rdevMinor: 1 });
  });

  it("is read by GNU cpio as the files it was given", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "kbuild-cpio-"));
    const archive = path.join(dir, "a.cpio");
    // Device nodes need privileges to extract; the kernel makes them, cpio here need not.
    await writeFile(archive, writeCpio(entries.filter((e) => e.type !== "char")));
    const listing = await run("cpio", ["-t", "-F", archive]);
    expect(listing.stdout.trim().split("\n")).toEqual(["bin", "bin/tool", "bin/sh", "odd", "dev"]);
    const out = path.join(dir, "x");
    await run("sh", ["-c", 'mkdir "$1" && cd "$1" && cpio -i -d --no-absolute-filenames -F "$2"', "sh", out, archive]);
    expect(await readFile(path.join(out, "bin/tool"), "utf8")).toBe("#!/bin/sh\necho hi\n");
    expect((await stat(path.join(out, "bin/tool"))).mode & 0o777).toBe(0o755);
    expect(await readlink(path.join(out, "bin/sh"))).toBe("tool");
    expect(await readFile(path.join(out, "odd"), "utf8")).toBe("abcde");
  });

  it("refuses paths that would leave the archive's root", () => {
    for (const p of ["/etc/passwd", "../x", "a/../../b", "", "a//b"]) {
      expect(() => writeCpio([{ path: p, type: "dir", mode: 0o755 }]), p).toThrow(/bad cpio path/);
    }
  });
});
