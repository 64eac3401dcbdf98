import type { BuildDiagnostic } from "./types";

/** How many new and fixed warnings a build's record lists; the counts cover them all. */
export const KEPT_REGRESSION = 50;

/** Warnings against the previous comparable build: what appeared and what went away. */
export interface WarningRegression {
  /** The build compared against. */
  baseline: string;
  newCount: number;
  fixedCount: number;
  new: BuildDiagnostic[];
  fixed: BuildDiagnostic[];
  /** Either side kept only part of its diagnostics: the comparison covers what was kept. */
  partial: boolean;
}

/**
 * The same warning in two builds: same tool, file, code and message. Line and
 * column are left out, since an edit above a warning moves it without making
 * it new; digits in the message are not (a different width is another warning).
 */
const warningKey = (d: BuildDiagnostic) => [d.tool, d.root ?? "", d.file ?? "", d.code ?? "", d.message].join("\0");

/** Warnings of `current` not in `baseline` (new) and the reverse (fixed), as multisets: twice the same warning where there was one is one new. */
export function compareWarnings(current: readonly BuildDiagnostic[], baseline: readonly BuildDiagnostic[]): { new: BuildDiagnostic[]; fixed: BuildDiagnostic[] } {
  const difference = (a: readonly BuildDiagnostic[], b: readonly BuildDiagnostic[]) => {
    const remaining = new Map<string, number>();
    for (const d of b) if (d.severity === "warning") remaining.set(warningKey(d), (remaining.get(warningKey(d)) ?? 0) + 1);
    return a.filter((d) => {
      if (d.severity !== "warning") return false;
      const left = remaining.get(warningKey(d)) ?? 0;
      if (left > 0) remaining.set(warningKey(d), left - 1);
      return left === 0;
    });
  };
  return { new: difference(current, baseline), fixed: difference(baseline, current) };
}
