import type { LogLine } from "./line";

/** The last `capacity` items pushed; older ones fall out. */
export class RingBuffer<T> {
  private readonly items: T[] = [];
  private start = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`a ring buffer holds at least one item, not ${capacity}`);
  }

  push(item: T): void {
    if (this.items.length < this.capacity) this.items.push(item);
    else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** Oldest first. */
  toArray(): T[] {
    return [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
  }

  get size(): number {
    return this.items.length;
  }
}

/** Bytes a line takes in a log file (UTF-8 and its newline). */
export const lineBytes = (text: string): number => Buffer.byteLength(text) + 1;

const sizeText = (bytes: number) => (bytes < 1024 ** 2 ? `${Math.round(bytes / 1024)} KiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`);

/**
 * Decides, line by line, what the stored copy of a log keeps (the live stream
 * and the database): every line until `maxBytes` of text, then a marker in
 * place of the first line that did not fit, then nothing until `close()`,
 * which gives the last `tailLines` lines, after a gap marker when some were
 * left out. Lines keep their numbers, so the tail's lines are the same
 * `#L<seq>` as in the full log and in the diagnostics; the markers take the
 * numbers of lines the page leaves out.
 */
export class StoredCopyCap {
  private bytes = 0;
  private cut: { seq: number; bytes: number } | null = null;
  private closed = false;
  // One more than shown: when lines were left out between the marker and the tail, the oldest gives its number to the gap marker.
  private readonly tail: RingBuffer<LogLine>;

  constructor(
    private readonly maxBytes: number,
    private readonly tailLines = 200,
    /** Where the whole log is, for the markers' words. */
    private readonly fullLogName = "build.log.gz",
  ) {
    this.tail = new RingBuffer(tailLines + 1);
  }

  /** The number of the first line the stored copy lacks (its cut marker's), or null when nothing was cut. */
  get cutAt(): number | null {
    return this.cut?.seq ?? null;
  }

  /** What to store for this line: the line, the cut marker in its place, or nothing. */
  admit(line: LogLine): LogLine | null {
    if (this.closed) return line;
    if (this.cut) {
      this.tail.push(line);
      return null;
    }
    const size = lineBytes(line.text);
    if (this.bytes + size <= this.maxBytes) {
      this.bytes += size;
      return line;
    }
    this.cut = { seq: line.seq, bytes: this.bytes };
    return {
      ...line,
      text: `… log truncated after ${line.seq - 1} lines (${sizeText(this.bytes)}, the page's limit); the full log is in ${this.fullLogName}, and the last ${this.tailLines} lines follow when it ends`,
    };
  }

  /** The tail to store at the end: nothing when nothing was cut. Lines admitted afterwards are stored as they come. */
  close(): LogLine[] {
    if (this.closed || !this.cut) {
      this.closed = true;
      return [];
    }
    this.closed = true;
    const lines = this.tail.toArray();
    const first = lines[0];
    if (!first || first.seq === this.cut.seq + 1) return lines;
    // The cut marker's line, the lines after it and the one the gap marker replaces are left out.
    const omitted = first.seq - this.cut.seq + 1;
    return [{ ...first, text: `… ${omitted} lines omitted (${this.cut.seq} to ${first.seq}); they are in ${this.fullLogName} …` }, ...lines.slice(1)];
  }
}
