import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { readCpio } from "./cpio";
import { buildInitramfs, initScript, markerPrefix, moduleFileName } from "./initramfs";

const run = promisify(execFile);

describe("buildInitramfs", () => {
  const archive = buildInitramfs({
    busybox: Buffer.from("BUSYBOX"),
    modules: [
      { name: "rust_minimal.ko", data: Buffer.from("KO1") },
      { name: "hello_world.ko", data: Buffer.from("KO2") },
    ],
    nonce: "0123456789abcdef",
  });
  const files = new Map(readCpio(archive).map((e) => [e.path, e]));

  it("holds busybox with its applets, /dev/console, /init and the modules in order", () => {
    expect(files.get("bin/busybox")!.data.toString()).toBe("BUSYBOX");
    for (const applet of ["sh", "insmod", "reboot"]) expect(files.get(`bin/${applet}`)!.data.toString()).toBe("busybox");
    expect(files.get("dev/console")).toMatchObject({ rdevMajor: 5, rdevMinor: 1 });
    expect(files.get("init")!.mode & 0o777).toBe(0o755);
    expect(files.get("modules/01-rust_minimal.ko")!.data.toString()).toBe("KO1");
    expect(files.get("modules/02-hello_world.ko")!.data.toString()).toBe("KO2");
  });

  it("has an /init that names no module: names reach the shell only as file names", () => {
    const init = files.get("init")!.data.toString();
    expect(init).toBe(initScript("0123456789abcdef"));
    expect(init.startsWith("#!/bin/sh\n")).toBe(true);
    expect(init).not.toMatch(/rust_minimal|hello_world/);
    expect(init).toContain("M=kbuild-boot-0123456789abcdef:");
  });

  it("prints a marker per module, the failure with insmod's exit code, and a done marker (run by a real sh)", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "kbuild-init-"));
    try {
      // The script with its absolute paths pointed at a scratch tree, and insmod stubbed: ok for one module, an error for the other.
      const mods = path.join(dir, "modules");
      await run("mkdir", ["-p", mods, path.join(dir, "bin")]);
      await writeFile(path.join(mods, "01-good.ko"), "");
      await writeFile(path.join(mods, "02-bad.ko"), "");
      await writeFile(path.join(dir, "bin", "insmod"), '#!/bin/sh\ncase "$1" in *bad*) echo "insmod: can\'t insert \'$1\': Invalid argument" >&2; exit 1;; esac\n', { mode: 0o755 });
      await writeFile(path.join(dir, "bin", "reboot"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
      await writeFile(path.join(dir, "bin", "sleep"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
      const script = initScript("00000000aaaaaaaa").replaceAll("/modules/", `${mods}/`).replace("export PATH=/bin", `export PATH=${dir}/bin:/usr/bin:/bin`);
      const { stdout, stderr } = await run("sh", ["-c", script]);
      const m = markerPrefix("00000000aaaaaaaa");
      expect(stdout.trim().split("\n")).toEqual([`${m} init started`, `${m} insmod ok 01-good.ko`, `${m} insmod failed (exit 1) 02-bad.ko`, `${m} done`]);
      expect(stderr).toContain("Invalid argument");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses module names that are not plain .ko file names, and too many modules", () => {
    expect(() => moduleFileName(0, "../x.ko")).toThrow();
    expect(() => moduleFileName(0, "a b.ko")).toThrow();
    expect(() => moduleFileName(0, "x.so")).toThrow();
    expect(() => buildInitramfs({ busybox: Buffer.from(""), modules: Array.from({ length: 33 }, () => ({ name: "a.ko", data: Buffer.from("") })), nonce: "00000000" })).toThrow(/at most 32/);
    expect(() => markerPrefix("not hex!")).toThrow();
  });
});
