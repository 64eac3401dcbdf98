import { describe, expect, it } from "vitest";
import { BuildStatus } from "../db/generated/enums";
import { TERMINAL_STATUSES, canTransition, isTerminal, sourcesOf } from "./status";

type Status = (typeof BuildStatus)[keyof typeof BuildStatus];

/** Every status the database knows, from the generated Prisma enum (so a new one cannot be forgotten here). */
const ALL = Object.values(BuildStatus) as Status[];

/** The machine as documented: queued → running → succeeded | failed | canceled | error; queued → canceled | error. */
const ALLOWED = new Set(["queued→running", "queued→canceled", "queued→error", "running→succeeded", "running→failed", "running→canceled", "running→error"]);

const pairs = ALL.flatMap((from) => ALL.map((to) => [from, to] as const));

describe("build status machine", () => {
  it("knows the six statuses of the schema", () => {
    expect(ALL).toEqual(["queued", "running", "succeeded", "failed", "canceled", "error"]);
  });

  it.each(pairs.filter(([from, to]) => ALLOWED.has(`${from}→${to}`)))("allows %s → %s", (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it.each(pairs.filter(([from, to]) => !ALLOWED.has(`${from}→${to}`)))("forbids %s → %s", (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it("covers all 36 pairs: 7 allowed, 29 forbidden", () => {
    expect(pairs).toHaveLength(36);
    expect(pairs.filter(([from, to]) => canTransition(from, to)).map(([from, to]) => `${from}→${to}`).sort()).toEqual([...ALLOWED].sort());
  });

  it("calls exactly the statuses without a way out terminal", () => {
    expect(ALL.filter(isTerminal)).toEqual(["succeeded", "failed", "canceled", "error"]);
    expect([...TERMINAL_STATUSES].sort()).toEqual(ALL.filter((s) => !ALL.some((to) => canTransition(s, to))).sort());
    expect(isTerminal("queued")).toBe(false);
    expect(isTerminal("running")).toBe(false);
  });

  it("lists the statuses a build may be in for each move", () => {
    expect(Object.fromEntries(ALL.map((to) => [to, sourcesOf(to)]))).toEqual({
      queued: [],
      running: ["queued"],
      succeeded: ["running"],
      failed: ["running"],
      canceled: ["queued", "running"],
      error: ["queued", "running"],
    });
  });
});
