import { describe, expect, it } from "vitest";
import { ApiClient } from "./api-client";
import { followLog } from "./follow";

const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => [from + i, 0, 0, `line ${from + i}`]);
const linesEvent = (tuples: unknown[][]) => `id: ${(tuples.at(-1) as number[])[0]}\nevent: lines\ndata: ${JSON.stringify(tuples)}\n\n`;

/** A server whose answers are given in order; records each request's Last-Event-ID. */
function server(answers: (() => Response)[]) {
  const resumedFrom: (string | null)[] = [];
  const fetchImpl = (async (_url: URL, init?: RequestInit) => {
    resumedFrom.push(new Headers(init?.headers).get("last-event-id"));
    const next = answers.shift();
    if (!next) throw new Error("no more answers");
    return next();
  }) as typeof fetch;
  return { client: new ApiClient(new URL("http://kbuild.test"), undefined, fetchImpl), resumedFrom };
}

const stream = (...chunks: string[]) => () => new Response(chunks.join(""), { headers: { "Content-Type": "text/event-stream" } });

describe("following a build's log", () => {
  it("prints every line once across a dropped connection, resuming after the last line printed, and returns the final status", async () => {
    const { client, resumedFrom } = server([
      stream("retry: 3000\n: connected\n\n", linesEvent(lines(1, 3))),
      // The server resends line 3 (say, after a restart), then the rest and the end.
      stream(linesEvent(lines(3, 5)), 'event: end\ndata: {"status":"failed"}\n\n'),
    ]);
    const out: string[] = [];
    const notes: string[] = [];
    const status = await followLog(client, "b1", { write: (t) => out.push(t), note: (t) => notes.push(t), sleep: async () => {} });
    expect(status).toBe("failed");
    expect(out.join("")).toBe("line 1\nline 2\nline 3\nline 4\nline 5\n");
    expect(resumedFrom).toEqual([null, "3"]);
    expect(notes.join("")).toMatch(/closed before the build ended; resuming after line 3/);
  });

  it("retries a server error and gives up after failed connections in a row, saying the build goes on", async () => {
    const failing = () => Response.json({ error: "internal error" }, { status: 500 });
    const { client } = server([failing, failing, failing]);
    await expect(followLog(client, "b1", { write: () => {}, maxFailures: 3, sleep: async () => {} })).rejects.toThrow(
      /gave up following build b1 after 3 failed connections \(the server failed \(500 internal error\).*kbuild status b1/,
    );
  });

  it("stops at once on a refusal: an unknown build, a bad token", async () => {
    const unknown = server([() => Response.json({ error: "no such build" }, { status: 404 })]);
    await expect(followLog(unknown.client, "b1", { write: () => {}, sleep: async () => {} })).rejects.toThrow(/no build b1 in this team; kbuild list/);
    const refused = server([() => Response.json({ error: "API token kb_abcd… was revoked" }, { status: 401 })]);
    await expect(followLog(refused.client, "b1", { write: () => {}, sleep: async () => {} })).rejects.toThrow(/was revoked/);
    expect(refused.resumedFrom).toHaveLength(1); // no retry
  });
});
