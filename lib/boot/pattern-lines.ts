/**
 * The boot test form's pattern boxes: one pattern per line; a line starting
 * with "re:" is a regular expression (the rest of the line), any other line a
 * literal string. Blank lines are ignored; trailing spaces are not part of a
 * pattern. The server validates what this produces.
 */
export function parsePatternLines(text: string): ({ literal: string } | { regex: string })[] {
  return text
    .split("\n")
    .map((l) => l.replace(/\r$/, "").trimEnd())
    .filter((l) => l.trim())
    .map((l) => (l.startsWith("re:") ? { regex: l.slice(3) } : { literal: l }));
}
