import { currentActor } from "@/lib/auth/current";
import { getBuild } from "@/lib/builds/service";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { type LogEvent, followBuildLog, readWholeLog } from "@/lib/logs/reader";
import { createRedis, redis as sharedRedis } from "@/lib/redis";
import { type Params, errorResponse } from "../../../_lib/http";
import { KEEPALIVE, KEEPALIVE_MS, endEvent, linesEvent, resumePoint } from "../../../_lib/sse";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * A build's log.
 *
 * Default: Server-Sent Events from the line after `Last-Event-ID` (or
 * `?after=N`) until the build ends: `lines` events (data: JSON array of
 * [seq, t, step, text]; id: seq of the last line), a `: keepalive` comment
 * every 15 s, and a final `end` event (data: {"status": ...}) after which the
 * stream closes.
 *
 * `?format=text`: the whole log so far as plain text.
 */
export async function GET(request: Request, { params }: Params<{ id: string }>): Promise<Response> {
  let buildId: string;
  try {
    const actor = await currentActor(request);
    buildId = (await getBuild(db(), actor, (await params).id)).id;
  } catch (err) {
    return errorResponse(err, "GET /api/v1/builds/[id]/log");
  }

  const url = new URL(request.url);
  if (url.searchParams.get("format") === "text") {
    try {
      const lines = await readWholeLog(db(), sharedRedis(), config().prefix, buildId);
      const body = lines.length ? lines.map((l) => l.text).join("\n") + "\n" : "";
      return new Response(body, {
        headers: {
          "Content-Type": "text/plain; charset=utf-8",
          "Content-Disposition": `inline; filename="build-${buildId}.log"`,
          "Cache-Control": "no-store",
        },
      });
    } catch (err) {
      return errorResponse(err, "GET /api/v1/builds/[id]/log?format=text");
    }
  }

  const afterSeq = resumePoint(request.headers.get("last-event-id"), url.searchParams.get("after"));
  return new Response(logStream(request.signal, buildId, afterSeq), {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
}

function logStream(requestSignal: AbortSignal, buildId: string, afterSeq: number): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  // Stops the reader when the client goes away or the stream is canceled.
  const abort = new AbortController();
  const onAbort = () => abort.abort();
  requestSignal.addEventListener("abort", onAbort, { once: true });

  // XREAD BLOCK holds its connection, so each follower gets one of its own.
  const redis = createRedis();
  redis.on("error", () => {}); // reported by the failing command; keeps "Unhandled error event" out of the logs
  let keepalive: ReturnType<typeof setInterval> | undefined;
  let cleaned = false;
  const cleanup = () => {
    if (cleaned) return;
    cleaned = true;
    if (keepalive) clearInterval(keepalive);
    requestSignal.removeEventListener("abort", onAbort);
    abort.abort();
    // QUIT waits for a pending XREAD BLOCK (at most its block time); then the connection closes.
    redis.quit().catch(() => redis.disconnect());
  };

  let iterator: AsyncGenerator<LogEvent> | undefined;
  let closed = false;

  return new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          closed = true;
        }
      };
      // Tell the browser how soon to reconnect, and get the headers out at once.
      send("retry: 3000\n: connected\n\n");
      keepalive = setInterval(() => send(KEEPALIVE), KEEPALIVE_MS);
      if (requestSignal.aborted) abort.abort();
      iterator = followBuildLog({ db: db(), redis, prefix: config().prefix, buildId, afterSeq, signal: abort.signal });
    },

    // Pulled one event at a time, so a slow client holds the reader back instead of buffering the whole log.
    async pull(controller) {
      try {
        const next = await iterator!.next();
        if (next.done || abort.signal.aborted) {
          // Stopped without an end event (client gone): the browser would reconnect and resume.
          finish(controller);
          return;
        }
        const event = next.value;
        if (event.type === "lines") {
          if (event.lines.length) controller.enqueue(encoder.encode(linesEvent(event.lines)));
        } else {
          controller.enqueue(encoder.encode(endEvent(event.status)));
          finish(controller);
        }
      } catch (err) {
        if (!abort.signal.aborted) console.error(`[api] log stream of build ${buildId}:`, err);
        // Closing lets EventSource reconnect with Last-Event-ID and resume where it stopped.
        finish(controller);
      }
    },

    cancel() {
      closed = true;
      cleanup();
      void iterator?.return(undefined).catch(() => {});
    },
  });

  function finish(controller: ReadableStreamDefaultController<Uint8Array>) {
    cleanup();
    if (!closed) {
      closed = true;
      try {
        controller.close();
      } catch {
        // already closed or errored
      }
    }
  }
}
