import { type BuildOption, MAX_JOBS, parseOptionLines } from "../lib/builds/spec";

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

export interface FormState {
  source: string;
  profile: string;
  base: BaseTarget | "upload";
  upload: { fileName: string; text: string } | null;
  rust: boolean;
  samples: Record<string, SampleValue>;
  extraText: string;
  jobs: string;
}

export interface BuildRequestBody {
  source: string;
  profile: string;
  arch: "x86_64";
  baseConfig: { kind: "target"; target: BaseTarget } | { kind: "upload"; fileName: string; text: string };
  options: BuildOption[];
  jobs: number;
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
  body: BuildRequestBody | null;
}

export function deriveRequest(state: FormState, rustSamples: RustSamples): Derived {
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
      }
    : null;
  return { options, generated, extraErrors, errors, jobsError, body };
}
