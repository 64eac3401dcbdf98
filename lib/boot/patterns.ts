import { z } from "zod";

/**
 * The user's expected and forbidden console patterns: a literal string, or a
 * regular expression from a subset whose matching time stays bounded on any
 * line. Backtracking engines (V8's included) can take exponential or high
 * polynomial time on patterns with nested or several unbounded repeats, so a
 * regex here may have:
 *   - no backreferences and no lookaround;
 *   - quantifiers on single atoms only (a character, escape, class or "."),
 *     never on a group;
 *   - at most one unbounded repeat (*, +, {n,});
 *   - at most MAX_BRANCHING ways through the rest (alternatives, ?, {n,m}).
 * Patterns are tested against each console line's first MATCH_WINDOW characters.
 */
export const MAX_PATTERN_LENGTH = 200;
export const MAX_PATTERNS = 16;
export const MAX_BRANCHING = 16;
export const MATCH_WINDOW = 512;

export type Pattern = { literal: string } | { regex: string };

/** Why a regex is outside the safe subset, or null when it is inside. */
export function unsafeRegexReason(source: string): string | null {
  try {
    new RegExp(source);
  } catch (err) {
    return `not a valid regular expression: ${(err as Error).message}`;
  }
  let unbounded = 0;
  let branching = 1;
  // Alternatives per open group (index 0: the whole pattern).
  const alternatives: number[] = [1];
  let lastAtom: "none" | "single" | "group" = "none";
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === "\\") {
      const next = source[i + 1] ?? "";
      if (/[1-9]/.test(next) || next === "k") return "backreferences are not allowed";
      i += next === "x" ? 3 : next === "u" ? (source[i + 2] === "{" ? source.indexOf("}", i) - i : 5) : next === "c" ? 2 : 1;
      lastAtom = "single";
    } else if (c === "[") {
      let j = i + 1;
      if (source[j] === "^") j++;
      if (source[j] === "]") j++;
      while (j < source.length && source[j] !== "]") j += source[j] === "\\" ? 2 : 1;
      i = j;
      lastAtom = "single";
    } else if (c === "(") {
      if (source[i + 1] === "?") {
        if (source[i + 2] !== ":") return "only non-capturing groups (?:...) and plain groups are allowed: no lookaround or named groups";
        i += 2;
      }
      alternatives.push(1);
      lastAtom = "none";
    } else if (c === ")") {
      branching *= alternatives.pop()!;
      lastAtom = "group";
    } else if (c === "|") {
      alternatives[alternatives.length - 1]! += 1;
      lastAtom = "none";
    } else if (c === "*" || c === "+" || c === "?" || (c === "{" && /^\{\d+(,\d*)?\}/.test(source.slice(i)))) {
      if (lastAtom === "group") return "a quantifier may not follow a group: repeat single characters or classes only";
      if (lastAtom === "none") return `a quantifier (${c}) must follow a character, class or "."`;
      if (c === "{") {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i))!;
        const min = Number(m[1]);
        if (m[2] && m[3] === "") unbounded++;
        else if (m[2]) branching *= Math.max(1, Number(m[3]) - min + 1);
        i += m[0].length - 1;
      } else if (c === "?") branching *= 2;
      else unbounded++;
      if (source[i + 1] === "?") i++; // lazy: the same bound
      lastAtom = "none";
    } else if (c === "^" || c === "$") {
      lastAtom = "none";
    } else {
      lastAtom = "single";
    }
  }
  branching *= alternatives[0]!;
  if (unbounded > 1) return "at most one unbounded repeat (*, + or {n,}) per pattern; split it into several patterns";
  if (branching > MAX_BRANCHING) return `too many ways to match (${branching}, at most ${MAX_BRANCHING}): fewer alternatives or optional parts`;
  return null;
}

const Text = z
  .string()
  .min(1, "a pattern may not be empty")
  .max(MAX_PATTERN_LENGTH, `at most ${MAX_PATTERN_LENGTH} characters`)
  .refine((s) => !/[\r\n]/.test(s), "console lines have no line breaks: a pattern may not contain one");

export const PatternSchema = z.union([
  z.object({ literal: Text }).strict(),
  z
    .object({ regex: Text })
    .strict()
    .superRefine((p, ctx) => {
      const why = unsafeRegexReason(p.regex);
      if (why) ctx.addIssue({ code: "custom", message: why, path: ["regex"] });
    }),
]);

export const PatternListSchema = z.array(PatternSchema).max(MAX_PATTERNS, `at most ${MAX_PATTERNS} patterns`).default([]);

export function describePattern(p: Pattern): string {
  return "literal" in p ? JSON.stringify(p.literal) : `/${p.regex}/`;
}

/** A test for one console line. */
export function compilePattern(p: Pattern): (line: string) => boolean {
  if ("literal" in p) {
    const text = p.literal;
    return (line) => line.slice(0, MATCH_WINDOW).includes(text);
  }
  const why = unsafeRegexReason(p.regex);
  if (why) throw new Error(`unsafe pattern /${p.regex}/: ${why}`);
  const re = new RegExp(p.regex);
  return (line) => re.test(line.slice(0, MATCH_WINDOW));
}
