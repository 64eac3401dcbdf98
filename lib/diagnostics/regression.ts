import type { BuildDiagnostic, Severity } from "./types";

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
 * The same diagnostic in two builds: same severity, tool, file, code and
 * message. Line and column are left out, since an edit above a warning moves
 * it without making it new; digits in the message are not (a different width
 * is another warning).
 */
const diagnosticKey = (d: BuildDiagnostic) => [d.severity, d.tool, d.root ?? "", d.file ?? "", d.code ?? "", d.message].join("\0");

/**
 * Diagnostics of `current` not in `baseline` (new) and the reverse (fixed), as
 * multisets: twice the same warning where there was one is one new. With
 * `severity`, only those of that severity.
 */
export function compareDiagnostics(current: readonly BuildDiagnostic[], baseline: readonly BuildDiagnostic[], severity?: Severity): { new: BuildDiagnostic[]; fixed: BuildDiagnostic[] } {
  const counted = (d: BuildDiagnostic) => severity === undefined || d.severity === severity;
  const difference = (a: readonly BuildDiagnostic[], b: readonly BuildDiagnostic[]) => {
    const remaining = new Map<string, number>();
    for (const d of b) if (counted(d)) remaining.set(diagnosticKey(d), (remaining.get(diagnosticKey(d)) ?? 0) + 1);
    return a.filter((d) => {
      if (!counted(d)) return false;
      const left = remaining.get(diagnosticKey(d)) ?? 0;
      if (left > 0) remaining.set(diagnosticKey(d), left - 1);
      return left === 0;
    });
  };
  return { new: difference(current, baseline), fixed: difference(baseline, current) };
}

/** The warnings regression: new and fixed warnings; errors are the build's own result. */
export const compareWarnings = (current: readonly BuildDiagnostic[], baseline: readonly BuildDiagnostic[]) => compareDiagnostics(current, baseline, "warning");
