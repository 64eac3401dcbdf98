import { describe, expect, it } from "vitest";
import { endEvent, linesEvent, resumePoint } from "./sse";

describe("log SSE framing", () => {
  it("frames lines with the last seq as the event id, one data line", () => {
    const text = linesEvent([
      { seq: 4, t: 10, step: 0, text: "a" },
      { seq: 5, t: 11, step: 1, text: 'b "quoted"\nnot a new field' },
    ]);
    expect(text.startsWith("id: 5\nevent: lines\ndata: ")).toBe(true);
    expect(text.endsWith("\n\n")).toBe(true);
    const data = text.split("\n")[2]!.slice("data: ".length);
    expect(JSON.parse(data)).toEqual([
      [4, 10, 0, "a"],
      [5, 11, 1, 'b "quoted"\nnot a new field'],
    ]);
    expect(text.split("\n")).toHaveLength(5);
  });

  it("frames the end", () => {
    expect(endEvent("succeeded")).toBe('event: end\ndata: {"status":"succeeded"}\n\n');
  });

  it("resumes from Last-Event-ID, then ?after, else 0", () => {
    expect(resumePoint("12", "3")).toBe(12);
    expect(resumePoint(null, "3")).toBe(3);
    expect(resumePoint("junk", "3")).toBe(3);
    expect(resumePoint(null, null)).toBe(0);
    expect(resumePoint("-1", "x")).toBe(0);
  });
});
