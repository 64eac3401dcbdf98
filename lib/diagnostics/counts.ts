import type { BuildDiagnostic, DiagnosticCounts } from "./types";

/** How many errors and warnings, in all and per tool. */
export function countDiagnostics(diagnostics: readonly BuildDiagnostic[]): DiagnosticCounts {
  const counts: DiagnosticCounts = { error: 0, warning: 0, byTool: {} };
  for (const d of diagnostics) {
    counts[d.severity]++;
    const tool = (counts.byTool[d.tool] ??= { error: 0, warning: 0 });
    tool[d.severity]++;
  }
  return counts;
}

/** The first error in the log, where "jump to first error" goes. */
export function firstError(diagnostics: readonly BuildDiagnostic[]): BuildDiagnostic | null {
  let first: BuildDiagnostic | null = null;
  for (const d of diagnostics) if (d.severity === "error" && (!first || d.logLine < first.logLine)) first = d;
  return first;
}

/** "hello_c.c:7:6: warning: unused variable 'unused' [-Wunused-variable]" — a diagnostic in one line. */
export function formatDiagnostic(d: BuildDiagnostic): string {
  const where = d.file ? `${d.file}${d.line !== null ? `:${d.line}` : ""}${d.column !== null ? `:${d.column}` : ""}: ` : "";
  const code = d.code === null ? "" : d.tool === "rustc" ? `[${d.code}]` : "";
  const flag = d.code !== null && d.tool !== "rustc" ? ` [${d.code}]` : "";
  return `${where}${d.severity}${code}: ${d.message}${flag}`;
}
