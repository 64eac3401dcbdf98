import { DiagnosticParser, type ParserOptions } from "./parser";
import type { BuildDiagnostic } from "./types";

export { countDiagnostics, firstError, formatDiagnostic } from "./counts";
export { BuildDiagnostics, type DiagnosticsSummary, KEPT_DIAGNOSTICS } from "./summary";
export { compareDiagnostics, compareWarnings, KEPT_REGRESSION, type WarningRegression } from "./regression";
export { DiagnosticParser, type ParserOptions } from "./parser";
export { DEFAULT_PREFIXES, TreePaths, type TreePrefixes } from "./paths";
export type { BuildDiagnostic, DiagnosticCounts, Root, Severity, Tool } from "./types";

/** The diagnostics of a whole log (its text, or its lines), in the order of the log. */
export function parseBuildLog(log: string | readonly string[], options: ParserOptions = {}): BuildDiagnostic[] {
  const lines = typeof log === "string" ? log.split(/\r?\n/) : log;
  const parser = new DiagnosticParser(options);
  lines.forEach((line, i) => parser.push(line, i + 1));
  parser.end();
  return parser.diagnostics;
}
