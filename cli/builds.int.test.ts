import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken, revokeApiToken } from "../lib/auth/api-tokens";
import type { Actor } from "../lib/auth/current";
import { createDb } from "../lib/db/client";
import { redis } from "../lib/redis";
import { startApiServer } from "../test/api-server";
import { sourceOfVersion } from "../test/builds";
import { useScratchSource } from "../test/scratch-source";
import { WorkerProcess } from "../test/worker-process";

/**
 * The `kbuild` command line as a user runs it, against the real API route
 * handlers (served over HTTP by the test), the real database and queue, and a
 * real worker building configure-only builds of the real 6.1 tree.
 */

const ROOT = path.join(import.meta.dirname, "..");
const db = createDb();
const scratch = useScratchSource("cli");
let api: Awaited<ReturnType<typeof startApiServer>>;
let token: string;
let outDir: string;
const RUN = Math.random().toString(36).slice(2, 8);
/** The CLI's user: a member of a team of this file's own, as anyone who creates a token on the tokens page is. */
const USER: Actor = { userId: `cli-user-${RUN}`, organizationId: `cli-team-${RUN}`, role: "member" };

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs bin/kbuild's program with the server and token in its environment, as a user would set them. */
function kbuild(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "cli", "main.ts"), ...args], {
      cwd: ROOT,
      // Only what a user's shell would have: nothing of the test's own environment (its database, say).
      env: { PATH: process.env.PATH!, HOME: process.env.HOME!, KBUILD_URL: api.url, KBUILD_TOKEN: token, ...env } as unknown as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

beforeAll(async () => {
  api = await startApiServer();
  await db.organization.create({ data: { id: USER.organizationId, name: USER.organizationId, slug: USER.organizationId } });
  await db.user.create({ data: { id: USER.userId, name: "CLI user", email: `${USER.userId}@kbuild.test` } });
  await db.member.create({ data: { id: `${USER.userId}-m`, organizationId: USER.organizationId, userId: USER.userId, role: USER.role } });
  token = (await createApiToken(db, USER, { name: "cli test" })).secret;
  outDir = await mkdtemp(path.join(os.tmpdir(), "kbuild-cli-"));
});

afterAll(async () => {
  await api?.close();
  await rm(outDir, { recursive: true, force: true });
  await db.apiToken.deleteMany({ where: { userId: USER.userId } });
  await db.build.deleteMany({ where: { organizationId: USER.organizationId } });
  await db.organization.deleteMany({ where: { id: USER.organizationId } });
  await db.user.deleteMany({ where: { id: USER.userId } });
  await db.$disconnect();
});

describe("without a worker", () => {
  it("cancels a queued build", async () => {
    const queued = await db.build.create({
      data: { organizationId: USER.organizationId, submitterId: USER.userId, sourceId: scratch.sourceId, spec: {}, profile: "p", arch: "x86_64", baseConfig: "tinyconfig" },
    });
    const run = await kbuild(["cancel", queued.id]);
    expect(run, run.stderr).toMatchObject({ code: 0, stdout: "canceled\n" });
    expect((await db.build.findUniqueOrThrow({ where: { id: queued.id } })).status).toBe("canceled");
  });

  it("refuses a revoked token, a mistyped one and an unknown build, naming the cause and never printing the secret", async () => {
    const revoked = await createApiToken(db, USER, { name: "cli test revoked" });
    await revokeApiToken(db, USER, revoked.token.id);
    const refused = await kbuild(["list"], { KBUILD_TOKEN: revoked.secret });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`^kbuild: the server refused the API token: API token ${revoked.token.prefix}… \\("cli test revoked"\\) was revoked on `));
    expect(refused.stderr + refused.stdout).not.toContain(revoked.secret.slice(14));

    const mistyped = await kbuild(["list"], { KBUILD_TOKEN: `${token}x` });
    expect(mistyped.code).toBe(2);
    expect(mistyped.stderr).toMatch(/KBUILD_TOKEN is not a kbuild API token .*\/settings\/tokens/);
    expect(mistyped.stderr).not.toContain(token.slice(14));

    const unknown = await kbuild(["status", "00000000-0000-0000-0000-000000000000"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no build 00000000-0000-0000-0000-000000000000 in this team; kbuild list shows the team's builds/);
  });

  it("submits nothing on a usage error, and says which flag to add", async () => {
    const before = await db.build.count();
    const run = await kbuild(["submit", "--source", "linux-6.1", "--profile", "debian-bookworm-llvm14", "--base", "tinyconfig", "--follow"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/say what to build: --target NAME .*or --configure-only/);
    expect(await db.build.count()).toBe(before);
  });
});

describe("with a worker", () => {
  let worker: WorkerProcess;
  let source: string;
  let succeeded: string;

  beforeAll(async () => {
    await redis().flushdb();
    worker = await WorkerProcess.start("cli-worker-1");
    source = (await sourceOfVersion(db, "6.1")).name;
  });

  afterAll(async () => {
    await worker?.stop();
    redis().disconnect();
  });

  it("submit --follow prints the build's whole log and exits 0 when it succeeds", async () => {
    const run = await kbuild([
      "submit", "--source", source, "--profile", "debian-bookworm-llvm14", "--base", "tinyconfig",
      "--set", "CONFIG_64BIT=y", "--set", "CONFIG_PRINTK=y", "--configure-only", "--follow",
    ]);
    expect(run.code, run.stderr).toBe(0);
    succeeded = /submitted build ([0-9a-f-]{36})/.exec(run.stderr)![1]!;
    expect(run.stderr).toMatch(new RegExp(`build ${succeeded} succeeded`));
    // Every line of the log, once and in order: what the API serves as the whole log.
    const whole = await fetch(`${api.url}/api/v1/builds/${succeeded}/log?format=text`, { headers: { Authorization: `Bearer ${token}` } });
    expect(run.stdout).toBe(await whole.text());
    expect(run.stdout).toMatch(/▶ Resolve with olddefconfig/);
  });

  it("status and list show the build, as a table or JSON", async () => {
    const status = await kbuild(["status", succeeded]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/^status\s+succeeded$/m);
    expect(status.stdout).toMatch(/^options\s+CONFIG_64BIT=y CONFIG_PRINTK=y$/m);
    expect(status.stdout).toMatch(/^targets\s+configure only$/m);
    expect(status.stdout).toMatch(/^\s+\d+\s+olddefconfig\s+succeeded/m);
    expect(JSON.parse((await kbuild(["status", succeeded, "--json"])).stdout)).toMatchObject({ id: succeeded, status: "succeeded" });

    const list = await kbuild(["list"]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout.split("\n")[0]).toMatch(/^ID\s+STATUS\s+SOURCE/);
    expect(list.stdout).toMatch(new RegExp(`^${succeeded}\\s+succeeded\\s+${source}\\s+debian-bookworm-llvm14\\s+tinyconfig\\s+configure only`, "m"));
    const page = JSON.parse((await kbuild(["list", "--json"])).stdout) as { builds: { id: string }[] };
    expect(page.builds.map((b) => b.id)).toContain(succeeded);
  });

  it("artifacts --out downloads every artifact, each matching the sha256 the API reports", async () => {
    const run = await kbuild(["artifacts", succeeded, "--out", outDir]);
    expect(run.code, run.stderr).toBe(0);
    const build = await db.build.findUniqueOrThrow({ where: { id: succeeded }, include: { artifacts: true } });
    expect((await readdir(outDir)).sort()).toEqual(build.artifacts.map((a) => a.name).sort());
    expect(build.artifacts.map((a) => a.name)).toContain(".config");
    for (const a of build.artifacts) expect(sha256(await readFile(path.join(outDir, a.name))), a.name).toBe(a.sha256);
    expect(await readFile(path.join(outDir, ".config"), "utf8")).toMatch(/^CONFIG_PRINTK=y$/m);

    const one = await kbuild(["artifacts", succeeded, "--out", path.join(outDir, "only"), "--name", ".config"]);
    expect(one.code, one.stderr).toBe(0);
    expect(await readdir(path.join(outDir, "only"))).toEqual([".config"]);
  });

  it("submit --follow exits 1 when the build fails, with the log and the reason", async () => {
    const run = await kbuild([
      "submit", "--source", source, "--profile", "debian-bookworm-llvm14-no-rust-src", "--base", "tinyconfig",
      "--set", "CONFIG_RUST=y", "--configure-only", "--follow",
    ]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/could not be found/);
    expect(run.stderr).toMatch(/build [0-9a-f-]{36} failed: .*Rust is not available/);
  });
});
