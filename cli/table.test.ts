import { describe, expect, it } from "vitest";
import { exitCodeOf } from "./builds";
import { table } from "./table";

describe("the command line's tables", () => {
  it("pads each column to its widest cell, leaving the last one ragged", () => {
    expect(table([["ID", "STATUS", "TOOK"], ["abc", "succeeded", "1m 03s"], ["abcdef", "failed", "—"]])).toBe(
      "ID      STATUS     TOOK\nabc     succeeded  1m 03s\nabcdef  failed     —\n",
    );
  });

  it("counts characters, not UTF-16 units, so a wide symbol does not shift the columns", () => {
    expect(table([["𝔞", "x"], ["ab", "y"]])).toBe("𝔞   x\nab  y\n");
  });
});

describe("submit --follow's exit status", () => {
  it("is 0 only for a build that succeeded", () => {
    expect(["succeeded", "failed", "canceled", "error"].map(exitCodeOf)).toEqual([0, 1, 1, 1]);
  });
});
