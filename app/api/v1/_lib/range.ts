/**
 * HTTP byte ranges (RFC 9110 §14), for one range per request: `bytes=a-b`,
 * `bytes=a-` and `bytes=-n`. Anything we do not serve as a range (several
 * ranges, other units, bad syntax) is ignored and the whole object is sent,
 * which the RFC allows.
 */

export type RangeResult =
  | { kind: "none" }
  | { kind: "range"; start: number; end: number }
  | { kind: "unsatisfiable" };

export function parseRange(header: string | null, size: number): RangeResult {
  if (!header) return { kind: "none" };
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m) return { kind: "none" };
  const [, first, last] = m as unknown as [string, string, string];
  if (first === "" && last === "") return { kind: "none" };

  if (first === "") {
    // Suffix range: the last n bytes.
    const n = Number(last);
    if (!Number.isSafeInteger(n)) return { kind: "none" };
    if (n === 0 || size === 0) return { kind: "unsatisfiable" };
    return { kind: "range", start: Math.max(0, size - n), end: size - 1 };
  }

  const start = Number(first);
  if (!Number.isSafeInteger(start)) return { kind: "none" };
  let end = last === "" ? Number.MAX_SAFE_INTEGER : Number(last);
  if (!Number.isSafeInteger(end)) end = Number.MAX_SAFE_INTEGER;
  if (end < start) return { kind: "none" }; // invalid byte-range-spec: ignore the header
  if (start >= size) return { kind: "unsatisfiable" };
  return { kind: "range", start, end: Math.min(end, size - 1) };
}
