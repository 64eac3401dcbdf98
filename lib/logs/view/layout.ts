import type { Section } from "./line-store";

/**
 * Where every row of a virtualized log lies, in pixels, without a DOM node
 * per line: a section header, then (unless the section is collapsed) its
 * lines. Rows are addressed by (section, line) and found by binary search, so
 * a layout costs O(sections) to build when lines are not wrapped (every line
 * is LINE_PX high), and O(lines) when they are (see lineHeights).
 */

export type Row = { kind: "header"; section: number } | { kind: "line"; section: number; line: number };

export interface LayoutInput {
  sections: readonly Section[];
  collapsed: ReadonlySet<number>;
  headerPx: number;
  linePx: number;
  /**
   * With wrap on: cumulative heights, prefix[i] = height of lines 0..i-1
   * (length = lines + 1). Without: every line is linePx high.
   */
  prefix?: Float64Array;
}

export class LogLayout {
  /** Top of each section's header. */
  private readonly tops: Float64Array;
  readonly total: number;

  constructor(private readonly input: LayoutInput) {
    const { sections, collapsed, headerPx } = input;
    this.tops = new Float64Array(sections.length);
    let y = 0;
    sections.forEach((s, k) => {
      this.tops[k] = y;
      y += headerPx + (collapsed.has(k) ? 0 : this.cum(s.end) - this.cum(s.first));
    });
    this.total = y;
  }

  /** Height of lines 0..i-1 laid end to end. */
  private cum(i: number): number {
    return this.input.prefix ? this.input.prefix[i]! : i * this.input.linePx;
  }

  /** Top of a row. */
  top(row: Row): number {
    const base = this.tops[row.section]!;
    if (row.kind === "header") return base;
    const s = this.input.sections[row.section]!;
    return base + this.input.headerPx + this.cum(row.line) - this.cum(s.first);
  }

  height(row: Row): number {
    return row.kind === "header" ? this.input.headerPx : this.cum(row.line + 1) - this.cum(row.line);
  }

  /** The row at a height (clamped to the first and last rows); null for an empty log. */
  rowAt(y: number): Row | null {
    const { sections, collapsed, headerPx } = this.input;
    if (!sections.length) return null;
    let lo = 0;
    let hi = sections.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.tops[mid]! <= y) lo = mid;
      else hi = mid - 1;
    }
    const s = sections[lo]!;
    const inside = y - this.tops[lo]! - headerPx;
    if (inside < 0 || collapsed.has(lo)) return { kind: "header", section: lo };
    // The last line whose top is at or above y.
    const target = this.cum(s.first) + inside;
    let a = s.first;
    let b = s.end - 1;
    while (a < b) {
      const mid = (a + b + 1) >> 1;
      if (this.cum(mid) <= target) a = mid;
      else b = mid - 1;
    }
    return { kind: "line", section: lo, line: a };
  }

  /** The row after this one, or null at the end. */
  next(row: Row): Row | null {
    const { sections, collapsed } = this.input;
    const s = sections[row.section]!;
    if (row.kind === "header" && !collapsed.has(row.section) && s.end > s.first) return { kind: "line", section: row.section, line: s.first };
    if (row.kind === "line" && row.line + 1 < s.end) return { kind: "line", section: row.section, line: row.line + 1 };
    return row.section + 1 < sections.length ? { kind: "header", section: row.section + 1 } : null;
  }

  /** The rows that meet [from, to), in order. */
  rowsBetween(from: number, to: number): Row[] {
    const rows: Row[] = [];
    for (let r = this.rowAt(Math.max(0, from)); r && this.top(r) < to; r = this.next(r)) rows.push(r);
    return rows;
  }
}

/** The section holding a line (binary search over sections in order); -1 when none does. */
export function sectionOfLine(sections: readonly Section[], line: number): number {
  let lo = 0;
  let hi = sections.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = sections[mid]!;
    if (line < s.first) hi = mid - 1;
    else if (line >= s.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/**
 * Cumulative heights of wrapped lines, estimated from their lengths: the log
 * is monospaced and wraps anywhere (`overflow-wrap: anywhere`), so a line of n
 * characters takes ceil(n / columns) rows of linePx (a tab counts as one
 * character: an underestimate). Estimating instead of measuring keeps a million lines cheap to lay
 * out (one pass over lengths, no DOM); rows on screen are rendered in normal
 * flow, so an estimate that is off by a row only shifts the lines below it
 * within the window, never overlaps them.
 */
export class WrappedPrefix {
  private prefix = new Float64Array(1025);
  private count = 0;
  private columns = 0;

  constructor(private readonly linePx: number) {}

  /**
   * The prefix of the first `count` lines (count + 1 entries). A growing log
   * measures only its new lines; another width (or a shorter log) measures all
   * again. The answer is a view: it stays right for the lines it covers.
   */
  update(count: number, lengthOf: (i: number) => number, columns: number): Float64Array {
    const cols = Math.max(1, Math.floor(columns));
    if (cols !== this.columns || count < this.count) {
      this.columns = cols;
      this.count = 0;
    }
    if (count + 1 > this.prefix.length) {
      const bigger = new Float64Array(Math.max(count + 1, this.prefix.length * 2));
      bigger.set(this.prefix.subarray(0, this.count + 1));
      this.prefix = bigger;
    }
    let y = this.count ? this.prefix[this.count]! : 0;
    for (let i = this.count; i < count; i++) {
      this.prefix[i] = y;
      y += Math.max(1, Math.ceil(lengthOf(i) / cols)) * this.linePx;
    }
    this.prefix[count] = y;
    this.count = count;
    return this.prefix.subarray(0, count + 1);
  }
}
