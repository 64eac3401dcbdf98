import { describe, expect, it } from "vitest";
import { useScratchSource } from "../../test/scratch-source";
import { DEFAULT_ACTOR } from "../auth/current";
import { BuildDiagnostics, type DiagnosticsSummary } from "../diagnostics";
import { recordDiagnostics } from "./diagnostics-record";
import { queryHistory } from "./history";

/** A build's diagnostics in the real database: the counts for the list, and its warnings against the right earlier build. */
const { db: database, sourceId: SOURCE } = useScratchSource("diagnostics-src");
let minute = 0;

const warning = (file: string, line: number, name: string) => `/src/${file}:${line}:7: warning: unused variable '${name}' [-Wunused-variable]`;

/** A build of SOURCE whose log printed `lines`, recorded as the worker records it at the end. */
async function buildWithLog(lines: string[], o: { configHash: string; status?: "succeeded" | "failed"; profile?: string }) {
  const row = await database().build.create({
    data: {
      organizationId: DEFAULT_ACTOR.organizationId,
      submitterId: DEFAULT_ACTOR.userId,
      sourceId: SOURCE,
      spec: {},
      profile: o.profile ?? "p1",
      arch: "x86_64",
      baseConfig: "tinyconfig",
      status: o.status ?? "succeeded",
      configHash: o.configHash,
      finishedAt: new Date(Date.UTC(2026, 0, 1, 0, ++minute)),
    },
  });
  const collected = new BuildDiagnostics();
  lines.forEach((text, i) => collected.line(i + 1, text));
  collected.endStep();
  await recordDiagnostics(database(), row, collected, true);
  return database().build.findUniqueOrThrow({ where: { id: row.id } });
}


describe("recorded diagnostics", () => {
  it("compares warnings with the newest succeeded build of the same source, profile and config hash, and lists the counts", async () => {
    const first = await buildWithLog([warning("drivers/a.c", 10, "x")], { configHash: "h1" });
    expect(first).toMatchObject({ errorCount: 0, warningCount: 1, newWarningCount: null, fixedWarningCount: null });

    const baseline = await buildWithLog([warning("drivers/a.c", 10, "x"), warning("drivers/b.c", 3, "y")], { configHash: "h1" });
    // Neither a failed build, another profile's nor another config's is a baseline.
    await buildWithLog([], { configHash: "h1", status: "failed" });
    await buildWithLog([], { configHash: "h1", profile: "p2" });
    await buildWithLog([], { configHash: "h2" });

    const current = await buildWithLog([warning("drivers/a.c", 12, "x"), warning("drivers/c.c", 8, "z"), "/src/kernel/e.c:1:1: error: expected ';' after expression"], { configHash: "h1" });
    expect(current).toMatchObject({ errorCount: 1, warningCount: 2, newWarningCount: 1, fixedWarningCount: 1 });
    const { regression } = current.diagnostics as unknown as DiagnosticsSummary;
    expect(regression).toMatchObject({ baseline: baseline.id, newCount: 1, fixedCount: 1, partial: false });
    expect(regression!.new.map((d) => d.file)).toEqual(["drivers/c.c"]);
    expect(regression!.fixed.map((d) => d.file)).toEqual(["drivers/b.c"]);

    const listed = (await queryHistory(database(), DEFAULT_ACTOR, {}, 200)).builds.find((b) => b.id === current.id);
    expect(listed?.diagnostics).toEqual({ errors: 1, warnings: 2, newWarnings: 1, fixedWarnings: 1 });
  });
});
