import { execFile } from "node:child_process";
import { mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactKey, artifactStore } from "../lib/artifacts";
import { DEFAULT_ACTOR } from "../lib/auth/current";
import { bootArtifactKey } from "../lib/boot/log";
import { cancelBootTest, createBootTest, getBootTest } from "../lib/boot/service";
import type { BootTestRequestInput } from "../lib/boot/spec";
import { RequestError, submitBuild } from "../lib/builds/service";
import { stepEnvironment } from "../lib/builds/plan";
import { isTerminal } from "../lib/builds/status";
import { createDb } from "../lib/db/client";
import { redis } from "../lib/redis";
import { loadProfiles } from "../lib/toolchain/profiles";
import { sourceOfVersion, waitForEnd, waitUntil } from "../test/builds";
import { builtKernel } from "../test/built-kernel";
import { kernelTree61 } from "../test/kernel-tree";
import { WorkerProcess } from "../test/worker-process";
import { BUILD_LABEL } from "./runtimes/docker";
import { BwrapRuntime } from "./runtimes/bwrap";

/**
 * Boot tests against a real kernel: the one real kernel build of the run (6.1
 * tinyconfig with Rust, the minimal Rust sample as a module and what a
 * serial-console boot needs; the end-to-end suite's, or one made here, see
 * test/built-kernel.ts), shared by every test here; two C modules built
 * against its module kit (one whose init fails, one whose init never
 * returns); QEMU in the boot environment's container.
 */
const db = createDb();
const run = promisify(execFile);
const docker = new Docker({ socketPath: process.env.KBUILD_DOCKER_SOCKET ?? "/var/run/docker.sock" });
let worker: WorkerProcess;
let kernelBuildId: string;
/** A build record that owns the C modules, as an out-of-tree module build will. */
let moduleBuildId: string;
let source: string;
/** A configure-only tinyconfig build, which cannot be boot-tested; it runs while the kernel is imported or built. */
let tinyBuildId: string;

const C_MODULES = {
  "fail_init.c": `// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
#include <linux/init.h>

static int __init fail_init_init(void)
{
	pr_info("fail_init: refusing to load\\n");
	return -EINVAL;
}
module_init(fail_init_init);
MODULE_LICENSE("GPL");
`,
  "hang_init.c": `// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
#include <linux/init.h>
#include <linux/delay.h>

static int __init hang_init_init(void)
{
	pr_info("hang_init: sleeping forever\\n");
	for (;;)
		ssleep(1);
	return 0;
}
module_init(hang_init_init);
MODULE_LICENSE("GPL");
`,
  Makefile: "obj-m := fail_init.o hang_init.o\n",
};

async function waitForBootTest(id: string) {
  return waitUntil(`boot test ${id} to end`, async () => {
    const t = await getBootTest(db, DEFAULT_ACTOR, id);
    return isTerminal(t.status) ? t : null;
  });
}

async function boot(request: BootTestRequestInput, buildId = kernelBuildId) {
  const { id } = await createBootTest(db, DEFAULT_ACTOR, buildId, request);
  return waitForBootTest(id);
}

async function consoleOf(id: string): Promise<string> {
  let text = "";
  for await (const chunk of await artifactStore().read(bootArtifactKey(id, "console.log"))) text += chunk.toString();
  return text;
}

/** Processes on this host whose command line names the boot test (QEMU's -name kbuild-boot-<id>). */
async function qemuProcessesOf(id: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir("/proc")).filter((p) => /^\d+$/.test(p))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (cmdline.includes(`kbuild-boot-${id}`)) found.push(`${pid}: ${cmdline.replaceAll("\0", " ")}`);
  }
  return found;
}

async function containersOf(id: string) {
  return docker.listContainers({ all: true, filters: { label: [`${BUILD_LABEL}=boot-${id}`] } });
}

/** Builds the C modules against the kernel build's module kit (tree at /src, kit at /out, as in the build). */
async function buildCModules(): Promise<string> {
  const dir = path.join(os.tmpdir(), `kbuild-test-${process.env.KBUILD_TEST_RUN ?? "run"}`, "c-modules");
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.join(dir, "kit"), { recursive: true });
  await mkdir(path.join(dir, "module"), { recursive: true });
  const kitFile = path.join(dir, "module-kit.tar.xz");
  await writeFile(kitFile, await readAll(artifactKey(kernelBuildId, "module-kit.tar.xz")));
  await run("tar", ["-x", "-J", "-f", kitFile, "-C", path.join(dir, "kit")]);
  for (const [name, text] of Object.entries(C_MODULES)) await writeFile(path.join(dir, "module", name), text);
  const profile = (await loadProfiles()).get("debian-bookworm-llvm14")!;
  const lines: string[] = [];
  const result = await new BwrapRuntime().run({
    argv: ["make", "-C", "/out", "M=/module", ...Object.entries(profile.makeVariables).map(([k, v]) => `${k}=${v}`), "modules"],
    env: stepEnvironment(profile),
    cwd: "/module",
    mounts: [
      ...profile.hostPaths.map((p) => ({ host: p, target: p, writable: false })),
      { host: await kernelTree61(), target: "/src", writable: false },
      { host: path.join(dir, "kit"), target: "/out", writable: false },
      { host: path.join(dir, "module"), target: "/module", writable: true },
    ],
    signal: new AbortController().signal,
    onLine: (l) => lines.push(l),
  });
  if (result.exitCode !== 0) throw new Error(`building the C modules failed:\n${lines.join("\n")}`);
  return path.join(dir, "module");
}

async function readAll(key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await artifactStore().read(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A succeeded build record holding the C modules as artifacts, the shape a module build leaves. */
async function registerModuleBuild(moduleDir: string): Promise<string> {
  const kernel = await db.build.findUniqueOrThrow({ where: { id: kernelBuildId } });
  const build = await db.build.create({
    data: {
      organizationId: kernel.organizationId,
      submitterId: kernel.submitterId,
      sourceId: kernel.sourceId,
      spec: kernel.spec as object,
      profile: kernel.profile,
      arch: kernel.arch,
      baseConfig: kernel.baseConfig,
      status: "succeeded",
      finishedAt: new Date(),
    },
  });
  for (const name of ["fail_init.ko", "hang_init.ko"]) {
    const key = artifactKey(build.id, name);
    const obj = await artifactStore().putFile(key, path.join(moduleDir, name));
    await db.artifact.create({ data: { buildId: build.id, name, size: obj.size, sha256: obj.sha256, contentType: "application/octet-stream", storageKey: key } });
  }
  return build.id;
}

beforeAll(async () => {
  await redis().flushdb();
  worker = await WorkerProcess.start("int-boot", { KBUILD_RUNTIME: "docker", KBUILD_WORKER_CONCURRENCY: "2" });
  source = (await sourceOfVersion(db, "6.1")).name;
  tinyBuildId = (
    await submitBuild(db, DEFAULT_ACTOR, {
      source,
      profile: "debian-bookworm-llvm14",
      baseConfig: { kind: "target", target: "tinyconfig" },
      options: [{ symbol: "64BIT", value: "y" }],
      jobs: 1,
    })
  ).id;
  kernelBuildId = (await builtKernel(db)).buildId;
  moduleBuildId = await registerModuleBuild(await buildCModules());
}, 60 * 60_000);

afterAll(async () => {
  await worker?.stop();
  await db.$disconnect();
  redis().disconnect();
});

describe("boot tests", () => {
  it("boot the kernel in a container, load rust_minimal.ko and pass, with the console live in the log and kept as an artifact", async () => {
    const t = await boot({ modules: [{ artifact: "rust_minimal.ko" }], expect: [{ literal: "Rust minimal sample (init)" }, { regex: "^rust_minimal: Am I built-in\\? false" }] });
    expect(t.status, t.statusReason ?? "").toBe("succeeded");
    expect(t.verdict).toMatchObject({ passed: true, ended: "done", kernelFailures: [] });
    expect(t.verdict!.modules).toEqual([{ name: "rust_minimal.ko", file: "01-rust_minimal.ko", outcome: "loaded", error: null }]);
    expect(t.verdict!.expected.every((e) => e.seen)).toBe(true);
    const console = await consoleOf(t.id);
    expect(console).toContain("rust_minimal: Rust minimal sample (init)");
    expect(console).toMatch(/kbuild-boot-[0-9a-f]+: insmod ok 01-rust_minimal\.ko/);
    expect(console).toMatch(/Linux version 6\.1\./);
    expect(t.artifacts.map((a) => a.name).sort()).toEqual(["console.log", "initramfs.cpio", "result.json"]);
    const result = JSON.parse((await readAll(bootArtifactKey(t.id, "result.json"))).toString());
    expect(result.runtime).toMatchObject({ runtime: "docker", image: "localhost/kbuild-boot:qemu-x86_64" });
    // The console was a log like a build's: numbered lines, persisted.
    const chunks = await db.bootTestLogChunk.findMany({ where: { bootTestId: t.id } });
    const texts = chunks.flatMap((c) => (c.lines as [number, number, number, string][]).map((l) => l[3]));
    expect(texts).toContain("rust_minimal: Rust minimal sample (init)");
    expect(texts.at(-1)).toMatch(/^■ passed: booted and loaded rust_minimal\.ko/);
    expect(texts).toContain("✓ module rust_minimal.ko: loaded");
    expect(texts.length).toBe(t.logLines);
    // kbuild ended QEMU and removed its container.
    expect(await qemuProcessesOf(t.id)).toEqual([]);
    expect(await containersOf(t.id)).toEqual([]);
  });

  it("fail when a module's init fails, showing insmod's error, and still load the others", async () => {
    const t = await boot({ modules: [{ build: moduleBuildId, artifact: "fail_init.ko" }, { artifact: "rust_minimal.ko" }] });
    expect(t.status).toBe("failed");
    expect(t.verdict!.ended).toBe("done");
    expect(t.verdict!.modules.map((m) => [m.name, m.outcome])).toEqual([
      ["fail_init.ko", "failed"],
      ["rust_minimal.ko", "loaded"],
    ]);
    expect(t.verdict!.modules[0]!.error).toMatch(/^insmod: can't insert '\/modules\/01-fail_init\.ko': Invalid argument/);
    expect(t.statusReason).toContain("module fail_init.ko did not load: insmod: can't insert");
    const console = await consoleOf(t.id);
    expect(console).toContain("fail_init: refusing to load");
    // busybox's insmod exits with the errno (EINVAL).
    expect(console).toMatch(/insmod failed \(exit 22\) 01-fail_init\.ko/);
  });

  it("fail when a forbidden pattern appears", async () => {
    const t = await boot({ modules: [{ artifact: "rust_minimal.ko" }], forbid: [{ literal: "Rust minimal sample" }] });
    expect(t.status).toBe("failed");
    expect(t.verdict).toMatchObject({ passed: false, ended: "failure" });
    expect(t.verdict!.forbidden[0]!.line).toBe("rust_minimal: Rust minimal sample (init)");
    expect(t.statusReason).toContain('forbidden pattern "Rust minimal sample" appeared');
    expect(await qemuProcessesOf(t.id)).toEqual([]);
  });

  it("fail on the timeout when a module's init never returns, and end QEMU", async () => {
    const t = await boot({ modules: [{ build: moduleBuildId, artifact: "hang_init.ko" }], timeoutSeconds: 20 });
    expect(t.status).toBe("failed");
    expect(t.verdict).toMatchObject({ passed: false, ended: "timeout" });
    expect(t.verdict!.modules[0]!.outcome).toBe("not reached");
    expect(t.statusReason).toMatch(/^no verdict within the timeout of 20 s .*; QEMU was ended$/);
    // The console up to the timeout is kept (how far the boot got depends on the machine's speed).
    expect(t.artifacts.map((a) => a.name)).toContain("console.log");
    expect(await qemuProcessesOf(t.id)).toEqual([]);
    expect(await containersOf(t.id)).toEqual([]);
  });

  it("end QEMU on a cancel, keeping the console", async () => {
    const { id } = await createBootTest(db, DEFAULT_ACTOR, kernelBuildId, { modules: [{ build: moduleBuildId, artifact: "hang_init.ko" }], timeoutSeconds: 600 });
    await waitUntil("the hanging module's line on the console", async () => {
      const chunks = await db.bootTestLogChunk.findMany({ where: { bootTestId: id } });
      return chunks.some((c) => JSON.stringify(c.lines).includes("hang_init: sleeping forever"));
    });
    expect(await qemuProcessesOf(id)).not.toEqual([]);
    await cancelBootTest(db, DEFAULT_ACTOR, id);
    const t = await waitForBootTest(id);
    expect(t.status).toBe("canceled");
    expect(t.verdict).toMatchObject({ passed: false, ended: "canceled" });
    expect(await consoleOf(id)).toContain("hang_init: sleeping forever");
    expect(await qemuProcessesOf(id)).toEqual([]);
    expect(await containersOf(id)).toEqual([]);
  });

  it("refuse a kernel whose .config cannot boot this way, naming the missing options", async () => {
    const id = tinyBuildId;
    const build = await waitForEnd(db, id);
    expect(build.status).toBe("succeeded");
    const refusal = await createBootTest(db, DEFAULT_ACTOR, id, { modules: [] }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(RequestError);
    expect((refusal as RequestError).status).toBe(422);
    expect((refusal as RequestError).message).toMatch(/^this kernel cannot be boot-tested: CONFIG_BLK_DEV_INITRD=y/);
    for (const s of ["BLK_DEV_INITRD", "BINFMT_ELF", "PRINTK", "TTY", "SERIAL_8250", "SERIAL_8250_CONSOLE"]) {
      expect((refusal as RequestError).issues.map((i) => i.path)).toContain(`CONFIG_${s}`);
    }
    expect(await db.bootTest.count({ where: { buildId: id } })).toBe(0);
  });

  it("boot the same way in the bubblewrap sandbox, with the host's QEMU", async () => {
    await worker.stop();
    worker = await WorkerProcess.start("int-boot-bwrap", { KBUILD_RUNTIME: "bwrap", KBUILD_SOURCES: "linux-6.1=/usr/src/linux-source-6.1.tar.xz" });
    const t = await boot({ modules: [{ artifact: "rust_minimal.ko" }], expect: [{ literal: "Rust minimal sample (init)" }] });
    expect(t.status, t.statusReason ?? "").toBe("succeeded");
    const result = JSON.parse((await readAll(bootArtifactKey(t.id, "result.json"))).toString());
    expect(result.runtime).toMatchObject({ runtime: "bwrap" });
    expect(await qemuProcessesOf(t.id)).toEqual([]);
  });

  it("refuse unknown modules and invalid requests before anything runs", async () => {
    const unknown = await createBootTest(db, DEFAULT_ACTOR, kernelBuildId, { modules: [{ artifact: "nope.ko" }] }).catch((e: unknown) => e);
    expect((unknown as RequestError).status).toBe(400);
    expect((unknown as RequestError).message).toContain("has no artifact nope.ko (its modules: rust_minimal.ko)");
    const unsafe = await createBootTest(db, DEFAULT_ACTOR, kernelBuildId, { expect: [{ regex: "(a+)+$" }] }).catch((e: unknown) => e);
    expect((unsafe as RequestError).status).toBe(400);
    expect((unsafe as RequestError).issues[0]).toMatchObject({ path: "expect.0.regex" });
    const path = await createBootTest(db, DEFAULT_ACTOR, kernelBuildId, { modules: [{ artifact: "../../etc/passwd" }] }).catch((e: unknown) => e);
    expect((path as RequestError).status).toBe(400);
  });
});

