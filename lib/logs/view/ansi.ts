/**
 * ANSI escape sequences in log text, read into styled spans. Compilers print
 * colours (gcc -fdiagnostics-color, rustc, make's own messages); the viewer
 * shows them, while search and line numbers work on the text without them.
 * Only SGR (`ESC [ ... m`) changes style; every other escape (cursor moves,
 * erase, OSC titles and links) is dropped so it never garbles a line.
 */

export interface AnsiStyle {
  /** CSS colour of the text, or undefined for the default. */
  fg?: string;
  /** CSS colour of the background, or undefined for none. */
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
}

/** The text from `start` to `end` (offsets in the plain text) in one style. */
export interface StyledSpan {
  start: number;
  end: number;
  style: AnsiStyle;
}

export interface ParsedAnsi {
  /** The text without escape sequences. */
  text: string;
  /** Consecutive spans covering all of `text` (none for an empty line). */
  spans: StyledSpan[];
}

/** The 16 colours of xterm's default palette: 0–7 normal, 8–15 bright. */
const PALETTE16 = [
  "#000000", "#cd3131", "#0dbc79", "#e5e510", "#2472c8", "#bc3fbc", "#11a8cd", "#e5e5e5",
  "#666666", "#f14c4c", "#23d18b", "#f5f543", "#3b8eea", "#d670d6", "#29b8db", "#ffffff",
];

/** A colour of the 256-colour palette: 16 system colours, a 6×6×6 cube, 24 greys. */
export function color256(n: number): string | undefined {
  if (!Number.isInteger(n) || n < 0 || n > 255) return undefined;
  if (n < 16) return PALETTE16[n];
  if (n < 232) {
    const c = n - 16;
    const level = (v: number) => (v === 0 ? 0 : 55 + v * 40);
    return rgb(level(Math.floor(c / 36)), level(Math.floor(c / 6) % 6), level(c % 6));
  }
  const g = 8 + (n - 232) * 10;
  return rgb(g, g, g);
}

function rgb(r: number, g: number, b: number): string {
  return `#${[r, g, b].map((v) => Math.max(0, Math.min(255, v)).toString(16).padStart(2, "0")).join("")}`;
}

// CSI (ESC [ params intermediates final), OSC (ESC ] ... BEL or ST), and two-character escapes.
// eslint-disable-next-line no-control-regex
const ESCAPE = /\u001b(?:\[([0-?]*)[ -/]*([@-~])|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])/g;

/** Whether the text holds an escape sequence at all: most lines do not, and skip the parser. */
export const hasAnsi = (text: string): boolean => text.includes("\u001b");

/** The text without escape sequences. */
export function stripAnsi(text: string): string {
  return hasAnsi(text) ? text.replace(ESCAPE, "") : text;
}

/** Applies one SGR sequence's parameters to a style; returns the new style. */
function applySgr(style: AnsiStyle, params: string): AnsiStyle {
  const codes = params === "" ? [0] : params.split(/[;:]/).map((p) => (p === "" ? 0 : Number(p)));
  let s: AnsiStyle = { ...style };
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c === 0) s = {};
    else if (c === 1) s.bold = true;
    else if (c === 2) s.dim = true;
    else if (c === 3) s.italic = true;
    else if (c === 4) s.underline = true;
    else if (c === 22) s.bold = s.dim = undefined;
    else if (c === 23) s.italic = undefined;
    else if (c === 24) s.underline = undefined;
    else if (c >= 30 && c <= 37) s.fg = PALETTE16[c - 30];
    else if (c === 39) s.fg = undefined;
    else if (c >= 40 && c <= 47) s.bg = PALETTE16[c - 40];
    else if (c === 49) s.bg = undefined;
    else if (c >= 90 && c <= 97) s.fg = PALETTE16[c - 90 + 8];
    else if (c >= 100 && c <= 107) s.bg = PALETTE16[c - 100 + 8];
    else if (c === 38 || c === 48) {
      // 38;5;n (256 colours) or 38;2;r;g;b (truecolor); parameters that are missing leave the colour as it was.
      const mode = codes[i + 1];
      let colour: string | undefined;
      if (mode === 5) {
        colour = color256(codes[i + 2] ?? -1);
        i += 2;
      } else if (mode === 2) {
        const [r, g, b] = [codes[i + 2], codes[i + 3], codes[i + 4]];
        if (r !== undefined && g !== undefined && b !== undefined && [r, g, b].every(Number.isFinite)) colour = rgb(r, g, b);
        i += 4;
      } else {
        i += 1;
      }
      if (colour) {
        if (c === 38) s.fg = colour;
        else s.bg = colour;
      }
    }
    // Anything else (blink, inverse, fonts...) is ignored rather than guessed at.
  }
  for (const k of Object.keys(s) as (keyof AnsiStyle)[]) if (s[k] === undefined) delete s[k];
  return s;
}

/** The line's plain text and its styled spans; adjacent spans of the same style are merged. */
export function parseAnsi(input: string): ParsedAnsi {
  if (!hasAnsi(input)) return { text: input, spans: input ? [{ start: 0, end: input.length, style: {} }] : [] };
  let text = "";
  const spans: StyledSpan[] = [];
  let style: AnsiStyle = {};
  let at = 0;
  const emit = (piece: string) => {
    if (!piece) return;
    const start = text.length;
    text += piece;
    const last = spans.at(-1);
    if (last && last.end === start && sameStyle(last.style, style)) last.end = text.length;
    else spans.push({ start, end: text.length, style });
  };
  for (const m of input.matchAll(ESCAPE)) {
    emit(input.slice(at, m.index));
    at = m.index + m[0].length;
    if (m[2] === "m") style = applySgr(style, m[1] ?? "");
  }
  emit(input.slice(at));
  return { text, spans };
}

function sameStyle(a: AnsiStyle, b: AnsiStyle): boolean {
  return a.fg === b.fg && a.bg === b.bg && a.bold === b.bold && a.dim === b.dim && a.italic === b.italic && a.underline === b.underline;
}

/** A piece of a line to render: styled, and marked when it lies in a search match. */
export interface Segment {
  text: string;
  style: AnsiStyle;
  match: boolean;
}

/**
 * Cuts styled spans at the occurrences of a (lower-case) needle, case-insensitively:
 * a match that crosses a colour change is marked in each of its pieces.
 */
export function segments(parsed: ParsedAnsi, needle: string): Segment[] {
  const { text, spans } = parsed;
  const cuts: [number, number][] = [];
  if (needle) {
    const lower = text.toLowerCase();
    for (let i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, i + needle.length)) cuts.push([i, i + needle.length]);
  }
  const out: Segment[] = [];
  let m = 0;
  for (const span of spans) {
    let pos = span.start;
    while (pos < span.end) {
      while (m < cuts.length && cuts[m]![1] <= pos) m++;
      const cut = cuts[m];
      let end: number;
      let match = false;
      if (!cut || cut[0] >= span.end) end = span.end;
      else if (cut[0] > pos) end = cut[0];
      else {
        match = true;
        end = Math.min(cut[1], span.end);
      }
      out.push({ text: text.slice(pos, end), style: span.style, match });
      pos = end;
    }
  }
  return out;
}
