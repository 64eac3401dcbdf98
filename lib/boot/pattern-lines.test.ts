import { describe, expect, it } from "vitest";
import { parsePatternLines } from "./pattern-lines";

describe("parsePatternLines", () => {
  it("reads one pattern a line: re: for a regex, anything else literally", () => {
    expect(parsePatternLines("Rust minimal sample (init)\n\nre:^hello_world: .*\r\n  spaced  \n")).toEqual([
      { literal: "Rust minimal sample (init)" },
      { regex: "^hello_world: .*" },
      { literal: "  spaced" },
    ]);
    expect(parsePatternLines("   \n")).toEqual([]);
  });
});
