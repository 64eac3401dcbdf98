import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { LogArchive } from "./archive";
import { RingBuffer, StoredCopyCap, lineBytes } from "./cap";
import type { LogLine } from "./line";

const line = (seq: number, text = `line ${seq}`): LogLine => ({ seq, t: 0, step: 1, text });

/** Feeds lines 1..n through the cap, then closes it: what the stored copy ends up with. */
function storedCopy(cap: StoredCopyCap, n: number, text = (seq: number) => `line ${seq}`): LogLine[] {
  const stored: LogLine[] = [];
  for (let seq = 1; seq <= n; seq++) {
    const kept = cap.admit(line(seq, text(seq)));
    if (kept) stored.push(kept);
  }
  return [...stored, ...cap.close()];
}

describe("RingBuffer", () => {
  it("keeps the last items, oldest first", () => {
    const ring = new RingBuffer<number>(3);
    expect(ring.toArray()).toEqual([]);
    [1, 2].forEach((n) => ring.push(n));
    expect(ring.toArray()).toEqual([1, 2]);
    [3, 4, 5, 6, 7].forEach((n) => ring.push(n));
    expect(ring.toArray()).toEqual([5, 6, 7]);
    expect(ring.size).toBe(3);
  });

  it("refuses a capacity that holds nothing", () => {
    expect(() => new RingBuffer(0)).toThrow(/at least one/);
  });
});

describe("StoredCopyCap", () => {
  it("stores every line of a log within the cap, and no tail", () => {
    const cap = new StoredCopyCap(10_000, 5);
    const stored = storedCopy(cap, 100);
    expect(stored.map((l) => l.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(cap.cutAt).toBeNull();
  });

  it("counts bytes as UTF-8 with the newline, up to the cap exactly", () => {
    // "é" is two bytes: each line "éé" takes 5 bytes with its newline.
    const cap = new StoredCopyCap(5 * 4, 2);
    const stored = storedCopy(cap, 4, () => "éé");
    expect(stored).toHaveLength(4);
    expect(cap.cutAt).toBeNull();
    expect(lineBytes("éé")).toBe(5);
  });

  it("puts a marker in place of the first line over the cap, then the tail after a gap marker", () => {
    // "line N" for N < 10 is 7 bytes with its newline: 5 lines fit in 35 bytes.
    const cap = new StoredCopyCap(35, 3);
    const stored = storedCopy(cap, 50);
    expect(cap.cutAt).toBe(6);
    expect(stored.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5, 6, 47, 48, 49, 50]);
    expect(stored[5]!.text).toMatch(/^… log truncated after 5 lines .*the full log is in build\.log\.gz/);
    // Lines 6..47 are not in the page: the cut marker took 6's number, the gap marker 47's.
    expect(stored[6]!.text).toBe("… 42 lines omitted (6 to 47); they are in build.log.gz …");
    expect(stored.slice(7).map((l) => l.text)).toEqual(["line 48", "line 49", "line 50"]);
  });

  it("has no gap marker when every line after the cut fits in the tail", () => {
    const cap = new StoredCopyCap(35, 3);
    const stored = storedCopy(cap, 10);
    expect(stored.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(stored[5]!.text).toMatch(/^… log truncated/);
    expect(stored.slice(6).map((l) => l.text)).toEqual(["line 7", "line 8", "line 9", "line 10"]);
  });

  it("names the file that has the whole log", () => {
    const cap = new StoredCopyCap(0, 1, "console.log");
    expect(storedCopy(cap, 5).map((l) => l.text)).toEqual([
      expect.stringMatching(/^… log truncated after 0 lines .*in console\.log/),
      "… 4 lines omitted (1 to 4); they are in console.log …",
      "line 5",
    ]);
  });

  it("stores lines written after it closed as they come", () => {
    const cap = new StoredCopyCap(35, 2);
    storedCopy(cap, 20);
    expect(cap.close()).toEqual([]);
    expect(cap.admit(line(21))).toEqual(line(21));
  });
});

describe("LogArchive", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function archive(maxBytes: number, lines: number): Promise<{ text: string; summary: Awaited<ReturnType<LogArchive["close"]>> }> {
    dir = await mkdtemp(path.join(os.tmpdir(), "kbuild-archive-"));
    const file = path.join(dir, "build.log.gz");
    const a = new LogArchive(file, maxBytes);
    for (let seq = 1; seq <= lines; seq++) a.write(line(seq, `line ${seq} ${"x".repeat(seq % 50)}`));
    const summary = await a.close();
    return { text: gunzipSync(await readFile(file)).toString(), summary };
  }

  it("holds every line, in order, across many batches", async () => {
    const { text, summary } = await archive(Number.POSITIVE_INFINITY, 20_000);
    const lines = text.split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(20_000);
    expect(lines[0]).toBe("line 1 x");
    expect(lines.at(-1)).toBe(`line 20000 ${"x".repeat(0)}`);
    expect(summary).toEqual({ bytes: Buffer.byteLength(text), lines: 20_000, cutAt: null });
  });

  it("stops at its cap with a last line that says so", async () => {
    const { text, summary } = await archive(1000, 500);
    const lines = text.trimEnd().split("\n");
    expect(lines.at(-1)).toMatch(/^… this file stops at line \d+: the log reached its limit of 1000 bytes \(KBUILD_LOG_ARTIFACT_MAX_BYTES\)/);
    expect(summary.cutAt).toBe(lines.length);
    // Everything before the last line is the log itself, within the cap.
    expect(Buffer.byteLength(lines.slice(0, -1).join("\n") + "\n")).toBeLessThanOrEqual(1000);
    expect(lines.at(-2)).toMatch(new RegExp(`^line ${summary.cutAt! - 1} `));
  });
});
