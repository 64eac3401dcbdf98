import { describe, expect, it } from "vitest";
import { describePolicy, purgeNotice } from "./policy";
import { type RetentionCandidate, selectForPurge } from "./select";

const TEAM = "team-a";
const NOW = new Date("2026-12-04T12:00:00Z");
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 24 * 60 * 60 * 1000);

/** A finished build of TEAM created `age` days ago (finished a minute later), with artifacts to remove. */
function build(id: string, age: number, o: Partial<RetentionCandidate> = {}): RetentionCandidate {
  const createdAt = daysAgo(age);
  return {
    id,
    organizationId: TEAM,
    status: "succeeded",
    pinned: false,
    createdAt,
    finishedAt: new Date(createdAt.getTime() + 60_000),
    artifactsPurgedAt: null,
    removableArtifacts: 3,
    inUse: false,
    ...o,
  };
}

const ids = (builds: RetentionCandidate[], policy: { keepNewest: number | null; keepDays: number | null }) =>
  selectForPurge(builds, policy, TEAM, NOW).map((d) => d.id);

describe("selectForPurge", () => {
  const five = [build("b1", 50), build("b2", 40), build("b3", 20), build("b4", 5), build("b5", 1)];

  it("keeps the N newest by count, whatever their age", () => {
    expect(ids(five, { keepNewest: 2, keepDays: null })).toEqual(["b3", "b2", "b1"]);
    expect(selectForPurge(five, { keepNewest: 2, keepDays: null }, TEAM, NOW)[0]!.rule).toBe("beyond the 2 newest");
  });

  it("keeps builds finished within D days by age, however many", () => {
    expect(ids(five, { keepNewest: null, keepDays: 30 })).toEqual(["b2", "b1"]);
    expect(selectForPurge(five, { keepNewest: null, keepDays: 30 }, TEAM, NOW)[0]!.rule).toBe("older than 30 days");
  });

  it("with both, removes what either rule removes", () => {
    expect(ids(five, { keepNewest: 4, keepDays: 30 })).toEqual(["b2", "b1"]);
    expect(ids(five, { keepNewest: 1, keepDays: 30 })).toEqual(["b4", "b3", "b2", "b1"]);
  });

  it("removes nothing without limits", () => {
    expect(ids(five, { keepNewest: null, keepDays: null })).toEqual([]);
  });

  it("never removes a pinned build's, and a pinned build takes no place among the newest", () => {
    const builds = [build("old", 50), build("pinned", 2, { pinned: true }), build("new", 1)];
    expect(ids(builds, { keepNewest: 1, keepDays: 10 })).toEqual(["old"]);
    expect(ids([build("pinned", 400, { pinned: true })], { keepNewest: 1, keepDays: 1 })).toEqual([]);
  });

  it("never touches queued or running builds, which take no place among the newest either", () => {
    const builds = [build("old", 50), build("running", 60, { status: "running", finishedAt: null }), build("queued", 0, { status: "queued", finishedAt: null }), build("new", 1)];
    expect(ids(builds, { keepNewest: 1, keepDays: 10 })).toEqual(["old"]);
  });

  it("removes failed, canceled and errored builds' artifacts like succeeded ones'", () => {
    const builds = [build("f", 40, { status: "failed" }), build("c", 41, { status: "canceled" }), build("e", 42, { status: "error" })];
    expect(ids(builds, { keepNewest: null, keepDays: 30 })).toEqual(["f", "c", "e"]);
  });

  it("skips builds in use, already removed, or with nothing left to remove, which still count among the newest", () => {
    const builds = [
      build("kernel-in-use", 50, { inUse: true }),
      build("done", 40, { artifactsPurgedAt: daysAgo(1), removableArtifacts: 0 }),
      build("configure-only", 3, { removableArtifacts: 0 }),
      build("b", 2),
      build("newest", 1),
    ];
    expect(ids(builds, { keepNewest: 1, keepDays: 30 })).toEqual(["b"]);
    expect(ids(builds, { keepNewest: 2, keepDays: 30 })).toEqual([]);
    // The configure-only build has nothing to remove but is the third newest: "c" is the fourth.
    expect(ids([...builds, build("c", 35)], { keepNewest: 3, keepDays: null })).toEqual(["c"]);
  });

  it("leaves other teams' builds alone", () => {
    const builds = [build("mine", 50), build("theirs", 50, { organizationId: "team-b" }), build("theirs-new", 0, { organizationId: "team-b" })];
    expect(ids(builds, { keepNewest: null, keepDays: 30 })).toEqual(["mine"]);
    // Another team's newer builds do not push this team's out of its newest.
    expect(ids(builds, { keepNewest: 1, keepDays: null })).toEqual([]);
  });

  it("measures age from when the build finished", () => {
    const longBuild = build("long", 31, { finishedAt: daysAgo(29) });
    expect(ids([longBuild], { keepNewest: null, keepDays: 30 })).toEqual([]);
  });
});

describe("the policy in words", () => {
  it("says what it keeps", () => {
    expect(describePolicy({ keepNewest: 5, keepDays: 30 })).toBe("keep 5 newest / 30 days");
    expect(describePolicy({ keepNewest: 5, keepDays: null })).toBe("keep 5 newest");
    expect(describePolicy({ keepNewest: null, keepDays: 1 })).toBe("keep 1 day");
    expect(describePolicy({ keepNewest: null, keepDays: null })).toBe("keep everything");
  });

  it("tells a build's reader when and why its artifacts went, and that the record and log stay", () => {
    expect(purgeNotice({ artifactsPurgedAt: new Date("2026-12-04T03:00:00Z"), artifactsPurgeReason: "the team's retention policy (keep 5 newest / 30 days)" })).toBe(
      "Artifacts removed on 2026-12-04 by the team's retention policy (keep 5 newest / 30 days); the record and log are kept. Pin a build to keep its artifacts.",
    );
  });
});
