import { type BuildOption, MAX_JOBS, parseOptionLines } from "../lib/builds/spec";
import { type BuildTarget, withDependencies } from "../lib/builds/targets";

/**
 * The new-build form's state turned into the POST /api/v1/builds body, with
 * everything the form can tell the user before the server does. Pure, so it
 * runs in the browser on every keystroke and in unit tests.
 */

export type SampleValue = "y" | "m" | "n";
export type BaseTarget = "tinyconfig" | "defconfig" | "allnoconfig";

export interface RustSample {
  symbol: string;
  type: "bool" | "tristate";
  prompt: string | null;
}

export interface RustSamples {
  menuSymbol: string | null;
  enable: string[];
  samples: RustSample[];
}

const bare = (symbol: string) => symbol.replace(/^CONFIG_/, "");

/** A source's `rustSamples` as stored (an empty `[]` until the source is prepared). */
export function normalizeRustSamples(raw: unknown): RustSamples {
  const empty: RustSamples = { menuSymbol: null, enable: [], samples: [] };
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return empty;
  const r = raw as Partial<RustSamples>;
  return {
    menuSymbol: typeof r.menuSymbol === "string" ? bare(r.menuSymbol) : null,
    enable: Array.isArray(r.enable) ? r.enable.filter((s): s is string => typeof s === "string").map(bare) : [],
    samples: Array.isArray(r.samples)
      ? r.samples
          .filter((s): s is RustSample => !!s && typeof s === "object" && typeof (s as RustSample).symbol === "string")
          .map((s) => ({ symbol: bare(s.symbol), type: s.type === "tristate" ? "tristate" : "bool", prompt: s.prompt ?? null }))
      : [],
  };
}

export function allowedValues(type: RustSample["type"]): SampleValue[] {
  return type === "tristate" ? ["y", "m", "n"] : ["y", "n"];
}

/** What the form needs to know of a build target (plain data, passed from the server page). */
export type TargetInfo = Pick<BuildTarget, "name" | "title" | "description" | "dependsOn" | "preconditions">;

/** Checked on a new form: a bootable kernel, its modules and the kit to build more modules. */
export const DEFAULT_TARGETS = ["kernel", "modules", "module-kit"];

/** `names` and everything they depend on, directly or not, in build order; unknown names are dropped. */
export function selectedWithDependencies(catalogue: readonly TargetInfo[], names: readonly string[]): string[] {
  const known = names.filter((n) => catalogue.some((c) => c.name === n));
  return withDependencies(catalogue, known).map((t) => t.name);
}

/** What `name` depends on, directly or not (itself excluded), in catalogue order. */
export function dependenciesOf(catalogue: readonly TargetInfo[], name: string): string[] {
  return selectedWithDependencies(catalogue, [name]).filter((n) => n !== name);
}

/** What depends on `name`, directly or not (itself excluded), in catalogue order. */
export function dependentsOf(catalogue: readonly TargetInfo[], name: string): string[] {
  return catalogue.filter((t) => t.name !== name && dependenciesOf(catalogue, t.name).includes(name)).map((t) => t.name);
}

/**
 * The selection after checking (`on`) or unchecking a target: checking one
 * checks what it depends on, unchecking one unchecks what depends on it.
 */
export function toggleTarget(catalogue: readonly TargetInfo[], selected: readonly string[], name: string, on: boolean): string[] {
  if (on) return selectedWithDependencies(catalogue, [...selected, name]);
  const off = new Set([name, ...dependentsOf(catalogue, name)]);
  return selectedWithDependencies(catalogue, selected).filter((n) => !off.has(n));
}

/** The requirements a target's checkbox mentions: "needs CONFIG_MODULES=y", "also builds modules". */
export function targetHints(catalogue: readonly TargetInfo[], target: TargetInfo): string[] {
  const hints = target.preconditions.map((p) => `needs CONFIG_${p.config}=${p.equals}`);
  const deps = dependenciesOf(catalogue, target.name);
  if (deps.length) hints.push(`also builds ${deps.join(", ")}`);
  return hints;
}

/** Base configurations that turn off every option they can. */
const MINIMAL_BASES: readonly string[] = ["tinyconfig", "allnoconfig"];

/**
 * Why selected targets will probably be skipped: a precondition the requested
 * options contradict, or one a minimal base configuration leaves off. Advice
 * only: the worker decides from the resolved .config.
 */
function targetWarnings(catalogue: readonly TargetInfo[], targets: readonly string[], base: FormState["base"], options: readonly BuildOption[]): string[] {
  const warnings: string[] = [];
  const warned = new Set<string>();
  for (const t of catalogue) {
    if (!targets.includes(t.name) || warned.has(t.name)) continue;
    for (const p of t.preconditions) {
      const requested = options.find((o) => o.symbol === p.config)?.value;
      let why: string | null = null;
      if (requested !== undefined && requested !== p.equals) why = `the options above set CONFIG_${p.config}=${requested}`;
      else if (requested === undefined && p.equals === "y" && MINIMAL_BASES.includes(base)) {
        why = `${base} leaves CONFIG_${p.config} off unless you add CONFIG_${p.config}=${p.equals} under Extra options`;
      }
      if (!why) continue;
      const affected = [t.name, ...dependentsOf(catalogue, t.name).filter((d) => targets.includes(d))];
      affected.forEach((a) => warned.add(a));
      warnings.push(`${t.name} needs CONFIG_${p.config}=${p.equals}, but ${why}: the build will skip ${affected.join(" and ")}`);
      break;
    }
  }
  return warnings;
}

export interface FormState {
  source: string;
  profile: string;
  base: BaseTarget | "upload";
  upload: { fileName: string; text: string } | null;
  rust: boolean;
  samples: Record<string, SampleValue>;
  extraText: string;
  jobs: string;
  /** Checked targets; none: a configure-only build. */
  targets: string[];
}

export interface BuildRequestBody {
  source: string;
  profile: string;
  arch: "x86_64";
  baseConfig: { kind: "target"; target: BaseTarget } | { kind: "upload"; fileName: string; text: string };
  options: BuildOption[];
  jobs: number;
  /** In catalogue order, with their dependencies; empty: configure only. */
  targets: string[];
}

export interface Derived {
  /** Every option the request will carry, in order. */
  options: BuildOption[];
  /** Options the Rust toggle and samples add. */
  generated: BuildOption[];
  /** Per-line problems in the Extra options box. */
  extraErrors: string[];
  /** Anything else that blocks submitting. */
  errors: string[];
  jobsError: string | null;
  /** What the request will build (catalogue order, dependencies included); empty: configure only. */
  targets: string[];
  /** Selected targets the options make unbuildable (they do not block submitting). */
  targetWarnings: string[];
  body: BuildRequestBody | null;
}

export function deriveRequest(state: FormState, rustSamples: RustSamples, catalogue: readonly TargetInfo[]): Derived {
  const generated: BuildOption[] = [];
  const push = (symbol: string, value: string) => {
    if (!generated.some((o) => o.symbol === symbol)) generated.push({ symbol, value });
  };
  const chosen = rustSamples.samples
    .map((s) => {
      const v = state.samples[s.symbol] ?? "n";
      // A bool cannot be m; the select never offers it, but state can outlive a source switch.
      return { symbol: s.symbol, value: v === "m" && s.type === "bool" ? "y" : v };
    })
    .filter((s) => s.value !== "n");
  if (state.rust || chosen.length) push("RUST", "y");
  if (chosen.length) {
    for (const symbol of rustSamples.enable) push(symbol, "y");
    for (const s of chosen) push(s.symbol, s.value);
  }

  const extra = parseOptionLines(state.extraText);
  const extraErrors = [...extra.errors];
  const seen = new Set<string>();
  for (const o of extra.options) {
    if (generated.some((g) => g.symbol === o.symbol)) {
      extraErrors.push(`CONFIG_${o.symbol} is already set by the Rust settings above; remove it here or change it there`);
    } else if (seen.has(o.symbol)) {
      extraErrors.push(`CONFIG_${o.symbol} appears more than once`);
    }
    seen.add(o.symbol);
  }

  const errors: string[] = [];
  if (!state.source) errors.push("choose a kernel source");
  if (!state.profile) errors.push("choose a toolchain profile");
  if (state.base === "upload" && !state.upload) errors.push("choose a .config file to upload");

  const jobs = Number(state.jobs);
  const jobsError =
    state.jobs.trim() === "" || !Number.isInteger(jobs) || jobs < 1 || jobs > MAX_JOBS ? `parallel jobs must be a whole number from 1 to ${MAX_JOBS}` : null;
  if (jobsError) errors.push(jobsError);

  const options = [...generated, ...extra.options];
  const targets = selectedWithDependencies(catalogue, state.targets);
  const ok = !errors.length && !extraErrors.length;
  const body: BuildRequestBody | null = ok
    ? {
        source: state.source,
        profile: state.profile,
        arch: "x86_64",
        baseConfig:
          state.base === "upload"
            ? { kind: "upload", fileName: state.upload!.fileName, text: state.upload!.text }
            : { kind: "target", target: state.base },
        options,
        jobs,
        targets,
      }
    : null;
  return { options, generated, extraErrors, errors, jobsError, targets, targetWarnings: targetWarnings(catalogue, targets, state.base, options), body };
}
