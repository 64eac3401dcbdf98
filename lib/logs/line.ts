/**
 * One line of a build's log. `seq` starts at 1 and counts every line the
 * build printed (a log cut at its size limit keeps its last lines with their
 * own seqs, after a gap: lib/logs/cap.ts); it is the line's identity everywhere (Redis Stream entry id `0-<seq>`, the SSE event
 * id, LogChunk ranges, `#L<seq>` permalinks).
 */
export interface LogLine {
  seq: number;
  /** Milliseconds since the epoch when the worker read the line. */
  t: number;
  /** Index of the build step that printed it. */
  step: number;
  text: string;
}

/** The compact form stored in LogChunk.lines and sent over SSE. */
export type LogLineTuple = [seq: number, t: number, step: number, text: string];

export const toTuple = (l: LogLine): LogLineTuple => [l.seq, l.t, l.step, l.text];
export const fromTuple = ([seq, t, step, text]: LogLineTuple): LogLine => ({ seq, t, step, text });

/** Longest line kept; longer ones are cut with a marker so one runaway line cannot exhaust memory. */
export const MAX_LINE_LENGTH = 16 * 1024;

export function clampLine(text: string): string {
  return text.length > MAX_LINE_LENGTH ? `${text.slice(0, MAX_LINE_LENGTH)} … [line cut at ${MAX_LINE_LENGTH} characters]` : text;
}

/**
 * Splits a byte stream into lines. Output arrives in arbitrary chunks; a line
 * is only complete at "\n" (a trailing "\r" is dropped, so CRLF output reads
 * the same). `end()` returns the unterminated last line, if any.
 */
export class LineSplitter {
  private partial = "";
  private readonly decoder = new TextDecoder("utf-8");

  push(chunk: Uint8Array | string): string[] {
    const text = this.partial + (typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true }));
    const parts = text.split("\n");
    this.partial = parts.pop() ?? "";
    if (this.partial.length > MAX_LINE_LENGTH * 4) {
      parts.push(this.partial);
      this.partial = "";
    }
    return parts.map((p) => clampLine(p.endsWith("\r") ? p.slice(0, -1) : p));
  }

  end(): string[] {
    const rest = this.partial + this.decoder.decode();
    this.partial = "";
    return rest ? [clampLine(rest)] : [];
  }
}
