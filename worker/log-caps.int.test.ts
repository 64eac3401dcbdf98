import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactStore } from "../lib/artifacts";
import type { Actor } from "../lib/auth/current";
import { submitBuild } from "../lib/builds/service";
import { createDb } from "../lib/db/client";
import { readPersistedLines } from "../lib/logs/reader";
import { redis } from "../lib/redis";
import { isTerminal } from "../lib/builds/status";
import { sourceOfVersion, waitUntil } from "../test/builds";
import { WorkerProcess } from "../test/worker-process";

/**
 * A real worker with tiny log limits runs a configure-only build of the 6.1
 * tree: its stored log is cut with a marker and ends with the last lines, and
 * build.log.gz (written as the lines came) stops at its own limit, saying so.
 */
const db = createDb();
let worker: WorkerProcess;
// The default team's owner, as every request acts today.
const actor: Actor = { userId: "default-user", organizationId: "default-team", role: "owner" };
const STREAM_MAX_BYTES = 1024;
const ARTIFACT_MAX_BYTES = 3 * 1024;

async function readArtifact(buildId: string, name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await artifactStore().read(`builds/${buildId}/${name}`)) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  await redis().flushdb();
  worker = await WorkerProcess.start("int-log-caps", {
    KBUILD_LOG_STREAM_MAX_BYTES: String(STREAM_MAX_BYTES),
    KBUILD_LOG_ARTIFACT_MAX_BYTES: String(ARTIFACT_MAX_BYTES),
  });
});

afterAll(async () => {
  await worker?.stop();
  await db.$disconnect();
  redis().disconnect();
});

describe("a worker's log limits", () => {
  // A real build on a machine that may be busy: the suite's 5 minutes are not always enough.
  it("cut the stored log and build.log.gz where the operator set them, and nothing is lost before either cut", { timeout: 1_800_000 }, async () => {
    const source = (await sourceOfVersion(db, "6.1")).name;
    const { id } = await submitBuild(db, actor, { source, profile: "debian-bookworm-llvm14", baseConfig: { kind: "target", target: "tinyconfig" }, options: [], jobs: 2 });
    const build = await waitUntil(
      `build ${id} to end`,
      async () => {
        const b = await db.build.findUnique({ where: { id } });
        return b && isTerminal(b.status) ? b : null;
      },
      1_700_000,
    );
    expect(build.status, build.statusReason ?? "").toBe("succeeded");

    const stored = await readPersistedLines(db, id, 0, undefined, 10_000);
    const cutAt = build.logTruncatedAt!;
    expect(cutAt).toBeGreaterThan(1);
    expect(stored.filter((l) => l.seq < cutAt).map((l) => l.seq)).toEqual(Array.from({ length: cutAt - 1 }, (_, i) => i + 1));
    expect(stored.find((l) => l.seq === cutAt)!.text).toMatch(new RegExp(`^… log truncated after ${cutAt - 1} lines .*the full log is in build\\.log\\.gz`));
    // The end of the log is there: the artifacts the collect step listed, the last line of all.
    expect(stored.at(-1)!.seq).toBe(build.logLines);
    expect(stored.some((l) => /^ {2}build\.log\.gz {2}\d+ bytes {2}sha256 /.test(l.text))).toBe(true);

    const gz = gunzipSync(await readArtifact(id, "build.log.gz")).toString().split("\n").slice(0, -1);
    const fileCut = build.logArtifactTruncatedAt!;
    expect(fileCut).toBeGreaterThan(cutAt);
    expect(gz).toHaveLength(fileCut);
    expect(gz.at(-1)).toMatch(new RegExp(`^… this file stops at line ${fileCut - 1}: the log reached its limit of ${ARTIFACT_MAX_BYTES} bytes`));
    // Every line the file and the stored copy both have is the same line.
    for (const line of stored) {
      if (line.seq < fileCut && line.seq !== cutAt && !line.text.startsWith("… ")) expect(gz[line.seq - 1]).toBe(line.text);
    }
    expect(gz[0]).toMatch(/^▶ Sandbox: /);
  });
});
