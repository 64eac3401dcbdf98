import type { BuildStatus } from "../lib/db/client";
import { runBuild } from "./build-runner";
import { type ModuleWorkerContext, runModuleBuild } from "./module-runner";

/** One queue serves both kinds of build; the record says which runner takes it. */
export async function runAnyBuild(ctx: ModuleWorkerContext, buildId: string, signal: AbortSignal): Promise<BuildStatus | null> {
  const row = await ctx.db.build.findUnique({ where: { id: buildId }, select: { kind: true } });
  if (!row) return null;
  return row.kind === "module" ? runModuleBuild(ctx, buildId, signal) : runBuild(ctx, buildId, signal);
}
