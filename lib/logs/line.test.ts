import { describe, expect, it } from "vitest";
import { type LogLine, LineSplitter, MAX_LINE_LENGTH, clampLine, fromTuple, toTuple } from "./line";

const bytes = (s: string) => new TextEncoder().encode(s);
const MARKER = ` … [line cut at ${MAX_LINE_LENGTH} characters]`;

describe("LineSplitter", () => {
  it("returns complete lines only, joining a line split across chunks", () => {
    const s = new LineSplitter();
    expect(s.push(bytes("  GEN     Make"))).toEqual([]);
    expect(s.push(bytes("file\n  HOSTCC  scripts/basic/fixdep\n  HOST"))).toEqual(["  GEN     Makefile", "  HOSTCC  scripts/basic/fixdep"]);
    expect(s.push(bytes("CC  scripts/kconfig/conf.o\n"))).toEqual(["  HOSTCC  scripts/kconfig/conf.o"]);
    expect(s.end()).toEqual([]);
  });

  it("keeps empty lines", () => {
    const s = new LineSplitter();
    expect(s.push(bytes("***\n\n\nend\n"))).toEqual(["***", "", "", "end"]);
  });

  it("decodes a UTF-8 character split across chunks, byte by byte", () => {
    const text = "é ü — 🦀 rustc\n";
    const encoded = bytes(text);
    const s = new LineSplitter();
    const out: string[] = [];
    for (const b of encoded) out.push(...s.push(Uint8Array.of(b)));
    expect(out).toEqual(["é ü — 🦀 rustc"]);
    expect(s.end()).toEqual([]);
  });

  it("decodes a 4-byte character split 1+3 and 2+2 at a chunk boundary mid-line", () => {
    const crab = bytes("🦀");
    expect(crab).toHaveLength(4);
    for (const cut of [1, 2, 3]) {
      const s = new LineSplitter();
      expect(s.push(Uint8Array.of(...bytes("a"), ...crab.slice(0, cut)))).toEqual([]);
      expect(s.push(Uint8Array.of(...crab.slice(cut), ...bytes("b\n")))).toEqual(["a🦀b"]);
    }
  });

  it("reads CRLF lines like LF lines, also when the CR and LF arrive in different chunks", () => {
    const s = new LineSplitter();
    expect(s.push(bytes("one\r\ntwo\r"))).toEqual(["one"]);
    expect(s.push(bytes("\nthree\r\n"))).toEqual(["two", "three"]);
  });

  it("keeps a CR inside a line", () => {
    const s = new LineSplitter();
    expect(s.push(bytes("50%\r100%\n"))).toEqual(["50%\r100%"]);
  });

  it("returns the unterminated last line from end(), once", () => {
    const s = new LineSplitter();
    expect(s.push(bytes("first\nRust is available!"))).toEqual(["first"]);
    expect(s.end()).toEqual(["Rust is available!"]);
    expect(s.end()).toEqual([]);
  });

  it("flushes an incomplete UTF-8 sequence at end() as a replacement character", () => {
    const s = new LineSplitter();
    expect(s.push(Uint8Array.of(...bytes("x"), 0xf0, 0x9f))).toEqual([]);
    expect(s.end()).toEqual(["x\uFFFD"]);
  });

  it("accepts string chunks", () => {
    const s = new LineSplitter();
    expect(s.push("a\nb")).toEqual(["a"]);
    expect(s.push("c\n")).toEqual(["bc"]);
  });

  it("clamps a very long line to MAX_LINE_LENGTH characters with the marker", () => {
    const s = new LineSplitter();
    const long = "x".repeat(MAX_LINE_LENGTH + 10);
    const [line, next] = s.push(bytes(`${long}\nnext\n`));
    expect(line).toBe(`${"x".repeat(MAX_LINE_LENGTH)}${MARKER}`);
    expect(next).toBe("next");
  });

  it("keeps a line of exactly MAX_LINE_LENGTH characters whole", () => {
    const s = new LineSplitter();
    const exact = "y".repeat(MAX_LINE_LENGTH);
    expect(s.push(bytes(`${exact}\n`))).toEqual([exact]);
  });

  it("clamps a long unterminated line returned by end()", () => {
    const s = new LineSplitter();
    expect(s.push(bytes("z".repeat(MAX_LINE_LENGTH + 1)))).toEqual([]);
    expect(s.end()).toEqual([`${"z".repeat(MAX_LINE_LENGTH)}${MARKER}`]);
  });

  it("does not buffer a runaway line without end: past 4 × MAX_LINE_LENGTH it is emitted, clamped", () => {
    const s = new LineSplitter();
    const out: string[] = [];
    for (let i = 0; i < 5; i++) out.push(...s.push(bytes("r".repeat(MAX_LINE_LENGTH))));
    expect(out).toEqual([`${"r".repeat(MAX_LINE_LENGTH)}${MARKER}`]);
    expect(s.end()).toEqual([]);
  });
});

describe("clampLine", () => {
  it("leaves short lines alone", () => {
    expect(clampLine("make: Leaving directory '/out'")).toBe("make: Leaving directory '/out'");
    expect(clampLine("")).toBe("");
  });
});

describe("LogLine tuples", () => {
  it("round-trip", () => {
    const line: LogLine = { seq: 42, t: 1_764_000_000_123, step: 3, text: "  HOSTCC  scripts/kconfig/conf.o" };
    expect(toTuple(line)).toEqual([42, 1_764_000_000_123, 3, "  HOSTCC  scripts/kconfig/conf.o"]);
    expect(fromTuple(toTuple(line))).toEqual(line);
    expect(toTuple(fromTuple([1, 0, 0, ""]))).toEqual([1, 0, 0, ""]);
  });
});
