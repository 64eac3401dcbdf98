import { readArtifactText } from "../artifacts";
import type { Actor } from "../auth/current";
import type { PrismaClient } from "../db/client";
import type { DiagnosticsSummary } from "../diagnostics";
import { type BuildComparison, type ComparedBuild, compareBuilds } from "./compare";
import { RequestError } from "./service";
import type { BuildSpec } from "./spec";

const ms = (from: Date | null, to: Date | null) => (from && to ? to.getTime() - from.getTime() : null);

/** A build of the actor's team as the comparison reads it, its .config from the artifact store; 404 for anything else. */
export async function comparedBuild(db: PrismaClient, actor: Actor, id: string): Promise<ComparedBuild> {
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new RequestError(404, `no such build ${JSON.stringify(id)}`);
  const b = await db.build.findFirst({
    where: { id, organizationId: actor.organizationId },
    include: { source: { select: { name: true } }, steps: { orderBy: { index: "asc" } }, artifacts: { orderBy: { name: "asc" } } },
  });
  if (!b) throw new RequestError(404, `no such build ${id}`);
  const dotConfig = b.artifacts.find((a) => a.name === ".config");
  return {
    id: b.id,
    status: b.status,
    source: b.source.name,
    kernelVersion: b.kernelVersion,
    profile: b.profile,
    baseConfig: b.baseConfig,
    options: (b.spec as unknown as Partial<BuildSpec>).options ?? [],
    toolchain: b.toolchain as Record<string, string> | null,
    diagnostics: b.diagnostics as DiagnosticsSummary | null,
    artifacts: b.artifacts.map((a) => ({ name: a.name, size: Number(a.size), sha256: a.sha256 })),
    steps: b.steps.filter((s) => s.status !== "skipped").map((s) => ({ name: s.name, durationMs: ms(s.startedAt, s.finishedAt) })),
    durationMs: ms(b.startedAt, b.finishedAt),
    dotConfig: dotConfig ? await readArtifactText(dotConfig.storageKey) : null,
  };
}

export interface TeamComparison {
  a: Omit<ComparedBuild, "dotConfig" | "diagnostics">;
  b: Omit<ComparedBuild, "dotConfig" | "diagnostics">;
  comparison: BuildComparison;
}

/** Two builds of the actor's team compared (lib/builds/compare.ts). */
export async function compareTeamBuilds(db: PrismaClient, actor: Actor, aId: string, bId: string): Promise<TeamComparison> {
  const [a, b] = await Promise.all([comparedBuild(db, actor, aId), comparedBuild(db, actor, bId)]);
  const brief = ({ dotConfig: _c, diagnostics: _d, ...rest }: ComparedBuild) => rest;
  return { a: brief(a), b: brief(b), comparison: compareBuilds(a, b) };
}
