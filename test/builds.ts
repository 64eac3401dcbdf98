import type { PrismaClient } from "../lib/db/client";
import { isTerminal } from "../lib/builds/status";

/** Polls PostgreSQL until the predicate holds. The limit only keeps a broken run from hanging forever. */
export async function waitUntil<T>(what: string, probe: () => Promise<T | null | undefined | false>, limitMs = 600_000): Promise<T> {
  const until = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function waitForEnd(db: PrismaClient, buildId: string) {
  return waitUntil(`build ${buildId} to end`, async () => {
    const b = await db.build.findUnique({ where: { id: buildId }, include: { steps: { orderBy: { index: "asc" } }, artifacts: true } });
    return b && isTerminal(b.status) ? b : null;
  });
}

export function waitForStep(db: PrismaClient, buildId: string, names: string[], status = "running") {
  return waitUntil(`a ${names.join("/")} step of ${buildId} to be ${status}`, () =>
    db.buildStep.findFirst({ where: { buildId, name: { in: names }, status: status as never } }),
  );
}

/** The first ready kernel source of the given major.minor, as the worker registered it. */
export async function sourceOfVersion(db: PrismaClient, majorMinor: string) {
  // By name, so that a test's variant of a tree ("linux-6.1-broken") never stands in for the tree itself.
  const sources = await db.kernelSource.findMany({ where: { status: "ready" }, orderBy: { name: "asc" } });
  const source = sources.find((s) => s.version === majorMinor || s.version?.startsWith(`${majorMinor}.`));
  if (!source) throw new Error(`no ready kernel source ${majorMinor}.x registered (have: ${sources.map((s) => `${s.name} ${s.version}`).join(", ")})`);
  return source;
}
