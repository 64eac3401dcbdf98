import { countDiagnostics } from "./counts";
import { DiagnosticParser } from "./parser";
import type { WarningRegression } from "./regression";
import type { BuildDiagnostic, DiagnosticCounts } from "./types";

/** How many diagnostics a build's record keeps (errors first); the counts cover them all. */
export const KEPT_DIAGNOSTICS = 200;

/** What a build's record holds: the counts, and the diagnostics themselves up to KEPT_DIAGNOSTICS. */
export interface DiagnosticsSummary {
  counts: DiagnosticCounts;
  diagnostics: BuildDiagnostic[];
  /** How many were left out. */
  more: number;
  /** Set when the build ended: its warnings against the previous comparable build (null: there was none). */
  regression?: WarningRegression | null;
}

/**
 * A build's diagnostics as its log streams: every line of every command step,
 * numbered as the log numbers it (so a diagnostic links to its line). Each
 * step ends on its own: make's "Error 2" of one step is not explained by
 * another step's errors.
 */
export class BuildDiagnostics {
  private readonly parser = new DiagnosticParser();
  private summarized = 0;

  /** Diagnostics were found since the last summary (worth writing while a long step runs). */
  get changed(): boolean {
    return this.parser.count !== this.summarized;
  }

  line(seq: number, text: string): void {
    this.parser.push(text, seq);
  }

  endStep(): void {
    this.parser.end();
  }

  summary(limit = KEPT_DIAGNOSTICS): DiagnosticsSummary {
    const all = this.parser.diagnostics;
    this.summarized = all.length;
    const kept = [...all.filter((d) => d.severity === "error"), ...all.filter((d) => d.severity !== "error")].slice(0, limit).sort((a, b) => a.logLine - b.logLine);
    return { counts: countDiagnostics(all), diagnostics: kept, more: all.length - kept.length };
  }
}
