import type { BuildStatus } from "../db/generated/enums";

/**
 * The build status machine. queued → running → succeeded | failed | canceled |
 * error; a queued build can also be canceled or end in error without running.
 * `failed` is the build's own fault (a step exited non-zero, an option was
 * dropped); `error` is ours (a worker died, the runtime broke).
 */
const TRANSITIONS: Record<BuildStatus, readonly BuildStatus[]> = {
  queued: ["running", "canceled", "error"],
  running: ["succeeded", "failed", "canceled", "error"],
  succeeded: [],
  failed: [],
  canceled: [],
  error: [],
};

export const TERMINAL_STATUSES: readonly BuildStatus[] = ["succeeded", "failed", "canceled", "error"];

export function isTerminal(status: BuildStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export function canTransition(from: BuildStatus, to: BuildStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The statuses a build may be in for a move to `to` to be legal. */
export function sourcesOf(to: BuildStatus): BuildStatus[] {
  return (Object.keys(TRANSITIONS) as BuildStatus[]).filter((from) => canTransition(from, to));
}
