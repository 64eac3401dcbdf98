import { describe, expect, it } from "vitest";
import { LogLayout, type Row, WrappedPrefix, sectionOfLine } from "./layout";
import type { Section } from "./line-store";

const sections: Section[] = [
  { step: 0, first: 0, end: 3, firstOfStep: true },
  { step: 1, first: 3, end: 4, firstOfStep: true },
  { step: 2, first: 4, end: 10, firstOfStep: true },
];
const layout = (collapsed: number[] = [], prefix?: Float64Array) => new LogLayout({ sections, collapsed: new Set(collapsed), headerPx: 22, linePx: 20, prefix });
const label = (r: Row | null) => (r === null ? null : r.kind === "header" ? `h${r.section}` : `l${r.line}`);

describe("LogLayout", () => {
  it("lays out each section as a header and its lines", () => {
    const l = layout();
    expect(l.total).toBe(3 * 22 + 10 * 20);
    expect(l.top({ kind: "header", section: 1 })).toBe(22 + 60);
    expect(l.top({ kind: "line", section: 2, line: 5 })).toBe(22 + 60 + 22 + 20 + 22 + 20);
    expect(label(l.rowAt(0))).toBe("h0");
    expect(label(l.rowAt(21))).toBe("h0");
    expect(label(l.rowAt(22))).toBe("l0");
    expect(label(l.rowAt(22 + 59))).toBe("l2");
    expect(label(l.rowAt(22 + 60))).toBe("h1");
    expect(label(l.rowAt(1e9))).toBe("l9");
  });

  it("hides a collapsed section's lines and keeps its header", () => {
    const l = layout([0]);
    expect(l.total).toBe(3 * 22 + 7 * 20);
    expect(label(l.rowAt(10))).toBe("h0");
    expect(label(l.rowAt(22))).toBe("h1");
    expect(l.rowsBetween(0, 22 + 22 + 20 + 1).map(label)).toEqual(["h0", "h1", "l3", "h2"]);
  });

  it("walks the rows of a window in order across sections", () => {
    expect(layout().rowsBetween(22 + 40, 22 + 60 + 22 + 20 + 23).map(label)).toEqual(["l2", "h1", "l3", "h2", "l4"]);
  });

  it("uses wrapped heights when given", () => {
    const lengths = [10, 250, 0, 100, 10, 10, 10, 10, 10, 10];
    const prefix = new WrappedPrefix(20).update(lengths.length, (i) => lengths[i]!, 100);
    expect(Array.from(prefix.slice(0, 5))).toEqual([0, 20, 80, 100, 120]);
    const l = layout([], prefix);
    expect(l.height({ kind: "line", section: 0, line: 1 })).toBe(60);
    expect(label(l.rowAt(22 + 20 + 59))).toBe("l1");
    expect(label(l.rowAt(22 + 80))).toBe("l2");
  });
});

describe("WrappedPrefix", () => {
  it("measures only the new lines of a growing log, and all of them again at another width", () => {
    const lengths = Array.from({ length: 3000 }, (_, i) => (i * 37) % 260);
    const measured: number[] = [];
    const lengthOf = (i: number) => (measured.push(i), lengths[i]!);
    const fresh = (count: number, columns: number) => Array.from(new WrappedPrefix(20).update(count, (i) => lengths[i]!, columns));

    const prefix = new WrappedPrefix(20);
    prefix.update(1000, lengthOf, 100);
    measured.length = 0;
    expect(Array.from(prefix.update(3000, lengthOf, 100))).toEqual(fresh(3000, 100));
    expect(measured).toHaveLength(2000);
    expect(measured[0]).toBe(1000);

    measured.length = 0;
    expect(Array.from(prefix.update(3000, lengthOf, 80))).toEqual(fresh(3000, 80));
    expect(measured).toHaveLength(3000);
  });
});

describe("sectionOfLine", () => {
  it("finds the section holding a line", () => {
    expect([0, 2, 3, 4, 9, 10].map((i) => sectionOfLine(sections, i))).toEqual([0, 0, 1, 2, 2, -1]);
  });
});
