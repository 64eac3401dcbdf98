import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseBuildLog } from ".";

/**
 * Logs captured from real module builds (test/fixtures/logs/<name>.md says how
 * each was made), with the diagnostics a reader finds in them, written by hand.
 */
const DIR = path.join(import.meta.dirname, "../../test/fixtures/logs");
const NAMES = readdirSync(DIR)
  .filter((f) => f.endsWith(".log"))
  .map((f) => f.slice(0, -".log".length))
  .sort();

describe("diagnostics of real build logs", () => {
  it("has a corpus", () => {
    expect(NAMES.length).toBeGreaterThanOrEqual(5);
  });

  it.each(NAMES)("%s", (name) => {
    const log = readFileSync(path.join(DIR, `${name}.log`), "utf8");
    const expected: unknown = JSON.parse(readFileSync(path.join(DIR, `${name}.expected.json`), "utf8"));
    expect(parseBuildLog(log)).toEqual(expected);
  });

  it("finds the same diagnostics when the log arrives line by line", async () => {
    const { DiagnosticParser } = await import("./parser");
    for (const name of NAMES) {
      const lines = readFileSync(path.join(DIR, `${name}.log`), "utf8").split("\n");
      const parser = new DiagnosticParser();
      const streamed = lines.flatMap((line, i) => parser.push(line, i + 1));
      streamed.push(...parser.end());
      expect(streamed.sort((a, b) => a.logLine - b.logLine)).toEqual(parseBuildLog(lines));
    }
  });
});
