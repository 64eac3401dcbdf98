import type { LogLine, LogLineTuple } from "../../../../lib/logs/line";

/** Server-Sent Events framing for the build log stream. */

export const KEEPALIVE_MS = 15_000;

/** A `lines` event; its id is the seq of its last line, so `Last-Event-ID` resumes right after it. */
export function linesEvent(lines: LogLine[]): string {
  const tuples: LogLineTuple[] = lines.map((l) => [l.seq, l.t, l.step, l.text]);
  // JSON.stringify escapes newlines, so the data is always a single line.
  return `id: ${lines.at(-1)!.seq}\nevent: lines\ndata: ${JSON.stringify(tuples)}\n\n`;
}

export function endEvent(status: string): string {
  return `event: end\ndata: ${JSON.stringify({ status })}\n\n`;
}

export const KEEPALIVE = ": keepalive\n\n";

/**
 * Where to resume: the `Last-Event-ID` header (an EventSource reconnecting),
 * else `?after=N`, else from the first line. Anything that is not a
 * non-negative integer counts as "from the start".
 */
export function resumePoint(lastEventId: string | null, after: string | null): number {
  for (const v of [lastEventId, after]) {
    if (v != null && /^\s*\d{1,15}\s*$/.test(v)) return Number(v);
  }
  return 0;
}
