import { Prisma, type PrismaClient } from "../db/client";
import { type BuildDiagnostics, type DiagnosticsSummary, compareWarnings, KEPT_REGRESSION, type WarningRegression } from "../diagnostics";

interface RecordedBuild {
  id: string;
  organizationId: string;
  sourceId: string;
  profile: string;
  /** Set once the .config is resolved; without it there is nothing to compare with. */
  configHash: string | null;
  /** The preset it was submitted from, if any. */
  presetId?: string | null;
}

/**
 * The previous comparable build whose warnings a build's are compared with.
 * A build of a preset: the preset's newest succeeded build with diagnostics
 * (the preset is what the team means by "the same build", even after its spec
 * or the tree changed). Otherwise, or when the preset has none yet: the
 * team's newest succeeded build of the same source and profile whose resolved
 * .config and goals hash the same, that has diagnostics.
 */
export async function warningBaseline(db: PrismaClient, build: RecordedBuild): Promise<{ id: string; diagnostics: DiagnosticsSummary } | null> {
  if (build.presetId) {
    const previous = await db.build.findFirst({
      where: {
        organizationId: build.organizationId,
        presetId: build.presetId,
        status: "succeeded",
        id: { not: build.id },
        diagnostics: { not: Prisma.DbNull },
      },
      orderBy: { finishedAt: "desc" },
      select: { id: true, diagnostics: true },
    });
    if (previous) return { id: previous.id, diagnostics: previous.diagnostics as unknown as DiagnosticsSummary };
  }
  if (!build.configHash) return null;
  const previous = await db.build.findFirst({
    where: {
      organizationId: build.organizationId,
      sourceId: build.sourceId,
      profile: build.profile,
      configHash: build.configHash,
      status: "succeeded",
      id: { not: build.id },
      diagnostics: { not: Prisma.DbNull },
    },
    orderBy: { finishedAt: "desc" },
    select: { id: true, diagnostics: true },
  });
  return previous ? { id: previous.id, diagnostics: previous.diagnostics as unknown as DiagnosticsSummary } : null;
}

/**
 * Writes what the build's log has shown so far: the summary and its counts.
 * At the end (`final`), also the warnings new and fixed against the baseline.
 */
export async function recordDiagnostics(db: PrismaClient, build: RecordedBuild, collected: BuildDiagnostics, final = false): Promise<void> {
  const summary: DiagnosticsSummary = collected.summary();
  let regression: WarningRegression | null = null;
  if (final) {
    const baseline = await warningBaseline(db, build);
    if (baseline) {
      const { new: added, fixed } = compareWarnings(summary.diagnostics, baseline.diagnostics.diagnostics);
      regression = {
        baseline: baseline.id,
        newCount: added.length,
        fixedCount: fixed.length,
        new: added.slice(0, KEPT_REGRESSION),
        fixed: fixed.slice(0, KEPT_REGRESSION),
        partial: summary.more > 0 || baseline.diagnostics.more > 0,
      };
    }
  }
  await db.build.update({
    where: { id: build.id },
    data: {
      diagnostics: { ...summary, regression } as unknown as Prisma.InputJsonValue,
      errorCount: summary.counts.error,
      warningCount: summary.counts.warning,
      newWarningCount: regression?.newCount ?? null,
      fixedWarningCount: regression?.fixedCount ?? null,
    },
  });
}
