import type { ApiClient } from "./api-client";
import { CliError } from "./errors";
import { SseParser } from "./sse";

/** [seq, epochMillis, stepIndex, text], as the log stream sends lines. */
type LineTuple = [number, number, number, string];

export interface FollowOptions {
  /** Where each log line goes (with its newline). */
  write: (text: string) => void;
  /** Told about reconnects. */
  note?: (text: string) => void;
  /** Connections in a row that may fail without a line or an end before giving up. */
  maxFailures?: number;
  /** Wait before reconnecting, unless the server asked for less (`retry:`). */
  retryMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Follows a build's log over its Server-Sent Events stream until the build
 * ends, and returns the build's final status. A dropped connection (the web
 * server restarting, a proxy's timeout) is resumed with `Last-Event-ID`, as a
 * browser would, so no line is printed twice or lost.
 */
export async function followLog(client: ApiClient, buildId: string, options: FollowOptions): Promise<string> {
  const { write, note = () => {}, maxFailures = 10, sleep = (ms) => new Promise((r) => setTimeout(r, ms)) } = options;
  let retryMs = options.retryMs ?? 3000;
  let lastSeq = 0;
  let failures = 0;
  for (;;) {
    let progressed = false;
    let why: string;
    try {
      const res = await client.fetch(`/api/v1/builds/${encodeURIComponent(buildId)}/log`, {
        headers: { Accept: "text/event-stream", ...(lastSeq > 0 ? { "Last-Event-ID": String(lastSeq) } : {}) },
      });
      if (!res.ok) {
        const err = await client.failure(res, `no build ${buildId} in this team; kbuild list shows the team's builds`);
        if (res.status < 500) throw err;
        why = err.message;
      } else {
        const parser = new SseParser();
        const decoder = new TextDecoder();
        const reader = res.body!.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          for (const event of parser.push(decoder.decode(value, { stream: true }))) {
            if (event.event === "lines") {
              for (const [seq, , , text] of JSON.parse(event.data) as LineTuple[]) {
                if (seq <= lastSeq) continue;
                write(`${text}\n`);
                lastSeq = seq;
              }
              progressed = true;
            } else if (event.event === "end") {
              await reader.cancel().catch(() => {});
              return (JSON.parse(event.data) as { status: string }).status;
            }
          }
        }
        if (parser.retryMs !== null) retryMs = Math.min(retryMs, parser.retryMs);
        why = "the log stream closed before the build ended";
      }
    } catch (err) {
      if (err instanceof CliError && err.exitCode === 2) throw err;
      if (err instanceof CliError && !/cannot reach kbuild/.test(err.message)) throw err;
      why = err instanceof Error ? err.message : String(err);
    }
    failures = progressed ? 0 : failures + 1;
    if (failures >= maxFailures) {
      throw new CliError(`gave up following build ${buildId} after ${failures} failed connections (${why}); the build goes on: kbuild status ${buildId}`);
    }
    note(`kbuild: ${why}; resuming after line ${lastSeq}\n`);
    await sleep(retryMs);
  }
}
