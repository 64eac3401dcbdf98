import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useScratchSource } from "../../test/scratch-source";
import { artifactKey, artifactStore } from "../artifacts";
import { type Actor, DEFAULT_ACTOR } from "../auth/current";
import { compareTeamBuilds } from "./comparison";
import { RequestError } from "./service";

/** Two builds compared from the real database and artifact store; another team's build is not there. */
const { db: database, sourceId: SOURCE } = useScratchSource("compare-src");
const OTHER_TEAM = `compare-team-${randomUUID().slice(0, 8)}`;
let scratch: string;

async function buildWith(o: { organizationId?: string; dotConfig: string; toolchain: Record<string, string> }) {
  const build = await database().build.create({
    data: {
      organizationId: o.organizationId ?? DEFAULT_ACTOR.organizationId,
      submitterId: DEFAULT_ACTOR.userId,
      sourceId: SOURCE,
      spec: { options: [{ symbol: "RUST", value: "y" }] },
      profile: "p1",
      arch: "x86_64",
      baseConfig: "tinyconfig",
      status: "succeeded",
      toolchain: o.toolchain,
      startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0)),
      finishedAt: new Date(Date.UTC(2026, 0, 1, 0, 1, 30)),
    },
  });
  const file = path.join(scratch, `${build.id}.config`);
  writeFileSync(file, o.dotConfig);
  const key = artifactKey(build.id, ".config");
  const stored = await artifactStore().putFile(key, file);
  await database().artifact.create({ data: { buildId: build.id, name: ".config", size: stored.size, sha256: stored.sha256, contentType: "text/plain", storageKey: key } });
  return build.id;
}

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), "kbuild-compare-"));
  await database().organization.create({ data: { id: OTHER_TEAM, name: OTHER_TEAM, slug: OTHER_TEAM } });
});

afterAll(async () => {
  // Before the scratch source's own clean-up (registered first, so it runs last): the other team's builds go with the source.
  await database().build.deleteMany({ where: { sourceId: SOURCE } });
  await database().organization.delete({ where: { id: OTHER_TEAM } });
  rmSync(scratch, { recursive: true, force: true });
});

describe("comparing two builds of a team", () => {
  it("reads both .config files from the store and lists what differs", async () => {
    const configA = "CONFIG_RUST=y\n# CONFIG_MODULES is not set\n";
    const configB = "CONFIG_RUST=y\nCONFIG_MODULES=y\n";
    const a = await buildWith({ dotConfig: configA, toolchain: { clang: "14.0.6", rustc: "1.63.0" } });
    const b = await buildWith({ dotConfig: configB, toolchain: { clang: "14.0.6", rustc: "1.70.0" } });
    const { a: left, b: right, comparison } = await compareTeamBuilds(database(), DEFAULT_ACTOR, a, b);
    expect([left.id, right.id]).toEqual([a, b]);
    expect(comparison.config).toEqual([{ name: "CONFIG_MODULES", a: "n", b: "y" }]);
    expect(comparison.toolchain).toEqual([{ name: "rustc", a: "1.63.0", b: "1.70.0" }]);
    expect(comparison.options).toEqual([]);
    expect(comparison.durationMs).toEqual({ a: 90_000, b: 90_000 });
    expect(comparison.artifacts).toEqual([{ name: ".config", a: configA.length, b: configB.length, same: false }]);
  });

  it("answers 404 for another team's build, as for a build that does not exist", async () => {
    const mine = await buildWith({ dotConfig: "CONFIG_RUST=y\n", toolchain: {} });
    const theirs = await buildWith({ organizationId: OTHER_TEAM, dotConfig: "CONFIG_RUST=y\n", toolchain: {} });
    const actor: Actor = DEFAULT_ACTOR;
    await expect(compareTeamBuilds(database(), actor, mine, theirs)).rejects.toMatchObject({ status: 404 });
    await expect(compareTeamBuilds(database(), actor, mine, randomUUID())).rejects.toBeInstanceOf(RequestError);
  });
});
