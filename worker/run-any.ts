import type { BuildStatus } from "../lib/db/client";
import { runBuild } from "./build-runner";
import { type ModuleWorkerContext, runModuleBuild } from "./module-runner";

/**
 * One queue serves both kinds of build; the record says which runner takes it.
 * Answers the build's final status (null: not run) and its team.
 */
export async function runAnyBuild(ctx: ModuleWorkerContext, buildId: string, signal: AbortSignal): Promise<{ status: BuildStatus | null; organizationId: string } | null> {
  const row = await ctx.db.build.findUnique({ where: { id: buildId }, select: { kind: true, organizationId: true } });
  if (!row) return null;
  const status = await (row.kind === "module" ? runModuleBuild(ctx, buildId, signal) : runBuild(ctx, buildId, signal));
  return { status, organizationId: row.organizationId };
}
