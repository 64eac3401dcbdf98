import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactStore } from "../lib/artifacts";
import { DEFAULT_ACTOR } from "../lib/auth/current";
import { cancelBuild, submitBuild } from "../lib/builds/service";
import type { BuildSpecInput } from "../lib/builds/spec";
import { createDb } from "../lib/db/client";
import { parseDotConfig } from "../lib/kconfig/dotconfig";
import { readPersistedLines } from "../lib/logs/reader";
import { redis } from "../lib/redis";
import { sourceOfVersion, waitForEnd, waitForStep, waitUntil } from "../test/builds";
import { WorkerProcess } from "../test/worker-process";

/**
 * Configure-only builds of the real 6.1 tree, through the real queue, a real
 * worker process and the bubblewrap sandbox.
 */
const db = createDb();
let worker: WorkerProcess;
let source: string;

const RUST_SAMPLE = [
  { symbol: "64BIT", value: "y" },
  { symbol: "RUST", value: "y" },
  { symbol: "SAMPLES", value: "y" },
  { symbol: "SAMPLES_RUST", value: "y" },
  { symbol: "SAMPLE_RUST_MINIMAL", value: "m" },
  { symbol: "MODULES", value: "y" },
];

const spec = (over: Partial<BuildSpecInput>): BuildSpecInput => ({
  source,
  profile: "debian-bookworm-llvm14",
  baseConfig: { kind: "target", target: "tinyconfig" },
  options: [],
  jobs: 2,
  ...over,
});

async function resolvedConfig(buildId: string) {
  const text = await readStream(await artifactStore().read(`builds/${buildId}/.config`));
  return parseDotConfig(text).values;
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

async function logText(buildId: string) {
  return (await readPersistedLines(db, buildId, 0, undefined, 10_000)).map((l) => l.text).join("\n");
}

beforeAll(async () => {
  await redis().flushdb();
  worker = await WorkerProcess.start("int-worker-1");
  source = (await sourceOfVersion(db, "6.1")).name;
});

afterAll(async () => {
  await worker?.stop();
  await db.$disconnect();
  redis().disconnect();
});

describe("configure-only builds", () => {
  it("tinyconfig without Rust succeeds and leaves .config and metadata.json", async () => {
    const { id } = await submitBuild(db, DEFAULT_ACTOR, spec({}));
    const build = await waitForEnd(db, id);
    expect(build.status, build.statusReason ?? "").toBe("succeeded");
    expect(build.steps.map((s) => s.name)).toEqual(["toolchain", "base-config", "olddefconfig", "check-config", "artifacts"]);
    expect(build.steps.every((s) => s.status === "succeeded")).toBe(true);
    expect(build.artifacts.map((a) => a.name).sort()).toEqual([".config", "build.log.gz", "metadata.json", "reproduce.sh"]);
    const values = await resolvedConfig(id);
    expect(values.get("RUST") ?? "n").toBe("n");
    const version = (await db.kernelSource.findUniqueOrThrow({ where: { name: source } })).version!;
    const metadata = JSON.parse(await readStream(await artifactStore().read(`builds/${id}/metadata.json`)));
    expect(metadata.kernelVersion).toBe(version);
    expect(metadata.steps.map((s: { name: string }) => s.name)).toContain("olddefconfig");
    expect(metadata.artifacts[0]).toMatchObject({ name: ".config", size: Number(build.artifacts.find((a) => a.name === ".config")!.size) });
  });

  it("tinyconfig with Rust and the minimal sample resolves them, with the pinned toolchain recorded", async () => {
    const { id } = await submitBuild(db, DEFAULT_ACTOR, spec({ options: RUST_SAMPLE }));
    const build = await waitForEnd(db, id);
    expect(build.status, build.statusReason ?? "").toBe("succeeded");
    expect(build.steps.map((s) => s.name)).toEqual([
      "toolchain", "rustavailable", "base-config", "merge-fragment", "olddefconfig", "check-config", "artifacts",
    ]);
    const values = await resolvedConfig(id);
    expect(values.get("RUST")).toBe("y");
    expect(values.get("SAMPLE_RUST_MINIMAL")).toBe("m");
    // The profile's rustc, never another one that happens to be first on the host's PATH.
    const toolchain = build.toolchain as Record<string, string>;
    expect(toolchain.rustc).toMatch(/^rustc 1\.63\./);
    expect(toolchain["rust-src"]).toBe("present");
    expect(toolchain.clang).toMatch(/clang version 14\./);
    expect(await logText(id)).toMatch(/Rust is available!/);
  });

  it("defconfig with Rust succeeds", async () => {
    const { id } = await submitBuild(db, DEFAULT_ACTOR, spec({ baseConfig: { kind: "target", target: "defconfig" }, options: [{ symbol: "RUST", value: "y" }] }));
    const build = await waitForEnd(db, id);
    expect(build.status, build.statusReason ?? "").toBe("succeeded");
    expect((await resolvedConfig(id)).get("RUST")).toBe("y");
  });

  it("defconfig without Rust succeeds", async () => {
    const { id } = await submitBuild(db, DEFAULT_ACTOR, spec({ baseConfig: { kind: "target", target: "defconfig" } }));
    const build = await waitForEnd(db, id);
    expect(build.status, build.statusReason ?? "").toBe("succeeded");
    const values = await resolvedConfig(id);
    expect(values.get("64BIT")).toBe("y");
    expect(values.get("RUST") ?? "n").toBe("n");
  });

  it("an uploaded .config is the base", async () => {
    const text = "CONFIG_64BIT=y\nCONFIG_PRINTK=y\n# CONFIG_MODULES is not set\n";
    const { id } = await submitBuild(db, DEFAULT_ACTOR, spec({ baseConfig: { kind: "upload", fileName: "mine.config", text } }));
    const build = await waitForEnd(db, id);
    expect(build.status, build.statusReason ?? "").toBe("succeeded");
    expect((await resolvedConfig(id)).get("PRINTK")).toBe("y");
  });

  it("Rust with a profile whose rust-src is missing fails in rustavailable with the kernel's message, before any configuration", async () => {
    const { id } = await submitBuild(db, DEFAULT_ACTOR, spec({ profile: "debian-bookworm-llvm14-no-rust-src", options: RUST_SAMPLE }));
    const build = await waitForEnd(db, id);
    expect(build.status).toBe("failed");
    const step = (name: string) => build.steps.find((s) => s.name === name)!;
    expect(step("rustavailable").status).toBe("failed");
    expect(build.statusReason).toMatch(/Rust is not available/);
    expect(build.statusReason).toMatch(/Source code for the 'core' standard library could not be found/);
    for (const name of ["base-config", "merge-fragment", "olddefconfig", "check-config"]) {
      expect(step(name).status, name).toBe("skipped");
      expect(step(name).startedAt, name).toBeNull();
    }
    expect((build.toolchain as Record<string, string>)["rust-src"]).toBe("missing");
    // Nothing is lost: the log and metadata are kept.
    expect(await logText(id)).toMatch(/could not be found/);
    expect(build.artifacts.map((a) => a.name)).toContain("metadata.json");
  });

  it("a requested option with unmet dependencies is reported dropped, with its dependency and its value", async () => {
    // Rust samples without Rust: SAMPLES_RUST depends on RUST.
    const { id } = await submitBuild(db, DEFAULT_ACTOR, spec({ options: [{ symbol: "SAMPLES", value: "y" }, { symbol: "SAMPLES_RUST", value: "y" }] }));
    const build = await waitForEnd(db, id);
    expect(build.status).toBe("failed");
    expect(build.statusReason).toMatch(/CONFIG_SAMPLES_RUST/);
    expect(build.statusReason).not.toMatch(/CONFIG_SAMPLES[,\s]/);
    const report = build.configReport as { symbol: string; ok: boolean; explanation: string | null }[];
    const dropped = report.filter((r) => !r.ok);
    expect(dropped.map((d) => d.symbol)).toEqual(["SAMPLES_RUST"]);
    // From the Kconfig engine when a model of the tree exists, else from the scanned dependencies.
    expect(dropped[0]!.explanation).toMatch(/RUST ?= ?n/);
    expect(build.artifacts.map((a) => a.name).sort()).toEqual([".config", "build.log.gz", "metadata.json", "reproduce.sh"]);
  });
});

describe("log sequencing", () => {
  it("numbers every line from 1 without gaps, the same in the stream and in PostgreSQL", async () => {
    const { id } = await submitBuild(db, DEFAULT_ACTOR, spec({ options: RUST_SAMPLE }));
    const build = await waitForEnd(db, id);
    const lines = await readPersistedLines(db, id, 0, undefined, 10_000);
    expect(lines.length).toBe(build.logLines);
    expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i + 1));
    // Each step's lines are contiguous and in step order.
    const steps = lines.map((l) => l.step);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
  });
});

describe("faults", () => {
  it("cancel ends the running step's whole process group and keeps the log so far", async () => {
    const { id } = await submitBuild(db, DEFAULT_ACTOR, spec({ baseConfig: { kind: "target", target: "defconfig" }, options: [{ symbol: "RUST", value: "y" }] }));
    await waitForStep(db, id, ["base-config", "olddefconfig"]);
    await waitUntil("the build's processes to run", () => processesOf(id), 60_000);
    expect((await cancelBuild(db, DEFAULT_ACTOR, id)).status).toBe("running");
    const build = await waitForEnd(db, id);
    expect(build.status).toBe("canceled");
    expect(build.steps.some((s) => s.status === "canceled")).toBe(true);
    expect(build.logLines).toBeGreaterThan(0);
    expect((await readPersistedLines(db, id, 0)).length).toBe(build.logLines);
    // No process of the build survives: nothing runs in its output directory.
    await waitUntil("the build's processes to be gone", async () => !(await processesOf(id)));
  });

  it("a queued build canceled before it starts never runs", async () => {
    await worker.stop();
    const { id } = await submitBuild(db, DEFAULT_ACTOR, spec({}));
    expect((await cancelBuild(db, DEFAULT_ACTOR, id)).status).toBe("canceled");
    worker = await WorkerProcess.start("int-worker-2");
    const build = await waitForEnd(db, id);
    expect(build.status).toBe("canceled");
    expect(build.startedAt).toBeNull();
    expect(build.steps).toEqual([]);
  });

  it("queued builds survive a Redis flush", async () => {
    await worker.stop();
    const ids = [(await submitBuild(db, DEFAULT_ACTOR, spec({}))).id, (await submitBuild(db, DEFAULT_ACTOR, spec({}))).id];
    await redis().flushdb();
    worker = await WorkerProcess.start("int-worker-3");
    for (const id of ids) {
      const build = await waitForEnd(db, id);
      expect(build.status, build.statusReason ?? "").toBe("succeeded");
    }
  });

  it("a worker killed with SIGKILL mid-step leaves its build in error after a restart, with the log kept", async () => {
    const { id } = await submitBuild(db, DEFAULT_ACTOR, spec({ baseConfig: { kind: "target", target: "defconfig" }, options: [{ symbol: "RUST", value: "y" }] }));
    await waitForStep(db, id, ["base-config", "olddefconfig"]);
    await waitUntil("some log lines to be persisted", async () => (await readPersistedLines(db, id, 0)).length > 0);
    await waitUntil("the build's processes to run", () => processesOf(id), 60_000);
    await worker.stop("SIGKILL");
    worker = await WorkerProcess.start("int-worker-4");
    const build = await waitForEnd(db, id);
    expect(build.status).toBe("error");
    expect(build.statusReason).toMatch(/int-worker-3.*stopped responding/);
    expect(build.steps.some((s) => s.status === "error")).toBe(true);
    expect((await readPersistedLines(db, id, 0)).length).toBeGreaterThan(0);
    // The sandbox died with its worker.
    await waitUntil("the killed build's processes to be gone", async () => !(await processesOf(id)));
  });
});

/**
 * Whether any process of the build is alive: its sandbox (bwrap's argv names
 * the build's directory) or anything running inside one (cwd /out; tests run
 * one build at a time).
 */
async function processesOf(buildId: string): Promise<boolean> {
  const { readdir, readFile: read, readlink } = await import("node:fs/promises");
  for (const pid of await readdir("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await read(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => "");
    if (cmdline.includes(buildId) || cwd === "/out" || cwd.startsWith("/out/")) return true;
  }
  return false;
}
