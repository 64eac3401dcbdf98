import { hasAnsi, stripAnsi } from "./ansi";

/**
 * A log's lines held compactly in the browser, for logs of a million lines.
 *
 * One JS string per line costs a string header and an array slot on top of
 * the text, for every line, and most kernel lines are short. Here lines are
 * kept in sealed chunks of CHUNK_LINES lines, each one string joined with
 * "\n" plus an offset index (Uint32Array), so the cost is the text itself,
 * 4 bytes of offset, 8 of time
 * and 4 of step per line. The text kept is the plain text (no escape
 * sequences): that is what search and the line numbers work on; the few lines
 * that carry colours keep their raw text on the side for rendering. With
 * this, the bench's 1,000,000-line kernel log (36 MB of text) leaves the page
 * at 40 MiB of JS heap (bench/README.md).
 *
 * A line is known by its index (0-based). Its seq is mostly the previous
 * line's plus one, but a log cut at its size limit jumps from the cut marker
 * to its last lines (lib/logs/cap.ts); the few jumps are kept as runs.
 */
export const CHUNK_LINES = 16_384;

interface Chunk {
  text: string;
  /** starts[i] is where line i of the chunk begins; starts[n] is text.length + 1. */
  starts: Uint32Array;
}

/** A run of consecutive lines from one build step: the viewer shows it as one collapsible section. */
export interface Section {
  step: number;
  /** Index of its first line. */
  first: number;
  /** Index after its last line. */
  end: number;
  /** Whether it is the first section of its step (a step that comes back after another gets a second section). */
  firstOfStep: boolean;
}

export class LineStore {
  private sealed: Chunk[] = [];
  private open: string[] = [];
  private colored = new Map<number, string>();
  private times = new Float64Array(1024);
  private stepsOf = new Int32Array(1024);
  private count = 0;
  private seenSteps = new Set<number>();
  readonly sections: Section[] = [];
  /** Runs of consecutive seqs: from line `index` on, seqs count up from `seq` (the first run starts at line 0). */
  private runs: { index: number; seq: number }[] = [];

  get length(): number {
    return this.count;
  }

  get lastSeq(): number {
    return this.count ? this.seq(this.count - 1) : 0;
  }

  /** The seq of line i. */
  seq(i: number): number {
    let r = this.runs.length - 1;
    while (r > 0 && this.runs[r]!.index > i) r--;
    const run = this.runs[r]!;
    return run.seq + (i - run.index);
  }

  /**
   * Appends the next line. A seq at or below the last one (a resent overlap) is
   * ignored; one past a gap starts a new run. Returns whether it was added.
   */
  append(seq: number, t: number, step: number, raw: string): boolean {
    const i = this.count;
    if (i === 0 || seq > this.lastSeq + 1) this.runs.push({ index: i, seq });
    else if (seq !== this.lastSeq + 1) return false;
    if (i === this.times.length) {
      this.times = grow(this.times);
      this.stepsOf = grow(this.stepsOf);
    }
    this.times[i] = t;
    this.stepsOf[i] = step;
    let text = raw;
    if (hasAnsi(raw)) {
      text = stripAnsi(raw);
      if (text !== raw) this.colored.set(i, raw);
    }
    // "\n" separates lines inside a chunk; a stored line never holds one (lib/logs/line.ts splits on it), but be sure.
    this.open.push(text.includes("\n") ? text.replaceAll("\n", " ") : text);
    this.count++;
    const last = this.sections.at(-1);
    if (last && last.step === step) last.end = this.count;
    else {
      this.sections.push({ step, first: i, end: this.count, firstOfStep: !this.seenSteps.has(step) });
      this.seenSteps.add(step);
    }
    if (this.open.length === CHUNK_LINES) this.seal();
    return true;
  }

  private seal(): void {
    const starts = new Uint32Array(this.open.length + 1);
    let at = 0;
    for (let k = 0; k < this.open.length; k++) {
      starts[k] = at;
      at += this.open[k]!.length + 1;
    }
    starts[this.open.length] = at;
    this.sealed.push({ text: this.open.join("\n"), starts });
    this.open = [];
  }

  /** The line's text without escape sequences. */
  text(i: number): string {
    const c = Math.floor(i / CHUNK_LINES);
    const k = i - c * CHUNK_LINES;
    const chunk = this.sealed[c];
    if (!chunk) return this.open[k] ?? "";
    return chunk.text.slice(chunk.starts[k], chunk.starts[k + 1]! - 1);
  }

  /** The line's length in characters, without reading its text. */
  textLength(i: number): number {
    const c = Math.floor(i / CHUNK_LINES);
    const k = i - c * CHUNK_LINES;
    const chunk = this.sealed[c];
    if (!chunk) return this.open[k]?.length ?? 0;
    return chunk.starts[k + 1]! - chunk.starts[k]! - 1;
  }

  /** The line as the log has it, escape sequences included (for colours). */
  raw(i: number): string {
    return this.colored.get(i) ?? this.text(i);
  }

  time(i: number): number {
    return this.times[i] ?? NaN;
  }

  step(i: number): number {
    return this.stepsOf[i] ?? -1;
  }

  /** Index of the line with this seq, or -1 when it is not (yet) here (or fell in a cut log's gap). */
  indexOfSeq(seq: number): number {
    for (let r = this.runs.length - 1; r >= 0; r--) {
      const run = this.runs[r]!;
      if (seq < run.seq) continue;
      const i = run.index + (seq - run.seq);
      const end = this.runs[r + 1]?.index ?? this.count;
      return i < end ? i : -1;
    }
    return -1;
  }

  /** How many pieces a search goes through; searchPiece(k) for k below it. */
  get pieces(): number {
    return this.sealed.length + 1;
  }

  /**
   * Indexes of the lines in piece k that hold the needle, case-insensitively, in order (each line once).
   * A sealed chunk is searched as one string with a case-insensitive regular expression of the literal
   * needle: V8 scans it without copying or lowering the text (lowering a million lines' chunks first took
   * several times longer), one scan per match instead of one per line.
   */
  searchPiece(k: number, needle: string, out: number[]): void {
    if (!needle) return;
    const base = k * CHUNK_LINES;
    const chunk = this.sealed[k];
    const pattern = literalPattern(needle);
    if (!chunk) {
      for (let j = 0; j < this.open.length; j++) {
        pattern.lastIndex = 0;
        if (pattern.test(this.open[j]!)) out.push(base + j);
      }
      return;
    }
    const { starts, text } = chunk;
    let line = 0;
    pattern.lastIndex = 0;
    while (pattern.exec(text)) {
      const at = pattern.lastIndex - 1; // inside the match; a needle never spans a line ("\n" is not in it)
      // Lines are found in order: move forward to the line holding the match.
      while (starts[line + 1]! <= at) line++;
      out.push(base + line);
      pattern.lastIndex = starts[line + 1]!;
    }
  }

  /** The matching lines among those from index `from` on (the lines that arrived after a search). */
  searchFrom(from: number, needle: string): number[] {
    const out: number[] = [];
    if (!needle) return out;
    const pattern = literalPattern(needle);
    for (let i = from; i < this.count; i++) {
      pattern.lastIndex = 0;
      if (pattern.test(this.text(i))) out.push(i);
    }
    return out;
  }

  /** Every matching line at once (tests, small logs); the viewer goes piece by piece (searchInSlices). */
  search(needle: string): number[] {
    const out: number[] = [];
    for (let k = 0; k < this.pieces; k++) this.searchPiece(k, needle, out);
    return out;
  }
}

let lastPattern: { needle: string; pattern: RegExp } | null = null;

/** A global, case-insensitive regular expression matching `needle` literally (the last one is reused). */
function literalPattern(needle: string): RegExp {
  if (lastPattern?.needle !== needle) lastPattern = { needle, pattern: new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi") };
  return lastPattern.pattern;
}

function grow<T extends Float64Array | Int32Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}

/**
 * Searches the store a piece at a time, giving the page back between pieces
 * (`yieldToPage`) whenever `sliceMs` has passed, so typing and scrolling stay
 * smooth while a million lines are searched. Resolves to null when aborted.
 */
export async function searchInSlices(
  store: LineStore,
  needle: string,
  { signal, sliceMs = 12, yieldToPage }: { signal?: AbortSignal; sliceMs?: number; yieldToPage: () => Promise<void> },
): Promise<number[] | null> {
  const out: number[] = [];
  let sliceStart = performance.now();
  for (let k = 0; k < store.pieces; k++) {
    if (signal?.aborted) return null;
    store.searchPiece(k, needle, out);
    if (performance.now() - sliceStart > sliceMs && k < store.pieces - 1) {
      await yieldToPage();
      sliceStart = performance.now();
    }
  }
  return signal?.aborted ? null : out;
}
