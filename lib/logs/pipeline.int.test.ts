import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ACTOR } from "../auth/current";
import { config } from "../config";
import { createDb } from "../db/client";
import { createRedis } from "../redis";
import type { LogLine } from "./line";
import { followBuildLog, readPersistedLines, readWholeLog } from "./reader";
import { BuildLogWriter } from "./writer";

/** The log pipeline against the real Redis and PostgreSQL: numbering, resume, and no loss. */
const db = createDb();
const redis = createRedis();
const prefix = config().prefix;
const SOURCE = `pipeline-test-${randomUUID().slice(0, 8)}`;

async function newBuild(): Promise<string> {
  const build = await db.build.create({
    data: {
      organizationId: DEFAULT_ACTOR.organizationId,
      submitterId: DEFAULT_ACTOR.userId,
      sourceId: SOURCE,
      spec: {},
      profile: "p",
      arch: "x86_64",
      baseConfig: "tinyconfig",
      status: "running",
    },
  });
  return build.id;
}

async function follow(buildId: string, afterSeq = 0, onLines?: (lines: LogLine[]) => Promise<void>, blockMs = 200) {
  const lines: LogLine[] = [];
  const reader = createRedis();
  let end: string | undefined;
  try {
    for await (const ev of followBuildLog({ db, redis: reader, prefix, buildId, afterSeq, signal: new AbortController().signal, blockMs })) {
      if (ev.type === "end") {
        end = ev.status;
        break;
      }
      lines.push(...ev.lines);
      await onLines?.(ev.lines);
    }
  } finally {
    reader.disconnect();
  }
  return { lines, end };
}

async function finish(buildId: string, writer: BuildLogWriter) {
  await writer.end("succeeded");
  await db.build.update({ where: { id: buildId }, data: { status: "succeeded", logLines: writer.lastSeq } });
}

const seqs = (lines: LogLine[]) => lines.map((l) => l.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

beforeAll(async () => {
  await db.kernelSource.create({ data: { id: SOURCE, name: SOURCE, kind: "directory", location: "/nonexistent", status: "ready" } });
});

afterAll(async () => {
  await db.build.deleteMany({ where: { sourceId: SOURCE } });
  await db.kernelSource.delete({ where: { id: SOURCE } });
  await db.$disconnect();
  redis.disconnect();
});

describe("build log pipeline", () => {
  it("a live follower gets every line once, in order, then the end", async () => {
    const id = await newBuild();
    const writer = new BuildLogWriter(redis, db, id, prefix);
    const following = follow(id);
    for (let i = 1; i <= 5000; i++) {
      writer.write(Math.floor(i / 1000), `line ${i}`);
      if (i % 500 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    await finish(id, writer);
    const { lines, end } = await following;
    expect(end).toBe("succeeded");
    expect(seqs(lines)).toEqual(range(1, 5000));
    expect(lines.map((l) => l.text)).toEqual(range(1, 5000).map((i) => `line ${i}`));
    expect((await readPersistedLines(db, id, 0, undefined, 1000)).length).toBe(5000);
  });

  it("resumes after any line (Last-Event-ID)", async () => {
    const id = await newBuild();
    const writer = new BuildLogWriter(redis, db, id, prefix);
    for (let i = 1; i <= 3000; i++) writer.write(0, `line ${i}`);
    await finish(id, writer);
    const { lines } = await follow(id, 1234);
    expect(seqs(lines)).toEqual(range(1235, 3000));
  });

  it("loses nothing when Redis loses the stream mid-build", async () => {
    const id = await newBuild();
    const writer = new BuildLogWriter(redis, db, id, prefix);
    let flushed = false;
    const following = follow(id, 0, async (batch) => {
      if (!flushed && batch.at(-1)!.seq >= 1000) {
        flushed = true;
        await redis.del(`${prefix}:log:${id}`); // as if Redis restarted empty
      }
    });
    for (let i = 1; i <= 4000; i++) {
      writer.write(0, `line ${i}`);
      if (i % 250 === 0) await new Promise((r) => setTimeout(r, 10));
    }
    await finish(id, writer);
    const { lines, end } = await following;
    expect(flushed).toBe(true);
    expect(end).toBe("succeeded");
    expect(seqs(lines)).toEqual(range(1, 4000));
  });

  it("an old build's reader gets the end right after its stored lines, without waiting on the expired stream", async () => {
    const id = await newBuild();
    const writer = new BuildLogWriter(redis, db, id, prefix);
    for (let i = 1; i <= 2500; i++) writer.write(0, `line ${i}`);
    await finish(id, writer);
    await redis.del(`${prefix}:log:${id}`); // the stream and its end marker expired long ago
    // A reader that blocked on the stream before checking the build would outlast the test's timeout.
    const { lines, end } = await follow(id, 0, undefined, 60_000);
    expect(end).toBe("succeeded");
    expect(seqs(lines)).toEqual(range(1, 2500));
  }, 20_000);

  it("a late reader gets lines already trimmed from the stream from PostgreSQL", async () => {
    const id = await newBuild();
    const writer = new BuildLogWriter(redis, db, id, prefix, { streamTail: 10, persistBatch: 100 });
    for (let i = 1; i <= 2000; i++) writer.write(0, `line ${i}`);
    await writer.flush();
    expect(await redis.xlen(`${prefix}:log:${id}`)).toBeLessThan(200);
    await finish(id, writer);
    expect(seqs((await follow(id)).lines)).toEqual(range(1, 2000));
  });

  it("the plain-text log includes lines not yet persisted", async () => {
    const id = await newBuild();
    const writer = new BuildLogWriter(redis, db, id, prefix, { persistIntervalMs: 60_000, persistBatch: 1_000_000 });
    for (let i = 1; i <= 300; i++) writer.write(0, `line ${i}`);
    await new Promise((r) => setTimeout(r, 200)); // pushed to the stream, not persisted
    expect((await readPersistedLines(db, id, 0)).length).toBe(0);
    expect(seqs(await readWholeLog(db, redis, prefix, id))).toEqual(range(1, 300));
    await finish(id, writer);
  });

  it("splits text with line breaks into lines", async () => {
    const id = await newBuild();
    const writer = new BuildLogWriter(redis, db, id, prefix);
    writer.write(0, "a\nb\nc");
    await finish(id, writer);
    expect((await readPersistedLines(db, id, 0)).map((l) => [l.seq, l.text])).toEqual([[1, "a"], [2, "b"], [3, "c"]]);
  });
});
