import { compareDiagnostics, type BuildDiagnostic, type DiagnosticsSummary } from "../diagnostics";
import { parseDotConfig } from "../kconfig/dotconfig";

/**
 * Two builds side by side, as a user comparing them wants it: what the
 * resolved .config sets differently, which tool versions differ, which
 * errors and warnings are new or gone, and how artifact sizes and step
 * durations moved. Pure: the caller reads the records and .config files.
 */

export interface ComparedBuild {
  id: string;
  status: string;
  source: string;
  kernelVersion: string | null;
  profile: string;
  baseConfig: string;
  options: { symbol: string; value: string }[];
  toolchain: Record<string, string> | null;
  diagnostics: DiagnosticsSummary | null;
  artifacts: { name: string; size: number; sha256: string }[];
  steps: { name: string; durationMs: number | null }[];
  durationMs: number | null;
  /** The resolved .config, when the build stored one. */
  dotConfig: string | null;
}

export interface ValueChange {
  name: string;
  a: string | null;
  b: string | null;
}

export interface BuildComparison {
  /** Symbols whose resolved value differs ("n" when not set); null when either build has no .config. */
  config: ValueChange[] | null;
  options: ValueChange[];
  toolchain: ValueChange[];
  /** Errors and warnings of b that a does not have (new) and the reverse (fixed). */
  diagnostics: { new: BuildDiagnostic[]; fixed: BuildDiagnostic[] } | null;
  artifacts: { name: string; a: number | null; b: number | null; same: boolean }[];
  steps: { name: string; a: number | null; b: number | null }[];
  durationMs: { a: number | null; b: number | null };
}

/** Every key of either map whose values differ, sorted; a missing key reads as `missing`. */
export function changedValues(a: Map<string, string>, b: Map<string, string>, missing: string | null = null): ValueChange[] {
  const names = [...new Set([...a.keys(), ...b.keys()])].sort();
  return names.map((name) => ({ name, a: a.get(name) ?? missing, b: b.get(name) ?? missing })).filter((c) => c.a !== c.b);
}

const asMap = (record: Record<string, string> | null) => new Map(Object.entries(record ?? {}));

export function compareBuilds(a: ComparedBuild, b: ComparedBuild): BuildComparison {
  const configOf = (x: ComparedBuild) => (x.dotConfig === null ? null : parseDotConfig(x.dotConfig).values);
  const ca = configOf(a);
  const cb = configOf(b);
  const optionsOf = (x: ComparedBuild) => new Map(x.options.map((o) => [`CONFIG_${o.symbol}`, o.value]));
  const artifactNames = [...new Set([...a.artifacts, ...b.artifacts].map((x) => x.name))].sort();
  const stepNames = [...new Set([...a.steps, ...b.steps].map((x) => x.name))];
  return {
    config: ca && cb ? changedValues(new Map([...ca].map(([k, v]) => [`CONFIG_${k}`, v])), new Map([...cb].map(([k, v]) => [`CONFIG_${k}`, v])), "n") : null,
    options: changedValues(optionsOf(a), optionsOf(b)),
    toolchain: changedValues(asMap(a.toolchain), asMap(b.toolchain)),
    diagnostics: a.diagnostics && b.diagnostics ? compareDiagnostics(b.diagnostics.diagnostics, a.diagnostics.diagnostics) : null,
    artifacts: artifactNames.map((name) => {
      const x = a.artifacts.find((f) => f.name === name);
      const y = b.artifacts.find((f) => f.name === name);
      return { name, a: x?.size ?? null, b: y?.size ?? null, same: !!x && !!y && x.sha256 === y.sha256 };
    }),
    steps: stepNames.map((name) => ({ name, a: a.steps.find((s) => s.name === name)?.durationMs ?? null, b: b.steps.find((s) => s.name === name)?.durationMs ?? null })),
    durationMs: { a: a.durationMs, b: b.durationMs },
  };
}
