import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DiagnosticsSummary } from "../lib/diagnostics";
import { artifactStore } from "../lib/artifacts";
import { DEFAULT_ACTOR } from "../lib/auth/current";
import { submitBuild } from "../lib/builds/service";
import type { BuildSpecInput } from "../lib/builds/spec";
import { createDb } from "../lib/db/client";
import { readPersistedLines } from "../lib/logs/reader";
import { redis } from "../lib/redis";
import { waitForEnd } from "../test/builds";
import { kernelTree61 } from "../test/kernel-tree";
import { WorkerProcess } from "../test/worker-process";

/**
 * Targets on the real 6.1 tree without a full compile: a target whose
 * precondition fails is skipped with its reason; a compile error (in a copy of
 * the tree with one file broken) fails the build in `make`, naming the
 * compiler's error, with the log and the artifacts kept and their sha256
 * right; the build timeout stops a compile. Full builds run once, in the
 * end-to-end suite.
 */
const db = createDb();
const run = promisify(execFile);
let brokenRoot: string;
const BROKEN = "linux-6.1-broken";
let tree: string;

const spec = (over: Partial<BuildSpecInput>): BuildSpecInput => ({
  source: "linux-6.1",
  profile: "debian-bookworm-llvm14",
  baseConfig: { kind: "target", target: "tinyconfig" },
  options: [{ symbol: "64BIT", value: "y" }],
  jobs: 2,
  ...over,
});

async function readArtifact(buildId: string, name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await artifactStore().read(`builds/${buildId}/${name}`)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Workers here register the real tree and the broken copy by name. */
function workerEnv(extra: Record<string, string> = {}) {
  return {
    KBUILD_SOURCES: `linux-6.1=${tree},${BROKEN}=${path.join(brokenRoot, "linux")}`,
    KBUILD_SOURCE_ROOTS: `${path.dirname(tree)}:${brokenRoot}`,
    ...extra,
  };
}

beforeAll(async () => {
  await redis().flushdb();
  tree = await kernelTree61();
  // Next to the cached tree: hard links need the same filesystem.
  brokenRoot = path.join(path.dirname(path.dirname(tree)), `test-broken-${process.pid}`);
  // A copy of the tree made of hard links (no second copy of its bytes) with one
  // host program broken; the broken file is a new file, never written through a link.
  await rm(brokenRoot, { recursive: true, force: true });
  await mkdir(brokenRoot, { recursive: true });
  await run("cp", ["-al", tree, path.join(brokenRoot, "linux")]);
}, 600_000);

afterAll(async () => {
  await rm(brokenRoot, { recursive: true, force: true });
  await db.$disconnect();
  redis().disconnect();
});

describe("targets", () => {
  let worker: WorkerProcess;
  beforeAll(async () => {
    worker = await WorkerProcess.start("int-targets", workerEnv());
  });
  afterAll(async () => worker?.stop());

  it("skips a target whose precondition fails, with the reason, and what depends on it", async () => {
    // tinyconfig has no CONFIG_MODULES: modules (and the module kit, which needs them) cannot be built.
    const { id } = await submitBuild(db, DEFAULT_ACTOR, spec({ targets: ["module-kit"] }));
    const build = await waitForEnd(db, id);
    expect(build.status, build.statusReason ?? "").toBe("succeeded");
    const step = (name: string) => build.steps.find((s) => s.name === name)!;
    expect(step("make").status).toBe("skipped");
    expect(step("make").reason).toMatch(/no target can be built/);
    expect(step("modules-install").status).toBe("skipped");
    expect(step("modules-install").reason).toBe("modules needs CONFIG_MODULES=y, and the resolved .config has CONFIG_MODULES not set");
    expect(step("module-kit").reason).toMatch(/^module-kit depends on modules, which is skipped/);
    const metadata = JSON.parse((await readArtifact(id, "metadata.json")).toString());
    expect(metadata.targets).toMatchObject({ requested: ["module-kit"], resolved: ["modules", "module-kit"] });
    expect(Object.keys(metadata.targets.skipped)).toEqual(["modules", "module-kit"]);
    const log = (await readPersistedLines(db, id, 0, undefined, 10_000)).map((l) => l.text);
    expect(log).toContainEqual(expect.stringMatching(/^⤼ Install modules.*skipped, modules needs CONFIG_MODULES=y/));
  });

  it("fails a compile error in make, naming the compiler's error, and keeps the log and artifacts", async () => {
    // A host program `make` builds early (archscripts), and that configuring never builds.
    const broken = path.join(brokenRoot, "linux", "arch", "x86", "tools", "relocs_common.c");
    await rm(broken);
    await writeFile(broken, "int main(void) { return kbuild_undeclared_identifier; }\n");
    await worker.stop();
    worker = await WorkerProcess.start("int-targets", workerEnv());

    const { id } = await submitBuild(db, DEFAULT_ACTOR, spec({ source: BROKEN, targets: ["kernel"] }));
    const build = await waitForEnd(db, id);
    expect(build.status).toBe("failed");
    const make = build.steps.find((s) => s.name === "make")!;
    expect(make.status).toBe("failed");
    expect(make.exitCode).not.toBe(0);
    expect(make.reason).toMatch(/^step make failed \(exit code \d+\): .*relocs_common\.c:1:\d+: error: use of undeclared identifier 'kbuild_undeclared_identifier'/);
    expect(build.statusReason).toBe(make.reason);
    expect(build.steps.find((s) => s.name === "check-config")!.status).toBe("succeeded");

    // Every line is kept, in PostgreSQL and in build.log.gz.
    const lines = (await readPersistedLines(db, id, 0, undefined, 100_000)).map((l) => l.text);
    expect(lines.length).toBe(build.logLines);
    const errorLine = lines.find((l) => l.includes("error: use of undeclared identifier"))!;
    expect(errorLine).toBeDefined();
    const gz = gunzipSync(await readArtifact(id, "build.log.gz")).toString();
    expect(gz).toContain(errorLine);

    // The error is read from the log as a diagnostic: in the tree, at its line, linked to its log line; nothing else is an error.
    const summary = build.diagnostics as unknown as DiagnosticsSummary;
    expect(summary.counts.error).toBe(1);
    const diagnostic = summary.diagnostics.find((d) => d.severity === "error")!;
    expect(diagnostic).toMatchObject({ tool: "clang", file: "arch/x86/tools/relocs_common.c", root: "source", line: 1, message: "use of undeclared identifier 'kbuild_undeclared_identifier'" });
    expect(lines[diagnostic.logLine - 1]).toBe(errorLine);
    expect(gz).toContain("■ failed: step make failed");

    // What the build left is stored, and every record's size and sha256 are the stored bytes'.
    expect(build.artifacts.map((a) => a.name).sort()).toEqual([".config", "build.log.gz", "metadata.json", "reproduce.sh"]);
    for (const a of build.artifacts) {
      const bytes = await readArtifact(id, a.name);
      expect(Number(a.size), a.name).toBe(bytes.length);
      expect(a.sha256, a.name).toBe(createHash("sha256").update(bytes).digest("hex"));
    }
    const metadata = JSON.parse((await readArtifact(id, "metadata.json")).toString());
    expect(metadata.steps.find((s: { name: string }) => s.name === "make")).toMatchObject({ status: "failed", exitCode: make.exitCode });
    expect(metadata.artifacts.map((a: { name: string }) => a.name)).toEqual([".config", "reproduce.sh", "build.log.gz"]);
  });
});

describe("build timeout", () => {
  it("stops a build that runs longer than the worker's limit and fails it, saying so", async () => {
    const worker = await WorkerProcess.start("int-timeout", workerEnv({ KBUILD_BUILD_TIMEOUT_SECONDS: "20" }));
    try {
      const { id } = await submitBuild(db, DEFAULT_ACTOR, spec({ targets: ["kernel"] }));
      const build = await waitForEnd(db, id);
      expect(build.status).toBe("failed");
      expect(build.statusReason).toMatch(/ran longer than its limit of 20 s/);
      const stopped = build.steps.find((s) => s.status === "failed")!;
      expect(stopped.reason).toBe(build.statusReason);
      expect(build.finishedAt!.getTime() - build.startedAt!.getTime()).toBeGreaterThanOrEqual(20_000);
      expect(build.artifacts.map((a) => a.name)).toContain("build.log.gz");
    } finally {
      await worker.stop();
    }
  });
});
