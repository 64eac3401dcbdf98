import type { BuildStatus } from "../db/generated/enums";
import { isTerminal } from "../builds/status";
import type { RetentionRules } from "./policy";

/** What retention needs to know of one build to decide. */
export interface RetentionCandidate {
  id: string;
  organizationId: string;
  status: BuildStatus;
  pinned: boolean;
  createdAt: Date;
  finishedAt: Date | null;
  /** Already removed: nothing more to do. */
  artifactsPurgedAt: Date | null;
  /** Artifacts retention may still remove (not the kept record files, not removed already). */
  removableArtifacts: number;
  /** A queued or running module build needs its module kit, or a queued or running boot test its kernel or modules. */
  inUse: boolean;
}

export interface PurgeDecision {
  id: string;
  /** Which rule removes it: "beyond the 5 newest", "older than 30 days". */
  rule: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Which of a team's builds lose their artifacts under `policy` at `now`. Pure.
 *
 * The count ranks the team's finished builds newest first by creation (the
 * build list's order); pinned builds keep theirs and take no place in it, so
 * pinning never pushes another build out. The age counts from when a build
 * finished, when its artifacts were made. Queued and running builds, builds in
 * use and other teams' builds are never chosen.
 */
export function selectForPurge(builds: readonly RetentionCandidate[], policy: RetentionRules, organizationId: string, now: Date): PurgeDecision[] {
  const ranked = builds
    .filter((b) => b.organizationId === organizationId && isTerminal(b.status) && !b.pinned)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
  const decisions: PurgeDecision[] = [];
  ranked.forEach((b, rank) => {
    if (b.artifactsPurgedAt || b.removableArtifacts === 0 || b.inUse) return;
    const finished = b.finishedAt ?? b.createdAt;
    if (policy.keepNewest !== null && rank >= policy.keepNewest) {
      decisions.push({ id: b.id, rule: `beyond the ${policy.keepNewest} newest` });
    } else if (policy.keepDays !== null && now.getTime() - finished.getTime() > policy.keepDays * DAY_MS) {
      decisions.push({ id: b.id, rule: `older than ${policy.keepDays} day${policy.keepDays === 1 ? "" : "s"}` });
    }
  });
  return decisions;
}
