import { describe, expect, it } from "vitest";
import { useScratchSource } from "../../test/scratch-source";
import { DEFAULT_ACTOR } from "../auth/current";
import { previousObjectCount } from "./progress";

/** Progress estimates come from the right earlier build, in the real database. */
const { db: database, sourceId: SOURCE } = useScratchSource("progress-src");
let minute = 0;

async function pastBuild(o: { profile?: string; configHash: string; status?: "succeeded" | "failed"; objects: number }) {
  const finishedAt = new Date(Date.UTC(2026, 0, 1, 0, ++minute));
  const build = await database().build.create({
    data: {
      organizationId: DEFAULT_ACTOR.organizationId,
      submitterId: DEFAULT_ACTOR.userId,
      sourceId: SOURCE,
      spec: {},
      profile: o.profile ?? "p1",
      arch: "x86_64",
      baseConfig: "tinyconfig",
      status: o.status ?? "succeeded",
      configHash: o.configHash,
      finishedAt,
    },
  });
  await database().buildStep.create({
    data: { buildId: build.id, index: 0, name: "make", argv: [], status: o.status ?? "succeeded", progressDone: o.objects, finishedAt },
  });
  return build.id;
}

const ask = (o: { profile?: string; configHash: string | null; buildId?: string }) =>
  previousObjectCount(database(), { sourceId: SOURCE, profile: o.profile ?? "p1", configHash: o.configHash, step: "make", buildId: o.buildId ?? "none" });


describe("previousObjectCount", () => {
  it("takes the newest succeeded build with the same source, profile and config hash, and nothing else", async () => {
    expect(await ask({ configHash: "h1" })).toBeNull();
    await pastBuild({ configHash: "h1", objects: 1000 });
    const newest = await pastBuild({ configHash: "h1", objects: 1088 });
    await pastBuild({ configHash: "h1", status: "failed", objects: 7 });
    await pastBuild({ configHash: "h2", objects: 50 });
    await pastBuild({ profile: "p2", configHash: "h1", objects: 60 });
    expect(await ask({ configHash: "h1" })).toBe(1088);
    expect(await ask({ configHash: "h2" })).toBe(50);
    expect(await ask({ profile: "p2", configHash: "h1" })).toBe(60);
    expect(await ask({ configHash: "h3" })).toBeNull();
    // Before the .config is resolved there is no hash, so no estimate.
    expect(await ask({ configHash: null })).toBeNull();
    // A build never estimates from itself.
    expect(await ask({ configHash: "h1", buildId: newest })).toBe(1000);
  });
});
