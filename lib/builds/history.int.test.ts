import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../auth/current";
import { type PrismaClient, createDb } from "../db/client";
import { type HistoryFilter, historyChart, historyChoices, parseHistoryFilter, queryHistory } from "./history";
import { recordResolvedConfig } from "./resolved-options";

/**
 * The history query against the real database: every filter alone and
 * combined, page boundaries, and another team's builds never appearing. Two
 * teams of its own, so builds other files write never meet these.
 */

const run = randomUUID().slice(0, 8);
const TEAM = `history-team-${run}`;
const OTHER_TEAM = `history-other-${run}`;
const ALICE = `history-alice-${run}`;
const BOB = `history-bob-${run}`;
const CAROL = `history-carol-${run}`;
const SRC_61 = `history-linux-6.1-${run}`;
const SRC_612 = `history-linux-6.12-${run}`;
const actor: Actor = { userId: ALICE, organizationId: TEAM, role: "owner" };
const otherActor: Actor = { userId: CAROL, organizationId: OTHER_TEAM, role: "owner" };

const RUST_CONFIG = "CONFIG_RUST=y\nCONFIG_MODULES=y\nCONFIG_SAMPLE_RUST_MINIMAL=m\nCONFIG_CMDLINE=\"console=ttyS0\"\n";
const PLAIN_CONFIG = "# CONFIG_RUST is not set\nCONFIG_MODULES=y\n";
const TINY_CONFIG = "CONFIG_EXPERT=y\n"; // no MODULES line at all: n

interface Made {
  id: string;
  team: string;
  status: "succeeded" | "failed" | "error" | "queued";
  submitter: string;
  source: string;
  kernel: string;
  profile: string;
  config: string | null;
  reason: string | null;
  options: { symbol: string; value: string }[];
  day: number;
}

let db: PrismaClient;
const made: Made[] = [];
const configIds = new Set<string>();

/** Builds i = 0..29 of TEAM on days 1..30 of November 2026, two a day on even days, in a pattern each filter can pick out. */
function plan(team: string, i: number): Made {
  const rust = i % 3 === 0;
  return {
    id: randomUUID(),
    team,
    status: (["succeeded", "failed", "error", "succeeded"] as const)[i % 4]!,
    submitter: team === TEAM ? (i % 2 ? BOB : ALICE) : CAROL,
    source: i % 5 === 0 ? SRC_612 : SRC_61,
    kernel: i % 5 === 0 ? "6.12.57" : "6.1.158",
    profile: i % 2 ? "debian-bookworm-llvm14" : "debian-trixie-llvm19",
    config: i === 7 ? null : rust ? RUST_CONFIG : i % 3 === 1 ? PLAIN_CONFIG : TINY_CONFIG,
    reason: i % 4 === 1 ? `make failed: drivers/gpu/frobnicator_${i}.c: error` : null,
    options: rust ? [{ symbol: "RUST", value: "y" }] : [{ symbol: "EXPERT", value: "y" }],
    day: 1 + Math.floor(i / 2) * 2,
  };
}

async function write(m: Made, index: number) {
  const createdAt = new Date(Date.UTC(2026, 10, m.day, 12, 0, index % 2)); // the second build of a day a second later
  await db.build.create({
    data: {
      id: m.id,
      organizationId: m.team,
      submitterId: m.submitter,
      sourceId: m.source,
      spec: { options: m.options, targets: ["kernel"] },
      profile: m.profile,
      arch: "x86_64",
      baseConfig: "tinyconfig",
      kernelVersion: m.kernel,
      status: m.status,
      statusReason: m.reason,
      createdAt,
      startedAt: m.status === "queued" ? null : createdAt,
      finishedAt: m.status === "queued" ? null : new Date(createdAt.getTime() + 60_000 * (1 + (index % 3))),
    },
  });
  if (m.config !== null) configIds.add(await recordResolvedConfig(db, m.id, m.config));
}

beforeAll(async () => {
  db = createDb(process.env.DATABASE_URL!);
  for (const [id, name] of [[TEAM, "Kernel team"], [OTHER_TEAM, "Other team"]]) await db.organization.create({ data: { id: id!, name: name!, slug: id! } });
  for (const [id, name] of [[ALICE, "Alice Liddell"], [BOB, "Bob Kahn"], [CAROL, "Carol Shaw"]]) {
    await db.user.create({ data: { id: id!, name: name!, email: `${id}@example.org` } });
  }
  await db.member.createMany({
    data: [
      { id: `${ALICE}-m`, organizationId: TEAM, userId: ALICE, role: "owner" },
      { id: `${BOB}-m`, organizationId: TEAM, userId: BOB, role: "member" },
      { id: `${CAROL}-m`, organizationId: OTHER_TEAM, userId: CAROL, role: "owner" },
    ],
  });
  for (const [id, version] of [[SRC_61, "6.1.158"], [SRC_612, "6.12.57"]]) {
    await db.kernelSource.create({ data: { id: id!, name: id!, kind: "directory", location: "/nonexistent", status: "ready", version } });
  }
  for (let i = 0; i < 30; i++) made.push(plan(TEAM, i));
  // The other team has builds that match every filter, on the same days.
  for (let i = 0; i < 30; i++) made.push(plan(OTHER_TEAM, i));
  for (const [i, m] of made.entries()) await write(m, i % 30);
});

afterAll(async () => {
  if (!db) return;
  await db.build.deleteMany({ where: { organizationId: { in: [TEAM, OTHER_TEAM] } } });
  await db.resolvedConfig.deleteMany({ where: { id: { in: [...configIds] }, builds: { none: {} } } });
  await db.organization.deleteMany({ where: { id: { in: [TEAM, OTHER_TEAM] } } });
  await db.user.deleteMany({ where: { id: { in: [ALICE, BOB, CAROL] } } });
  await db.kernelSource.deleteMany({ where: { id: { in: [SRC_61, SRC_612] } } });
  await db.$disconnect();
});

const ours = () => made.filter((m) => m.team === TEAM);
/** Newest first, as the history lists them. */
const newestFirst = (ms: Made[]) => [...ms].reverse().map((m) => m.id);

async function ids(params: Record<string, string | string[]>, who: Actor = actor, pageSize = 100): Promise<string[]> {
  const page = await queryHistory(db, who, parseHistoryFilter(params), pageSize);
  expect(page.nextCursor).toBeNull();
  return page.builds.map((b) => b.id);
}

describe("the history query", () => {
  it("lists the team's builds newest first, and nothing of another team", async () => {
    expect(await ids({})).toEqual(newestFirst(ours()));
    expect(await ids({}, otherActor)).toEqual(newestFirst(made.filter((m) => m.team === OTHER_TEAM)));
  });

  it("filters by status, one or several", async () => {
    expect(await ids({ status: "failed" })).toEqual(newestFirst(ours().filter((m) => m.status === "failed")));
    expect(await ids({ status: "failed,error" })).toEqual(newestFirst(ours().filter((m) => m.status === "failed" || m.status === "error")));
  });

  it("filters by submitter, source, kernel version and profile", async () => {
    expect(await ids({ submitter: BOB })).toEqual(newestFirst(ours().filter((m) => m.submitter === BOB)));
    expect(await ids({ submitter: CAROL })).toEqual([]);
    expect(await ids({ source: SRC_612 })).toEqual(newestFirst(ours().filter((m) => m.source === SRC_612)));
    expect(await ids({ kernel: "6.1.158" })).toEqual(newestFirst(ours().filter((m) => m.kernel === "6.1.158")));
    expect(await ids({ profile: "debian-trixie-llvm19" })).toEqual(newestFirst(ours().filter((m) => m.profile === "debian-trixie-llvm19")));
  });

  it("filters by the resolved .config: y, m, n (not set or never named), strings, and several at once", async () => {
    const rust = newestFirst(ours().filter((m) => m.config === RUST_CONFIG));
    expect(await ids({ option: "CONFIG_RUST=y" })).toEqual(rust);
    expect(await ids({ option: "SAMPLE_RUST_MINIMAL=m" })).toEqual(rust);
    expect(await ids({ option: "CONFIG_SAMPLE_RUST_MINIMAL=y" })).toEqual([]);
    expect(await ids({ option: 'CONFIG_CMDLINE="console=ttyS0"' })).toEqual(rust);
    expect(await ids({ option: "CONFIG_CMDLINE=console=ttyS0" })).toEqual(rust);
    // n: "# CONFIG_RUST is not set" and a .config without the symbol alike; a build that never resolved one is not known to be n.
    expect(await ids({ option: "CONFIG_RUST=n" })).toEqual(newestFirst(ours().filter((m) => m.config !== null && m.config !== RUST_CONFIG)));
    expect(await ids({ option: "CONFIG_MODULES=n" })).toEqual(newestFirst(ours().filter((m) => m.config === TINY_CONFIG)));
    expect(await ids({ option: ["CONFIG_MODULES=y", "CONFIG_RUST=n"] })).toEqual(newestFirst(ours().filter((m) => m.config === PLAIN_CONFIG)));
  });

  it("uses what the build resolved, not what it requested", async () => {
    // Build 7 asked for EXPERT=y but never resolved a .config; builds with the tiny config resolved EXPERT=y.
    const requestedExpert = ours().filter((m) => m.options.some((o) => o.symbol === "EXPERT"));
    const resolvedExpert = ours().filter((m) => m.config === TINY_CONFIG);
    expect(requestedExpert.length).toBeGreaterThan(resolvedExpert.length);
    expect(await ids({ option: "CONFIG_EXPERT=y" })).toEqual(newestFirst(resolvedExpert));
  });

  it("filters by a date range, whole days inclusive", async () => {
    expect(await ids({ from: "2026-11-05", to: "2026-11-09" })).toEqual(newestFirst(ours().filter((m) => m.day >= 5 && m.day <= 9)));
    expect(await ids({ to: "2026-11-01" })).toEqual(newestFirst(ours().filter((m) => m.day === 1)));
    expect(await ids({ from: "2026-11-29T12:00:01Z" })).toEqual(newestFirst(ours().slice(-1)));
  });

  it("searches build ids, sources, requested options, failure reasons and submitters", async () => {
    const target = ours()[11]!;
    expect(await ids({ q: target.id.slice(0, 8) })).toEqual([target.id]);
    expect(await ids({ q: "FROBNICATOR_9" })).toEqual([ours()[9]!.id]);
    expect(await ids({ q: "frobnicator" })).toEqual(newestFirst(ours().filter((m) => m.reason)));
    expect(await ids({ q: "config_rust=y" })).toEqual(newestFirst(ours().filter((m) => m.options[0]!.symbol === "RUST")));
    expect(await ids({ q: "6.12-" })).toEqual(newestFirst(ours().filter((m) => m.source === SRC_612)));
    expect(await ids({ q: "bob kahn" })).toEqual(newestFirst(ours().filter((m) => m.submitter === BOB)));
    expect(await ids({ q: `${BOB}@example` })).toEqual(newestFirst(ours().filter((m) => m.submitter === BOB)));
    // Another team's member is nobody here; LIKE's own characters are plain text.
    expect(await ids({ q: "Carol Shaw" })).toEqual([]);
    expect(await ids({ q: "frob%nicator" })).toEqual([]);
    expect(await ids({ q: "gpu_frob" })).toEqual([]);
  });

  it("combines filters", async () => {
    const expected = ours().filter((m) => m.status === "succeeded" && m.config === RUST_CONFIG && m.submitter === ALICE && m.day >= 3);
    expect(expected.length).toBeGreaterThan(1);
    expect(await ids({ status: "succeeded", option: "CONFIG_RUST=y", submitter: ALICE, from: "2026-11-03", q: "rust" })).toEqual(newestFirst(expected));
  });

  it("pages through a filter without losing or repeating a build, also across builds of the same instant", async () => {
    // Two builds at the same createdAt: the id breaks the tie.
    const twin = ours()[0]!;
    const sameInstant = { ...plan(TEAM, 0), id: randomUUID() };
    await write(sameInstant, 0);
    made.push(sameInstant);
    try {
      for (const [params, size] of [[{}, 7], [{ status: "succeeded" }, 3], [{ option: "CONFIG_RUST=y" }, 1], [{ option: "CONFIG_RUST=y" }, 11]] as const) {
        const seen: string[] = [];
        let filter: HistoryFilter = parseHistoryFilter(params);
        for (let pages = 0; ; pages++) {
          const page = await queryHistory(db, actor, filter, size);
          expect(page.builds.length).toBeLessThanOrEqual(size);
          seen.push(...page.builds.map((b) => b.id));
          if (!page.nextCursor) break;
          expect(page.builds).toHaveLength(size);
          filter = parseHistoryFilter({ ...params, cursor: page.nextCursor });
        }
        const all = await queryHistory(db, actor, parseHistoryFilter(params), 1000);
        expect(seen).toEqual(all.builds.map((b) => b.id));
        expect(new Set(seen).size).toBe(seen.length);
      }
      const both = (await queryHistory(db, actor, parseHistoryFilter({}), 1000)).builds.filter((b) => b.id === twin.id || b.id === sameInstant.id);
      expect(both.map((b) => b.id)).toEqual([twin.id, sameInstant.id].sort().reverse());
    } finally {
      await db.build.delete({ where: { id: sameInstant.id } });
      made.pop();
    }
  });

  it("returns the list's shape: source and submitter names, options, duration", async () => {
    const m = ours()[3]!;
    const [b] = (await queryHistory(db, actor, parseHistoryFilter({ q: m.id }))).builds;
    expect(b).toMatchObject({
      id: m.id,
      status: m.status,
      source: m.source,
      kernelVersion: m.kernel,
      profile: m.profile,
      options: m.options,
      targets: ["kernel"],
      submitter: "Bob Kahn",
      createdAt: new Date(Date.UTC(2026, 10, m.day, 12, 0, 1)).toISOString(),
      durationMs: 60_000 * (1 + (3 % 3)),
    });
  });
});

describe("the chart and the form's choices", () => {
  it("counts the filter's builds per day by outcome, with run times", async () => {
    const chart = await historyChart(db, actor, parseHistoryFilter({ from: "2026-11-01", to: "2026-11-30", option: "CONFIG_RUST=y" }));
    expect(chart.bucket).toBe("day");
    expect(chart.buckets).toHaveLength(30);
    const rust = ours().filter((m) => m.config === RUST_CONFIG);
    expect(chart.buckets.reduce((n, b) => n + Object.values(b.counts).reduce((a, c) => a + c, 0), 0)).toBe(rust.length);
    for (const m of rust) expect(chart.buckets[m.day - 1]!.counts[m.status]).toBeGreaterThan(0);
    const day1 = chart.buckets[0]!;
    expect(day1.start).toBe("2026-11-01");
    expect(day1.medianMs).toBe(60_000);
    const year = await historyChart(db, actor, parseHistoryFilter({ from: "2026-01-01", to: "2026-12-31" }));
    expect(year.bucket).toBe("week");
    expect(year.buckets.reduce((n, b) => n + Object.values(b.counts).reduce((a, c) => a + c, 0), 0)).toBe(ours().length);
  });

  it("offers the team's members, and the profiles and kernels its builds used", async () => {
    const choices = await historyChoices(db, actor);
    expect(choices.members.map((m) => m.name)).toEqual(["Alice Liddell", "Bob Kahn"]);
    expect(choices.profiles).toEqual(["debian-bookworm-llvm14", "debian-trixie-llvm19"]);
    expect(choices.kernels).toEqual(["6.1.158", "6.12.57"]);
    expect(choices.sources).toEqual(expect.arrayContaining([SRC_61, SRC_612]));
  });
});
