import type { PlannedStep } from "../lib/builds/plan";
import type { StepStatus } from "../lib/db/client";
import type { BuildDiagnostics } from "../lib/diagnostics";
import type { LogLine } from "../lib/logs/line";
import type { Sandbox } from "./runtimes/runtime";

/**
 * What build, module-build and boot runners share about running commands: a
 * step's command in its sandbox with the outcome in the user's words, and how
 * a run that stopped early ends.
 */

/** Why a run's AbortSignal fired. */
export type AbortReason = "cancel" | "shutdown" | "timeout";

/** A run ends as failed (its own fault) by throwing one of these; anything else unexpected is an error (ours). */
export class BuildFailure extends Error {}

/** Lines of a step's output kept to name the cause when it fails. */
const TAIL_LINES = 200;

export interface CommandOutcome {
  status: StepStatus;
  exitCode: number | null;
  /** Why it did not succeed, naming the cause; null when it did. */
  reason: string | null;
  /** Its last lines. */
  tail: string[];
  /** Stopped by the run's signal (cancel, timeout, shutdown). */
  aborted: boolean;
}

/**
 * Runs the step's command, every line into the log (`write`), the run's
 * diagnostics and `onLine`, and judges how it ended.
 */
export async function runCommandStep(
  sandbox: Sandbox,
  step: PlannedStep & { argv: string[] },
  options: { signal: AbortSignal; timeoutReason: string; write: (text: string) => LogLine; diagnostics: BuildDiagnostics; onLine?: (text: string) => void },
): Promise<CommandOutcome> {
  const tail: string[] = [];
  let firstError: string | null = null;
  const result = await sandbox.run({
    argv: step.argv,
    env: step.env,
    cwd: step.cwd,
    signal: options.signal,
    onLine: (text) => {
      const logged = options.write(text);
      options.diagnostics.line(logged.seq, logged.text);
      options.onLine?.(text);
      tail.push(text);
      if (tail.length > TAIL_LINES) tail.shift();
      if (firstError === null && isErrorLine(text)) firstError = text;
    },
  });
  options.diagnostics.endStep();
  const outcome = (status: StepStatus, reason: string | null): CommandOutcome => ({ status, exitCode: result.exitCode, reason, tail, aborted: result.aborted });
  if (result.aborted) {
    const timedOut = options.signal.reason === "timeout";
    return outcome(timedOut ? "failed" : "canceled", timedOut ? options.timeoutReason : null);
  }
  if (result.oomKilled) {
    return outcome("failed", `step ${step.name} was killed for running out of memory: it used more than the worker's limit (KBUILD_CONTAINER_MEMORY); raise the limit or lower the job count`);
  }
  if (result.exitCode !== 0) return outcome("failed", stepFailureReason(step, result.exitCode, tail, firstError));
  return outcome("succeeded", null);
}

/** How a run that threw ends: its own failure, what stopped it (cancel, timeout, shutdown), or an error of kbuild's. */
export function endOfRun(err: unknown, signal: AbortSignal, context: { timeoutReason: string; workerId: string; what: string }): { status: "failed" | "canceled" | "error"; reason: string } {
  if (err instanceof BuildFailure) return { status: "failed", reason: err.message };
  if (signal.aborted) {
    const why = signal.reason as AbortReason;
    if (why === "cancel") return { status: "canceled", reason: "canceled by a user" };
    if (why === "timeout") return { status: "failed", reason: context.timeoutReason };
    return { status: "error", reason: `worker ${context.workerId} shut down during the ${context.what}` };
  }
  return { status: "error", reason: `kbuild could not run this ${context.what}: ${(err as Error).message}` };
}

/**
 * One sentence naming the cause of a failed step, with the tool's own words:
 * the first compiler or linker error when there is one (with -j, make's last
 * lines are other jobs winding down), else the last line that is not make's.
 */
export function stepFailureReason(step: PlannedStep, exitCode: number | null, tail: string[], firstError: string | null = null): string {
  if (step.name === "rustavailable") {
    return `Rust is not available with this toolchain: ${lastKernelMessage(tail) || tail.at(-1) || "make rustavailable failed"}`;
  }
  const cause = firstError ?? [...tail].reverse().find((l) => l.trim() && !MAKE_NOISE.test(l)) ?? tail.at(-1) ?? "";
  return `step ${step.name} failed (exit code ${exitCode ?? "none"})${cause ? `: ${cause.trim()}` : ""}`;
}

/** clang ("x.c:1:2: error: ...", "fatal error: ..."), rustc ("error[E0425]: ..."), ld.lld ("ld.lld: error: ..."). */
const ERROR_LINE = /(?:^|\s|:)(?:fatal )?error(?:\[E\d{4}\])?: /;

export function isErrorLine(line: string): boolean {
  return ERROR_LINE.test(line) && !MAKE_NOISE.test(line);
}

/** make's own lines, which never name a cause: "make[1]: *** [...] Error 2", "Entering/Leaving directory". */
const MAKE_NOISE = /^make(\[\d+\])?: (\*\*\*|Entering directory|Leaving directory)/;

/**
 * The kernel's scripts explain themselves in blocks framed by bare "***" lines;
 * earlier blocks may be mere warnings ("rustc is too new. This may or may not
 * work."), the last one is the reason it stopped.
 */
function lastKernelMessage(lines: string[]): string {
  const blocks: string[][] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (!line.startsWith("***")) continue;
    const text = line.replace(/^\*+\s?/, "").trim();
    if (text) current.push(text);
    else if (current.length) {
      blocks.push(current);
      current = [];
    }
  }
  if (current.length) blocks.push(current);
  return blocks.at(-1)?.join(" ") ?? "";
}
