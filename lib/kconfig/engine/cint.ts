/**
 * C's strtoll/strtoull as Kconfig uses them: the value, where parsing
 * stopped, and whether it overflowed (errno ERANGE). Kconfig compares and
 * range-checks 64-bit values, so values are bigints.
 */

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const UINT64_MAX = (1n << 64n) - 1n;

export interface ParsedCInt {
  value: bigint;
  /** Index of the first character not used (0 when no digits were found). */
  end: number;
  overflow: boolean;
}

export function strtoll(text: string, base: number, unsigned = false): ParsedCInt {
  let i = 0;
  while (i < text.length && /[ \t\n\v\f\r]/.test(text.charAt(i))) i++;
  let negative = false;
  if (text.charAt(i) === "+" || text.charAt(i) === "-") {
    negative = text.charAt(i) === "-";
    i++;
  }
  const hexPrefix = text.charAt(i) === "0" && (text.charAt(i + 1) === "x" || text.charAt(i + 1) === "X") && /[0-9a-fA-F]/.test(text.charAt(i + 2) ?? "");
  if (base === 0) base = hexPrefix ? 16 : text.charAt(i) === "0" ? 8 : 10;
  if (base === 16 && hexPrefix) i += 2;
  const start = i;
  let magnitude = 0n;
  const big = BigInt(base);
  for (; i < text.length; i++) {
    const digit = parseInt(text.charAt(i), 36);
    if (Number.isNaN(digit) || digit >= base) break;
    magnitude = magnitude * big + BigInt(digit);
  }
  if (i === start) return { value: 0n, end: 0, overflow: false };
  if (unsigned) {
    if (magnitude > UINT64_MAX) return { value: UINT64_MAX, end: i, overflow: true };
    return { value: negative ? BigInt.asUintN(64, -magnitude) : magnitude, end: i, overflow: false };
  }
  const value = negative ? -magnitude : magnitude;
  if (value > INT64_MAX) return { value: INT64_MAX, end: i, overflow: true };
  if (value < INT64_MIN) return { value: INT64_MIN, end: i, overflow: true };
  return { value, end: i, overflow: false };
}
