import { randomUUID } from "node:crypto";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactKey } from "../artifacts";
import { LocalArtifactStore } from "../artifacts/local";
import type { Actor } from "../auth/current";
import { downloadableArtifact } from "../builds/artifact-download";
import { recordDiagnostics } from "../builds/diagnostics-record";
import { rebuild, setPinned } from "../builds/rebuild";
import { RequestError, getBuild } from "../builds/service";
import { config } from "../config";
import { type PrismaClient, createDb } from "../db/client";
import { BuildDiagnostics, type DiagnosticsSummary } from "../diagnostics";
import { submitModuleBuild } from "../modules/service";
import { buildFromPreset, createPreset, deletePreset, getPreset, listPresets, updatePreset } from "../presets/service";
import { buildQueue } from "../queue";
import { createRedis } from "../redis";
import { applyRetention } from "./apply";
import { setRetention } from "./service";

/**
 * Presets, rebuilds, pins and retention against the real database and the
 * local artifact store, in two teams of this file's own (so no other suite's
 * builds are ever touched): files really removed, records and logs kept.
 */
const run = randomUUID().slice(0, 8);
const TEAM: Actor = { userId: "default-user", organizationId: `retention-${run}`, role: "owner" };
const OTHER: Actor = { userId: "default-user", organizationId: `retention-other-${run}`, role: "owner" };
const SOURCE = { id: `retention-src-${run}`, name: `retention-linux-${run}` };
const PROFILE = "debian-bookworm-llvm14";
const NOW = new Date("2026-12-04T12:00:00Z");
const DAY = 24 * 60 * 60 * 1000;

let db: PrismaClient;
let store: LocalArtifactStore;
let storeDir: string;
const submitted: string[] = [];

const KERNEL_FILES = ["bzImage", "module-kit.tar.xz", "hello.ko", ".config", "build.log.gz", "metadata.json", "reproduce.sh"];

/** A finished kernel build of `team`, `age` days old, with real files in the store, a log chunk, and a module kit. */
async function finishedBuild(team: Actor, age: number, o: { status?: "succeeded" | "running"; pinned?: boolean; files?: string[] } = {}) {
  const at = new Date(NOW.getTime() - age * DAY);
  const status = o.status ?? "succeeded";
  const build = await db.build.create({
    data: {
      organizationId: team.organizationId,
      submitterId: team.userId,
      sourceId: SOURCE.id,
      spec: { source: SOURCE.name, profile: PROFILE, arch: "x86_64", baseConfig: { kind: "target", target: "tinyconfig" }, options: [], jobs: 2, targets: [] },
      profile: PROFILE,
      arch: "x86_64",
      baseConfig: "tinyconfig",
      status,
      pinned: o.pinned ?? false,
      createdAt: at,
      finishedAt: status === "running" ? null : new Date(at.getTime() + 60_000),
      logChunks: { create: { firstSeq: 1, lastSeq: 1, lines: [[1, at.getTime(), 0, "make -j2"]] } },
    },
  });
  for (const name of o.files ?? KERNEL_FILES) {
    const file = path.join(storeDir, `upload-${randomUUID()}`);
    await writeFile(file, name === ".config" ? "CONFIG_RUST=y\nCONFIG_MODULES=y\n" : `${name} of ${build.id}`);
    const key = artifactKey(build.id, name);
    const stored = await store.putFile(key, file);
    await rm(file);
    await db.artifact.create({ data: { buildId: build.id, name, size: stored.size, sha256: stored.sha256, contentType: "application/octet-stream", storageKey: key } });
  }
  return build;
}

const exists = (buildId: string, name: string) =>
  stat(path.join(storeDir, artifactKey(buildId, name))).then(
    () => true,
    () => false,
  );

async function rejection(promise: Promise<unknown>): Promise<RequestError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof RequestError) return err;
    throw err;
  }
  throw new Error("expected a RequestError");
}

function spec(overrides: Record<string, unknown> = {}) {
  return { source: SOURCE.name, profile: PROFILE, baseConfig: { kind: "target", target: "tinyconfig" }, ...overrides };
}

beforeAll(async () => {
  db = createDb(process.env.DATABASE_URL!);
  storeDir = await mkdtemp(path.join(os.tmpdir(), "kbuild-retention-store-"));
  store = new LocalArtifactStore(storeDir);
  for (const team of [TEAM, OTHER]) await db.organization.create({ data: { id: team.organizationId, name: team.organizationId, slug: team.organizationId } });
  await db.kernelSource.create({ data: { ...SOURCE, kind: "directory", location: "/nonexistent", status: "ready", version: "6.1.0" } });
  await db.kconfigSymbol.create({ data: { sourceId: SOURCE.id, name: "RUST", type: "bool", prompt: "Rust support", definedAt: "init/Kconfig:1", dependsOn: [], selects: [] } });
});

afterAll(async () => {
  if (!db) return;
  const redis = createRedis();
  const queue = buildQueue(redis, config().prefix);
  for (const id of submitted) await queue.remove(id).catch(() => {});
  await queue.close();
  await redis.quit();
  const teams = [TEAM.organizationId, OTHER.organizationId];
  await db.build.updateMany({ where: { organizationId: { in: teams } }, data: { kernelBuildId: null } });
  await db.build.deleteMany({ where: { organizationId: { in: teams } } });
  await db.organization.deleteMany({ where: { id: { in: teams } } });
  await db.kernelSource.delete({ where: { id: SOURCE.id } });
  await db.$disconnect();
  await rm(storeDir, { recursive: true, force: true });
});

describe("retention", () => {
  it("removes the files of unpinned finished builds beyond the policy, keeps their records and logs, and leaves other teams alone", async () => {
    const old = await finishedBuild(TEAM, 40);
    const pinned = await finishedBuild(TEAM, 50, { pinned: true });
    const running = await finishedBuild(TEAM, 45, { status: "running", files: ["build.log.gz"] });
    const recent = await finishedBuild(TEAM, 1);
    const theirs = await finishedBuild(OTHER, 60);
    await setRetention(db, TEAM, { keepNewest: null, keepDays: 30 });
    await setRetention(db, OTHER, { keepNewest: 1, keepDays: 1 });

    const purged = await applyRetention(db, store, TEAM.organizationId, NOW);
    expect(purged).toEqual([{ id: old.id, rule: "older than 30 days", removed: 3 }]);

    for (const name of ["bzImage", "module-kit.tar.xz", "hello.ko"]) expect(await exists(old.id, name)).toBe(false);
    for (const name of [".config", "build.log.gz", "metadata.json", "reproduce.sh"]) expect(await exists(old.id, name)).toBe(true);
    for (const b of [pinned, recent, theirs]) expect(await exists(b.id, "bzImage")).toBe(true);
    expect(await exists(running.id, "build.log.gz")).toBe(true);

    const record = await db.build.findUniqueOrThrow({ where: { id: old.id }, include: { artifacts: true, logChunks: true } });
    expect(record.status).toBe("succeeded");
    expect(record.artifactsPurgedAt).toEqual(NOW);
    expect(record.artifactsPurgeReason).toBe("the team's retention policy (keep 30 days)");
    expect(record.logChunks).toHaveLength(1);
    // Every row stays; the removed ones say when.
    expect(record.artifacts.filter((a) => a.removedAt).map((a) => a.name).sort()).toEqual(["bzImage", "hello.ko", "module-kit.tar.xz"]);
    expect(record.artifacts).toHaveLength(KERNEL_FILES.length);
    expect((await db.build.findUniqueOrThrow({ where: { id: theirs.id } })).artifactsPurgedAt).toBeNull();

    // A second run has nothing left to do.
    expect(await applyRetention(db, store, TEAM.organizationId, NOW)).toEqual([]);

    // The page says so, and the download answers 410 with the same words; kept files still download.
    const view = await getBuild(db, TEAM, old.id);
    expect(view.artifactsPurged?.notice).toBe(
      "Artifacts removed on 2026-12-04 by the team's retention policy (keep 30 days); the record and log are kept. Pin a build to keep its artifacts.",
    );
    const gone = await rejection(Promise.resolve().then(() => downloadableArtifact(view, "bzImage")));
    expect(gone.status).toBe(410);
    expect(gone.message).toContain("bzImage is gone. Artifacts removed on 2026-12-04");
    expect(downloadableArtifact(view, "build.log.gz").removedAt).toBeNull();
    expect((await rejection(Promise.resolve().then(() => downloadableArtifact(view, "nothing.ko")))).status).toBe(404);

    // A module build against the purged kernel is refused, saying why.
    const refused = await rejection(submitModuleBuild(db, TEAM, old.id, { files: [{ path: "Makefile", content: "obj-m := hello.o\n" }, { path: "hello.c", content: "int x;\n" }] }));
    expect(refused.status).toBe(410);
    expect(refused.message).toMatch(/module kit is gone\. Artifacts removed on 2026-12-04 .* Rebuild the kernel/);
  });

  it("keeps the newest N by count, and never a kernel whose module kit a queued module build needs", async () => {
    const team: Actor = { ...OTHER };
    await db.build.deleteMany({ where: { organizationId: team.organizationId } });
    const kernel = await finishedBuild(team, 3);
    const newer = await finishedBuild(team, 2);
    await finishedBuild(team, 1);
    await db.build.create({
      data: { organizationId: team.organizationId, submitterId: team.userId, sourceId: SOURCE.id, spec: {}, profile: PROFILE, arch: "x86_64", baseConfig: "module", kind: "module", kernelBuildId: kernel.id, status: "queued" },
    });
    await setRetention(db, team, { keepNewest: 1, keepDays: null });
    expect((await applyRetention(db, store, team.organizationId, NOW)).map((p) => p.id)).toEqual([newer.id]);
    expect(await exists(kernel.id, "module-kit.tar.xz")).toBe(true);

    // Once the module build has run, the kernel goes too.
    await db.build.updateMany({ where: { kernelBuildId: kernel.id }, data: { status: "succeeded", finishedAt: NOW } });
    expect((await applyRetention(db, store, team.organizationId, NOW)).map((p) => p.id)).toContain(kernel.id);
    expect(await exists(kernel.id, "module-kit.tar.xz")).toBe(false);
  });

  it("pins and unpins: a pinned build keeps its artifacts", async () => {
    const b = await finishedBuild(TEAM, 100);
    expect(await setPinned(db, TEAM, b.id, true)).toEqual({ pinned: true, artifactsPurgedAt: null });
    expect(await applyRetention(db, store, TEAM.organizationId, NOW)).toEqual([]);
    expect(await exists(b.id, "bzImage")).toBe(true);
    await setPinned(db, TEAM, b.id, false);
    expect((await applyRetention(db, store, TEAM.organizationId, NOW)).map((p) => p.id)).toEqual([b.id]);
    expect((await rejection(setPinned(db, OTHER, b.id, true))).status).toBe(404);
  });
});

describe("presets and rebuilds", () => {
  it("saves, lists, renames and deletes presets; a duplicate name is 409, another team's preset 404", async () => {
    const preset = await createPreset(db, TEAM, { name: "rust tiny", spec: spec({ options: [{ symbol: "CONFIG_RUST", value: "y" }] }) });
    expect(preset.spec).toMatchObject({ source: SOURCE.name, options: [{ symbol: "RUST", value: "y" }], jobs: 2, targets: [] });
    const dup = await rejection(createPreset(db, TEAM, { name: " rust tiny ", spec: spec() }));
    expect(dup.status).toBe(409);
    expect(dup.message).toBe('the team already has a preset named "rust tiny"');
    // Another team may use the name.
    await createPreset(db, OTHER, { name: "rust tiny", spec: spec() });
    // The spec is checked like a submission.
    const bad = await rejection(createPreset(db, TEAM, { name: "bad", spec: spec({ options: [{ symbol: "NOPE", value: "y" }] }) }));
    expect(bad.status).toBe(400);
    expect(bad.message).toContain("CONFIG_NOPE is not defined");

    const other = await createPreset(db, TEAM, { name: "plain", spec: spec() });
    expect((await rejection(updatePreset(db, TEAM, other.id, { name: "rust tiny" }))).status).toBe(409);
    expect((await updatePreset(db, TEAM, other.id, { name: "plain 2" })).name).toBe("plain 2");
    expect((await listPresets(db, TEAM)).map((p) => p.name)).toEqual(["plain 2", "rust tiny"]);
    expect((await rejection(getPreset(db, OTHER, preset.id))).status).toBe(404);
    expect((await rejection(deletePreset(db, OTHER, preset.id))).status).toBe(404);
    await deletePreset(db, TEAM, other.id);
    expect((await rejection(getPreset(db, TEAM, other.id))).status).toBe(404);
  });

  it("builds from a preset, and a rebuild has the same spec and preset", async () => {
    const preset = await createPreset(db, TEAM, { name: "to build", spec: spec({ options: [{ symbol: "RUST", value: "y" }], jobs: 3 }) });
    const { id } = await buildFromPreset(db, TEAM, preset.id);
    submitted.push(id);
    const first = await db.build.findUniqueOrThrow({ where: { id } });
    expect(first).toMatchObject({ presetId: preset.id, status: "queued", organizationId: TEAM.organizationId });
    expect(first.spec).toEqual(preset.spec);
    // A build's spec saved as a preset of its own is the same spec.
    expect((await createPreset(db, TEAM, { name: "from the build", build: id })).spec).toEqual(preset.spec);
    expect((await rejection(createPreset(db, OTHER, { name: "stolen", build: id }))).status).toBe(404);

    const again = await rebuild(db, TEAM, id, {});
    submitted.push(again.id);
    const second = await db.build.findUniqueOrThrow({ where: { id: again.id } });
    expect(second.spec).toEqual(first.spec);
    expect(second.presetId).toBe(preset.id);

    const unlinked = await rebuild(db, TEAM, id, { preset: null });
    submitted.push(unlinked.id);
    expect((await db.build.findUniqueOrThrow({ where: { id: unlinked.id } })).presetId).toBeNull();
    expect((await rejection(rebuild(db, OTHER, id, {}))).status).toBe(404);
  });

  it("compares a preset's build's warnings with the preset's previous build before any other", async () => {
    const preset = await createPreset(db, TEAM, { name: "warnings", spec: spec() });
    let minute = 0;
    const finished = async (presetId: string | null, configHash: string, lines: string[]) => {
      const row = await db.build.create({
        data: {
          organizationId: TEAM.organizationId, submitterId: TEAM.userId, sourceId: SOURCE.id, spec: {}, profile: PROFILE, arch: "x86_64", baseConfig: "tinyconfig",
          status: "succeeded", presetId, configHash, finishedAt: new Date(NOW.getTime() + ++minute * 60_000),
        },
      });
      const collected = new BuildDiagnostics();
      lines.forEach((text, i) => collected.line(i + 1, text));
      collected.endStep();
      await recordDiagnostics(db, row, collected, true);
      return db.build.findUniqueOrThrow({ where: { id: row.id } });
    };
    const warning = (file: string) => `/src/${file}:1:7: warning: unused variable 'x' [-Wunused-variable]`;
    const ofPreset = await finished(preset.id, "old-config", [warning("a.c")]);
    // Newer and of the same .config, but not the preset's.
    await finished(null, "h", [warning("b.c")]);
    const current = await finished(preset.id, "h", [warning("a.c")]);
    expect((current.diagnostics as unknown as DiagnosticsSummary).regression).toMatchObject({ baseline: ofPreset.id, newCount: 0, fixedCount: 0 });
    // Without a preset, the same .config's newest build is the baseline, as before.
    const plain = await finished(null, "h", []);
    expect((plain.diagnostics as unknown as DiagnosticsSummary).regression?.baseline).toBe(current.id);
  });
});
