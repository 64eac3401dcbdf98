import { describe, expect, it } from "vitest";
import { parseRange } from "./range";

describe("parseRange", () => {
  it("ignores a missing or malformed header", () => {
    expect(parseRange(null, 10)).toEqual({ kind: "none" });
    expect(parseRange("", 10)).toEqual({ kind: "none" });
    expect(parseRange("items=0-1", 10)).toEqual({ kind: "none" });
    expect(parseRange("bytes=-", 10)).toEqual({ kind: "none" });
    expect(parseRange("bytes=0-1,3-4", 10)).toEqual({ kind: "none" });
    expect(parseRange("bytes=5-2", 10)).toEqual({ kind: "none" });
  });

  it("serves a-b, clamping the end to the size", () => {
    expect(parseRange("bytes=0-0", 10)).toEqual({ kind: "range", start: 0, end: 0 });
    expect(parseRange("bytes=2-5", 10)).toEqual({ kind: "range", start: 2, end: 5 });
    expect(parseRange("bytes=2-500", 10)).toEqual({ kind: "range", start: 2, end: 9 });
  });

  it("serves a- to the end", () => {
    expect(parseRange("bytes=7-", 10)).toEqual({ kind: "range", start: 7, end: 9 });
    expect(parseRange("bytes=9-", 10)).toEqual({ kind: "range", start: 9, end: 9 });
  });

  it("serves the last n bytes", () => {
    expect(parseRange("bytes=-3", 10)).toEqual({ kind: "range", start: 7, end: 9 });
    expect(parseRange("bytes=-30", 10)).toEqual({ kind: "range", start: 0, end: 9 });
  });

  it("says when a range cannot be satisfied", () => {
    expect(parseRange("bytes=10-", 10)).toEqual({ kind: "unsatisfiable" });
    expect(parseRange("bytes=10-20", 10)).toEqual({ kind: "unsatisfiable" });
    expect(parseRange("bytes=-0", 10)).toEqual({ kind: "unsatisfiable" });
    expect(parseRange("bytes=0-", 0)).toEqual({ kind: "unsatisfiable" });
    expect(parseRange("bytes=-5", 0)).toEqual({ kind: "unsatisfiable" });
  });
});
