import { describe, expect, it } from "vitest";
import { color256, parseAnsi, segments, stripAnsi } from "./ansi";

const E = "\u001b";

describe("parseAnsi", () => {
  it("keeps a plain line as one unstyled span", () => {
    expect(parseAnsi("  CC      init/main.o")).toEqual({ text: "  CC      init/main.o", spans: [{ start: 0, end: 21, style: {} }] });
    expect(parseAnsi("")).toEqual({ text: "", spans: [] });
  });

  it("reads gcc's coloured diagnostic into styled spans", () => {
    // As gcc -fdiagnostics-color prints it.
    const line = `${E}[01m${E}[Kinit/main.c:12:5:${E}[m${E}[K ${E}[01;31m${E}[Kerror: ${E}[m${E}[Kexpected ';'`;
    const { text, spans } = parseAnsi(line);
    expect(text).toBe("init/main.c:12:5: error: expected ';'");
    expect(spans).toEqual([
      { start: 0, end: 17, style: { bold: true } },
      { start: 17, end: 18, style: {} },
      { start: 18, end: 25, style: { bold: true, fg: "#cd3131" } },
      { start: 25, end: 37, style: {} },
    ]);
  });

  it("reads bright colours, backgrounds and resets of single attributes", () => {
    const { spans } = parseAnsi(`${E}[93;44mwarn${E}[39mbg${E}[49;22mplain`);
    expect(spans.map((s) => s.style)).toEqual([{ fg: "#f5f543", bg: "#2472c8" }, { bg: "#2472c8" }, {}]);
  });

  it("reads 256-colour and truecolor, and ignores a truncated one without garbling the text", () => {
    const { text, spans } = parseAnsi(`${E}[38;5;196mred${E}[48;2;10;20;30mon blue${E}[38;5mX${E}[0m`);
    expect(text).toBe("redon blueX");
    expect(spans[0]!.style).toEqual({ fg: "#ff0000" });
    expect(spans[1]!.style).toEqual({ fg: "#ff0000", bg: "#0a141e" });
    expect(spans.at(-1)!.end).toBe(text.length);
  });

  it("drops escapes that are not SGR: cursor moves, erase, OSC titles and hyperlinks", () => {
    const line = `${E}[2K${E}[1Gstep ${E}]0;title${E}\\${E}]8;;https://x${E}\\link${E}]8;;${E}\\ done${E}[?25h`;
    expect(parseAnsi(line).text).toBe("step link done");
    expect(stripAnsi(line)).toBe("step link done");
  });

  it("strips colours and leaves plain text as it is", () => {
    expect(stripAnsi(`${E}[1;31merror:${E}[0m boom`)).toBe("error: boom");
    expect(stripAnsi("plain")).toBe("plain");
  });
});

describe("color256", () => {
  it("maps the system colours, the cube and the grey ramp", () => {
    expect(color256(1)).toBe("#cd3131");
    expect(color256(16)).toBe("#000000");
    expect(color256(231)).toBe("#ffffff");
    expect(color256(232)).toBe("#080808");
    expect(color256(256)).toBeUndefined();
  });
});

describe("segments", () => {
  it("marks every case-insensitive match, cutting across colour changes", () => {
    const parsed = parseAnsi(`${E}[31mErr${E}[0mor: one ERROR`);
    const segs = segments(parsed, "error");
    expect(segs.map((s) => [s.text, s.match, s.style.fg ?? null])).toEqual([
      ["Err", true, "#cd3131"],
      ["or", true, null],
      [": one ", false, null],
      ["ERROR", true, null],
    ]);
    expect(segs.map((s) => s.text).join("")).toBe(parsed.text);
  });

  it("leaves a line without the needle whole", () => {
    expect(segments(parseAnsi("nothing here"), "error")).toEqual([{ text: "nothing here", style: {}, match: false }]);
  });
});
