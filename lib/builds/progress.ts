import type { PrismaClient } from "../db/client";

/**
 * Progress of a `make` step, measured in kbuild's one-line-per-object output
 * ("  CC      init/main.o", "  RUSTC L rust/core.o", "  LD [M]  samples/rust/rust_minimal.ko"):
 * the count so far against the count of the last build of the same source,
 * profile, config and goals. Without such a build there is no estimate.
 */
const OBJECT_LINE = /^ {2}[A-Z][A-Z0-9_-]*(?: \[M\]| [A-Z])?\s+\S/;

export function isObjectLine(line: string): boolean {
  return OBJECT_LINE.test(line);
}

export interface StepProgress {
  done: number;
  /** The previous comparable build's count, or null when there is none. */
  total: number | null;
}

/** 0..1, or null when indeterminate. A build that does more than last time stays just under 1 until it ends. */
export function progressFraction(p: StepProgress): number | null {
  if (!p.total) return null;
  return Math.min(p.done / p.total, 0.99);
}

/**
 * The object count of the last succeeded build of the same source and profile
 * whose resolved .config and goals hash the same (Build.configHash), for the
 * same step: what this build's step will probably count. Null without one.
 */
export async function previousObjectCount(
  db: PrismaClient,
  o: { sourceId: string; profile: string; configHash: string | null; step: string; buildId: string },
): Promise<number | null> {
  if (!o.configHash) return null;
  const previous = await db.buildStep.findFirst({
    where: {
      name: o.step,
      status: "succeeded",
      progressDone: { gt: 0 },
      build: { sourceId: o.sourceId, profile: o.profile, configHash: o.configHash, id: { not: o.buildId } },
    },
    orderBy: { finishedAt: "desc" },
    select: { progressDone: true },
  });
  return previous?.progressDone ?? null;
}
