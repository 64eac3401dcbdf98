import failureData from "./failure-patterns.json" with { type: "json" };
import { type Pattern, compilePattern, describePattern } from "./patterns";

/**
 * Judges a boot from its console, line by line. A boot passes when /init
 * reached its end, every module's "insmod ok" marker appeared, every expected
 * pattern appeared, and no kernel failure (panic, Oops, BUG) nor forbidden
 * pattern did. It is decided as soon as that is known: at the done marker, or
 * at the first failure line; the runner then ends QEMU. A boot that never
 * decides (a hang, QEMU exiting early, a cancel) is judged by `end()`.
 */
export interface FailurePattern {
  kind: string;
  regex: string;
}

export const KERNEL_FAILURE_PATTERNS: FailurePattern[] = failureData.patterns;

export type ModuleOutcome = "loaded" | "failed" | "not reached";

export interface Verdict {
  passed: boolean;
  /** One sentence: why it passed or failed. */
  reason: string;
  /** How the boot ended: the init's done marker, a failure line, or the runner's end. */
  ended: "done" | "failure" | "timeout" | "exited" | "canceled";
  modules: { name: string; file: string; outcome: ModuleOutcome; error: string | null }[];
  kernelFailures: { kind: string; line: string }[];
  expected: { pattern: string; seen: boolean }[];
  forbidden: { pattern: string; line: string | null }[];
}

export interface VerdictOptions {
  markerPrefix: string;
  /** The modules in load order: artifact name and initramfs file name. */
  modules: { name: string; file: string }[];
  expect: Pattern[];
  forbid: Pattern[];
  failurePatterns?: FailurePattern[];
}

export class ConsoleVerdict {
  private readonly modules: Verdict["modules"];
  private readonly expected: { pattern: string; seen: boolean; test: (l: string) => boolean }[];
  private readonly forbidden: { pattern: string; line: string | null; test: (l: string) => boolean }[];
  private readonly failures: { kind: string; re: RegExp }[];
  private readonly kernelFailures: Verdict["kernelFailures"] = [];
  private lastInsmodError: string | null = null;
  private doneSeen = false;
  private decided: Verdict | null = null;

  constructor(private readonly o: VerdictOptions) {
    this.modules = o.modules.map((m) => ({ ...m, outcome: "not reached" as ModuleOutcome, error: null }));
    this.expected = o.expect.map((p) => ({ pattern: describePattern(p), seen: false, test: compilePattern(p) }));
    this.forbidden = o.forbid.map((p) => ({ pattern: describePattern(p), line: null, test: compilePattern(p) }));
    this.failures = (o.failurePatterns ?? KERNEL_FAILURE_PATTERNS).map((f) => ({ kind: f.kind, re: new RegExp(f.regex) }));
  }

  /** The verdict, once known. */
  get verdict(): Verdict | null {
    return this.decided;
  }

  /** The modules loaded so far, without deciding anything. */
  progress(): { loaded: string[]; total: number } {
    return { loaded: this.modules.filter((m) => m.outcome === "loaded").map((m) => m.name), total: this.modules.length };
  }

  /** Takes one console line; returns the verdict when this line decides it. */
  observe(line: string): Verdict | null {
    const marker = line.indexOf(this.o.markerPrefix);
    if (marker >= 0) {
      this.onMarker(line.slice(marker + this.o.markerPrefix.length).trim());
    } else {
      if (/^insmod: /.test(line.trim())) this.lastInsmodError = line.trim();
      for (const f of this.failures) {
        if (f.re.test(line)) {
          this.kernelFailures.push({ kind: f.kind, line });
          break;
        }
      }
      // Our own markers are never the user's: only the kernel's and the modules' lines count.
      for (const e of this.expected) if (!e.seen && e.test(line)) e.seen = true;
      for (const f of this.forbidden) if (f.line === null && f.test(line)) f.line = line;
    }
    if (this.decided) return null;
    if (this.kernelFailures.length || this.forbidden.some((f) => f.line !== null)) return this.decide("failure");
    if (this.doneSeen) return this.decide("done");
    return null;
  }

  /** The verdict of a boot that ended without deciding (QEMU exited, the time ran out, a cancel). */
  end(how: "timeout" | "exited" | "canceled", detail: string): Verdict {
    return this.decided ?? this.decide(how, detail);
  }

  private onMarker(rest: string): void {
    if (rest === "done") {
      this.doneSeen = true;
      return;
    }
    const m = /^insmod (ok|failed \(exit (\d+)\)) (\S+)$/.exec(rest);
    if (!m) return;
    const mod = this.modules.find((x) => x.file === m[3]);
    if (!mod) return;
    if (m[1] === "ok") mod.outcome = "loaded";
    else {
      mod.outcome = "failed";
      mod.error = this.lastInsmodError ?? `insmod exited with ${m[2]}`;
    }
    this.lastInsmodError = null;
  }

  private decide(ended: Verdict["ended"], detail = ""): Verdict {
    const failedModules = this.modules.filter((m) => m.outcome === "failed");
    const notReached = this.modules.filter((m) => m.outcome === "not reached");
    const missing = this.expected.filter((e) => !e.seen);
    const forbidden = this.forbidden.filter((f) => f.line !== null);
    const reasons: string[] = [];
    if (this.kernelFailures.length) reasons.push(`the kernel reported a failure (${this.kernelFailures[0]!.kind}): ${this.kernelFailures[0]!.line.trim()}`);
    if (forbidden.length) reasons.push(`forbidden pattern ${forbidden[0]!.pattern} appeared: ${forbidden[0]!.line!.trim()}`);
    for (const m of failedModules) reasons.push(`module ${m.name} did not load: ${m.error}`);
    if (ended === "timeout" || ended === "exited" || ended === "canceled") {
      reasons.push(detail || ended);
    } else if (ended === "done" && notReached.length) {
      reasons.push(`no marker for ${notReached.map((m) => m.name).join(", ")}`);
    }
    if (ended === "done" && missing.length) reasons.push(`expected pattern${missing.length > 1 ? "s" : ""} never appeared: ${missing.map((e) => e.pattern).join(", ")}`);
    const passed = ended === "done" && reasons.length === 0;
    this.decided = {
      passed,
      reason: passed
        ? `booted and loaded ${this.modules.length ? this.modules.map((m) => m.name).join(", ") : "no modules"}${this.expected.length ? `; all ${this.expected.length} expected pattern(s) appeared` : ""}`
        : reasons.join("; "),
      ended,
      modules: this.modules.map((m) => ({ ...m })),
      kernelFailures: [...this.kernelFailures],
      expected: this.expected.map(({ pattern, seen }) => ({ pattern, seen })),
      forbidden: this.forbidden.map(({ pattern, line }) => ({ pattern, line })),
    };
    return this.decided;
  }
}
