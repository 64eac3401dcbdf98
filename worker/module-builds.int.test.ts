import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactStore } from "../lib/artifacts";
import { DEFAULT_ACTOR } from "../lib/auth/current";
import { RequestError, submitBuild } from "../lib/builds/service";
import { createDb } from "../lib/db/client";
import { readPersistedLines } from "../lib/logs/reader";
import type { ModuleReport } from "../lib/modules/report";
import { submitModuleBuild } from "../lib/modules/service";
import { templatesFor } from "../lib/modules/templates";
import { redis } from "../lib/redis";
import { sourceOfVersion, waitForEnd } from "../test/builds";
import { type BuiltKernel, builtKernel } from "../test/built-kernel";
import { TEST_ENV } from "../test/env";
import { kernelTree61 } from "../test/kernel-tree";
import { WorkerProcess } from "../test/worker-process";

/**
 * Out-of-tree module builds against the module kit of the one real Rust
 * kernel build of the run (the end-to-end suite's, or one made here; see
 * test/built-kernel.ts), through the real queue and worker, in containers and
 * in the bubblewrap sandbox.
 */
const db = createDb();
let worker: WorkerProcess;
let kernel: BuiltKernel;

async function readArtifact(buildId: string, name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await artifactStore().read(`builds/${buildId}/${name}`)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function logText(buildId: string) {
  return (await readPersistedLines(db, buildId, 0, undefined, 100_000)).map((l) => l.text).join("\n");
}

function helloWorld(): { path: string; content: string }[] {
  return templatesFor(kernel.kernelVersion).find((t) => t.name === "hello-world")!.files.map((f) => ({ ...f }));
}

async function buildModule(files: { path: string; content: string }[]) {
  const { id } = await submitModuleBuild(db, DEFAULT_ACTOR, kernel.buildId, { files });
  const build = await waitForEnd(db, id);
  return { ...build, report: build.moduleReport as unknown as ModuleReport };
}

/** A TCP server on every host address, counting who reaches it. */
async function listener(): Promise<{ port: number; hosts: string[]; connections: () => number; close: () => void }> {
  let connections = 0;
  const server = net.createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, "0.0.0.0", r));
  const hosts = ["127.0.0.1", ...Object.values(os.networkInterfaces()).flat().filter((i) => i && i.family === "IPv4" && !i.internal).map((i) => i!.address)];
  return { port: (server.address() as net.AddressInfo).port, hosts, connections: () => connections, close: () => server.close() };
}

/**
 * A module whose Makefile tries to write outside the module's directory and,
 * through a script of its own, to reach the host over the network; it reports
 * what happened and stops.
 */
function hostileModule(hosts: string[], port: number): { path: string; content: string }[] {
  const script = [
    "import socket",
    `for h in ${JSON.stringify(hosts)}:`,
    "    try:",
    `        socket.create_connection((h, ${port}), 3)`,
    '        print("connected", h)',
    "    except OSError as e:",
    '        print("no connection to", h, e)',
    "",
  ].join("\n");
  const makefile = [
    "obj-m := evil.o",
    "ATTEMPTS := $(shell touch /src/kbuild-escape 2>&1; touch /out/kbuild-escape 2>&1; touch /module/../kbuild-escape 2>&1; python3 /module/escape.py 2>&1)",
    "$(error escape attempts: $(ATTEMPTS))",
    "",
  ].join("\n");
  return [{ path: "Makefile", content: makefile }, { path: "escape.py", content: script }, { path: "evil.c", content: "" }];
}

const readOnly = (target: string) => new RegExp(`touch: cannot touch ['\u2018]${target.replaceAll(".", "\\.")}['\u2019]: Read-only file system`);
const unreachable = (host: string) => new RegExp(`no connection to ${host.replaceAll(".", "\\.")} \\[Errno \\d+\\] (Network is unreachable|Connection refused)`);

beforeAll(async () => {
  await redis().flushdb();
  worker = await WorkerProcess.start("int-modules");
  kernel = await builtKernel(db);
}, 3_600_000);

afterAll(async () => {
  await worker?.stop();
  await db.$disconnect();
  redis().disconnect();
});

describe("module builds in containers", () => {
  it("builds the article's hello world from the kernel's template: the .ko with its modinfo, sha256 and log", async () => {
    const build = await buildModule(helloWorld());
    expect(build.status, build.statusReason ?? "").toBe("succeeded");
    expect(build.kind).toBe("module");
    expect(build.kernelBuildId).toBe(kernel.buildId);
    expect(build.steps.map((s) => [s.name, s.status])).toEqual([
      ["toolchain", "succeeded"],
      ["make", "succeeded"],
      ["modinfo", "succeeded"],
      ["artifacts", "succeeded"],
    ]);
    expect(build.steps[1]!.argv.slice(0, 4)).toEqual(["make", "-C", "/out", "M=/module"]);
    expect((build.toolchain as Record<string, string>).runtime).toBe("docker");

    const [ko] = build.report.modules;
    expect(ko!.file).toBe("hello_world.ko");
    expect(ko!.modinfo).toMatchObject({ name: "hello_world", license: "GPL v2", author: ["d0u9"], description: "A simple hello world example" });
    expect(build.report.kernelRelease).toMatch(new RegExp(`^${kernel.kernelVersion.replaceAll(".", "\\.")}`));
    expect(ko!.modinfo!.vermagic!.split(" ")[0]).toBe(build.report.kernelRelease);

    const stored = build.artifacts.find((a) => a.name === "hello_world.ko")!;
    const bytes = await readArtifact(build.id, "hello_world.ko");
    expect(Number(stored.size)).toBe(bytes.length);
    expect(stored.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(ko!.sha256).toBe(stored.sha256);
    expect(build.artifacts.map((a) => a.name).sort()).toEqual(["build.log.gz", "hello_world.ko", "metadata.json"]);

    const log = await logText(build.id);
    expect(log).toMatch(/RUSTC \[M\] \/module\/hello_world\.o/);
    expect(log).toMatch(/LD \[M\]\s+\/module\/hello_world\.ko/);
    expect(gunzipSync(await readArtifact(build.id, "build.log.gz")).toString()).toContain("hello_world.ko");
    const metadata = JSON.parse((await readArtifact(build.id, "metadata.json")).toString());
    expect(metadata).toMatchObject({ kind: "module", kernelBuild: kernel.buildId, files: [{ path: "Makefile" }, { path: "hello_world.rs" }] });
  });

  it("fails a Rust type error, naming the file and line, with the module's source around it", async () => {
    const files = helloWorld();
    const rs = files.find((f) => f.path === "hello_world.rs")!;
    const lines = rs.content.split("\n");
    const at = lines.findIndex((l) => l.includes('pr_info!("Hello world from rust!'));
    lines.splice(at + 1, 0, '        let answer: u32 = "forty-two";');
    rs.content = lines.join("\n");
    const errorLine = at + 2;

    const build = await buildModule(files);
    expect(build.status).toBe("failed");
    const [first] = build.report.diagnostics.filter((d) => d.severity === "error");
    expect(first).toMatchObject({ code: "E0308", message: "mismatched types", file: "hello_world.rs", line: errorLine, inModule: true });
    expect(first!.snippet.find((s) => s.line === errorLine)!.text).toBe('        let answer: u32 = "forty-two";');
    expect(build.statusReason).toMatch(new RegExp(`^the module did not compile: hello_world\\.rs:${errorLine}:\\d+: error\\[E0308\\]: mismatched types$`));
    expect(build.report.apiHint).toBeNull();
    expect(build.steps.find((s) => s.name === "make")!.status).toBe("failed");
    expect(build.steps.find((s) => s.name === "modinfo")!.status).toBe("skipped");
    // Every line is kept, and the log artifact too.
    expect(await logText(build.id)).toContain("error[E0308]: mismatched types");
    expect(build.artifacts.map((a) => a.name).sort()).toEqual(["build.log.gz", "metadata.json"]);
  });

  it("recognises the article's 2021 API and points to the template of the kernel's API", async () => {
    const article = readFileSync(path.join(import.meta.dirname, "../test/fixtures/article-2021-hello_world.rs"), "utf8");
    const build = await buildModule([{ path: "Makefile", content: "obj-m := hello_world.o\n" }, { path: "hello_world.rs", content: article }]);
    expect(build.status).toBe("failed");
    expect(build.report.apiHint).toMatchObject({ family: "linux-6.1", templateId: "linux-6.1-hello-world" });
    expect(build.report.apiHint!.mismatches.map((m) => m.line)).toEqual(expect.arrayContaining([16, 17]));
    expect(build.statusReason).toMatch(/it is written for another kernel's module API; start from the linux-6\.1-hello-world template$/);
    expect(build.report.diagnostics.some((d) => d.severity === "error" && d.file === "hello_world.rs")).toBe(true);
  });

  it("a Makefile cannot reach the network or write outside the module's directory, and the host is untouched", async () => {
    const server = await listener();
    try {
      const build = await buildModule(hostileModule(server.hosts, server.port));
      expect(build.status).toBe("failed");
      const log = await logText(build.id);
      expect(log).toMatch(/escape attempts: /);
      for (const target of ["/src/kbuild-escape", "/out/kbuild-escape", "/module/../kbuild-escape"]) expect(log).toMatch(readOnly(target));
      for (const h of server.hosts) expect(log).toMatch(unreachable(h));
      expect(log).not.toMatch(/connected \d/);
      expect(server.connections()).toBe(0);
      expect(existsSync(path.join(await kernelTree61(), "kbuild-escape"))).toBe(false);
      expect(existsSync(path.join(TEST_ENV.KBUILD_WORK_DIR!, "module-kits", kernel.buildId, "kbuild-escape"))).toBe(false);
    } finally {
      server.close();
    }
  });
});

describe("the API refuses", () => {
  it("a kernel build without Rust support, with the reason", async () => {
    const source = await sourceOfVersion(db, "6.1");
    const { id } = await submitBuild(db, DEFAULT_ACTOR, { source: source.name, profile: "debian-bookworm-llvm14", baseConfig: { kind: "target", target: "tinyconfig" }, options: [], jobs: 2 });
    const noRust = await waitForEnd(db, id);
    expect(noRust.status).toBe("succeeded");
    const refused = await submitModuleBuild(db, DEFAULT_ACTOR, id, { files: helloWorld() }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RequestError);
    expect((refused as RequestError).status).toBe(409);
    expect((refused as RequestError).message).toMatch(/built without Rust support \(CONFIG_RUST is not set\)/);
  });

  it("a module build as the kernel, another team's build, and bad file names, before anything is queued", async () => {
    const before = await db.build.count();
    const { id: moduleId } = (await db.build.findFirst({ where: { kind: "module" } }))!;
    await expect(submitModuleBuild(db, DEFAULT_ACTOR, moduleId, { files: helloWorld() })).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/this is a module build/) });
    await expect(submitModuleBuild(db, { userId: "someone", organizationId: "another-team", role: "owner" }, kernel.buildId, { files: helloWorld() })).rejects.toMatchObject({ status: 404 });
    const bad = await submitModuleBuild(db, DEFAULT_ACTOR, kernel.buildId, { files: [...helloWorld(), { path: "../../etc/cron.d/x", content: "" }] }).catch((e: RequestError) => e);
    expect(bad).toMatchObject({ status: 400, issues: [{ path: "files.2.path", message: expect.stringMatching(/leaves the module's directory/) }] });
    expect(await db.build.count()).toBe(before);
  });
});

describe("module builds in the bubblewrap sandbox", () => {
  let bwrap: WorkerProcess;
  beforeAll(async () => {
    await worker.stop();
    bwrap = await WorkerProcess.start("int-modules-bwrap", { KBUILD_RUNTIME: "bwrap" });
  });
  afterAll(async () => bwrap?.stop());

  it("builds the hello world with the same kit", async () => {
    const build = await buildModule(helloWorld());
    expect(build.status, build.statusReason ?? "").toBe("succeeded");
    expect((build.toolchain as Record<string, string>).runtime).toBe("bwrap");
    expect(build.report.modules[0]!.modinfo!.vermagic!.split(" ")[0]).toBe(build.report.kernelRelease);
  });

  it("keeps the same restrictions: no network, nothing writable but the module's directory", async () => {
    const server = await listener();
    try {
      const build = await buildModule(hostileModule(server.hosts, server.port));
      expect(build.status).toBe("failed");
      const log = await logText(build.id);
      for (const target of ["/src/kbuild-escape", "/out/kbuild-escape"]) expect(log).toMatch(readOnly(target));
      for (const h of server.hosts) expect(log).toMatch(unreachable(h));
      expect(server.connections()).toBe(0);
      expect(existsSync(path.join(await kernelTree61(), "kbuild-escape"))).toBe(false);
      expect(existsSync(path.join(TEST_ENV.KBUILD_WORK_DIR!, "module-kits", kernel.buildId, "kbuild-escape"))).toBe(false);
    } finally {
      server.close();
    }
  });
});
