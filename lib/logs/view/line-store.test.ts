import { describe, expect, it } from "vitest";
import { CHUNK_LINES, LineStore, searchInSlices } from "./line-store";

function fill(lines: [step: number, text: string][]): LineStore {
  const store = new LineStore();
  lines.forEach(([step, text], i) => store.append(i + 1, 1000 + i, step, text));
  return store;
}

describe("LineStore", () => {
  it("gives back each line's text, time and step across sealed chunks and the open one", () => {
    const n = CHUNK_LINES * 2 + 10;
    const store = new LineStore();
    for (let i = 0; i < n; i++) store.append(i + 1, i * 10, i < CHUNK_LINES ? 0 : 1, `line ${i + 1}`);
    expect(store.length).toBe(n);
    for (const i of [0, CHUNK_LINES - 1, CHUNK_LINES, CHUNK_LINES * 2 - 1, CHUNK_LINES * 2, n - 1]) {
      expect(store.text(i)).toBe(`line ${i + 1}`);
      expect(store.textLength(i)).toBe(`line ${i + 1}`.length);
      expect(store.time(i)).toBe(i * 10);
    }
    expect(store.step(CHUNK_LINES)).toBe(1);
    expect(store.indexOfSeq(n)).toBe(n - 1);
    expect(store.indexOfSeq(n + 1)).toBe(-1);
  });

  it("keeps the plain text for search and the raw text for colours", () => {
    const store = fill([[0, "\u001b[31merror\u001b[0m: boom"], [0, "plain"]]);
    expect(store.text(0)).toBe("error: boom");
    expect(store.raw(0)).toBe("\u001b[31merror\u001b[0m: boom");
    expect(store.raw(1)).toBe("plain");
  });

  it("ignores a line at or before the last one (an overlap resent after a reconnect)", () => {
    const store = new LineStore();
    store.append(5, 0, 0, "five");
    expect(store.append(5, 0, 0, "five again")).toBe(false);
    expect(store.append(6, 0, 0, "six")).toBe(true);
    expect(store.append(4, 0, 0, "four")).toBe(false);
    expect(store.seq(0)).toBe(5);
    expect(store.lastSeq).toBe(6);
  });

  it("keeps a cut log's last lines after its gap, each with its own seq", () => {
    const store = new LineStore();
    for (let seq = 1; seq <= 3; seq++) store.append(seq, 0, 0, `line ${seq}`); // 3: the cut marker
    expect(store.append(1000, 0, 0, "… lines omitted …")).toBe(true);
    expect(store.append(1001, 0, 0, "tail")).toBe(true);
    expect(store.append(1001, 0, 0, "tail again")).toBe(false);
    expect([0, 1, 2, 3, 4].map((i) => store.seq(i))).toEqual([1, 2, 3, 1000, 1001]);
    expect(store.lastSeq).toBe(1001);
    expect(store.indexOfSeq(3)).toBe(2);
    expect(store.indexOfSeq(500)).toBe(-1); // in the gap
    expect(store.indexOfSeq(1001)).toBe(4);
    expect(store.indexOfSeq(1002)).toBe(-1);
    expect(store.text(4)).toBe("tail");
  });

  it("groups consecutive lines of a step into sections, a step that comes back getting another", () => {
    const store = fill([[0, "a"], [0, "b"], [1, "c"], [2, "d"], [2, "e"], [1, "f"]]);
    expect(store.sections).toEqual([
      { step: 0, first: 0, end: 2, firstOfStep: true },
      { step: 1, first: 2, end: 3, firstOfStep: true },
      { step: 2, first: 3, end: 5, firstOfStep: true },
      { step: 1, first: 5, end: 6, firstOfStep: false },
    ]);
  });
});

describe("search", () => {
  it("finds each line holding the needle once, case-insensitively, in sealed and open chunks alike", () => {
    const store = new LineStore();
    const n = CHUNK_LINES + 100;
    const expected: number[] = [];
    for (let i = 0; i < n; i++) {
      const hit = i % 997 === 3 || i === CHUNK_LINES - 1 || i === CHUNK_LINES || i === n - 1;
      if (hit) expected.push(i);
      store.append(i + 1, 0, 0, hit ? `drivers/x.c:${i}: Error: error twice` : `  CC      drivers/x${i}.o`);
    }
    expect(store.search("error")).toEqual(expected);
    expect(store.search("ERROR".toLowerCase())).toEqual(expected);
    expect(store.search("no such text")).toEqual([]);
    expect(store.search("")).toEqual([]);
  });

  it("does not match across the boundary between two lines", () => {
    const store = fill([[0, "abc"], [0, "def"]]);
    expect(store.search("cd")).toEqual([]);
    expect(store.search("c")).toEqual([0]);
  });

  it("matches the text without escape codes", () => {
    const store = fill([[0, "\u001b[1;31merr\u001b[0mor: x"], [0, "no"]]);
    expect(store.search("error")).toEqual([0]);
    expect(store.search("[1;31m")).toEqual([]);
  });

  it("finds lines after letters whose case changes their length, and needles with non-ASCII letters", () => {
    const store = new LineStore();
    for (let i = 0; i < CHUNK_LINES + 10; i++) store.append(i + 1, 0, 0, i === 0 ? "İstanbul" : i === 5 || i === CHUNK_LINES + 5 ? "NEEDLE Ärger" : "x");
    expect(store.search("needle")).toEqual([5, CHUNK_LINES + 5]);
    expect(store.search("ärger")).toEqual([5, CHUNK_LINES + 5]);
  });

  it("takes the needle literally: characters special to regular expressions match themselves", () => {
    const store = fill([[0, "a.b (x) [y] $z ^ * + ? \\ | {1}"], [0, "axb"], [0, "plain"]]);
    for (const needle of ["a.b", "(x)", "[y]", "$z", "^", "*", "+", "?", "\\", "|", "{1}"]) expect(store.search(needle), needle).toEqual([0]);
    expect(store.search(".")).toEqual([0]);
  });

  it("searches the lines from an index on (those that arrived after a search)", () => {
    const store = new LineStore();
    for (let i = 0; i < CHUNK_LINES + 20; i++) store.append(i + 1, 0, 0, i % 7 === 0 ? "Warning: w" : "ok");
    const all = store.search("warning");
    expect(store.searchFrom(CHUNK_LINES - 3, "warning")).toEqual(all.filter((i) => i >= CHUNK_LINES - 3));
    expect(store.searchFrom(0, "")).toEqual([]);
  });

  it("searches in slices, giving the page back between them, with the same result", async () => {
    const store = new LineStore();
    for (let i = 0; i < CHUNK_LINES * 3; i++) store.append(i + 1, 0, 0, i % 1000 === 0 ? "warning: here" : "plain");
    let yields = 0;
    const found = await searchInSlices(store, "warning", { sliceMs: -1, yieldToPage: async () => void yields++ });
    expect(found).toEqual(store.search("warning"));
    expect(yields).toBe(store.pieces - 1);
    const aborted = new AbortController();
    aborted.abort();
    expect(await searchInSlices(store, "warning", { signal: aborted.signal, yieldToPage: async () => {} })).toBeNull();
  });
});
