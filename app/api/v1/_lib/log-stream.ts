import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { type LogEvent, followBuildLog } from "@/lib/logs/reader";
import type { LogTarget } from "@/lib/logs/target";
import { createRedis } from "@/lib/redis";
import { KEEPALIVE, KEEPALIVE_MS, endEvent, linesEvent } from "./sse";

/**
 * A log as Server-Sent Events, from the line after `afterSeq` until its owner
 * ends (a build, a boot test's console): `lines` events (data: JSON array of
 * [seq, t, step, text]; id: seq of the last line), a `: keepalive` comment
 * every 15 s, and a final `end` event (data: {"status": ...}).
 */
export function logStream(requestSignal: AbortSignal, target: LogTarget, afterSeq: number): ReadableStream<Uint8Array> {
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
      iterator = followBuildLog({ db: db(), redis, prefix: config().prefix, buildId: "", afterSeq, signal: abort.signal, target });
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
        if (!abort.signal.aborted) console.error(`[api] log stream ${target.streamKey}:`, err);
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
