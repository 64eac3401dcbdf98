import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { diagnosticsCommand } from "./diagnostics";

const LOGS = path.join(import.meta.dirname, "../test/fixtures/logs");
const tmp = mkdtempSync(path.join(os.tmpdir(), "kbuild-diagnostics-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let stdout = "";
let stderr = "";
beforeEach(() => {
  stdout = stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
});
afterEach(() => vi.restoreAllMocks());

describe("kbuild diagnostics", () => {
  it("prints exactly a JSON array of the log's diagnostics with --json, and exits 0 though the log has errors", async () => {
    expect(await diagnosticsCommand([path.join(LOGS, "rust-type-error.log"), "--json"])).toBe(0);
    const printed = JSON.parse(stdout) as Record<string, unknown>[];
    expect(printed).toEqual(JSON.parse(readFileSync(path.join(LOGS, "rust-type-error.expected.json"), "utf8")));
    expect(Object.keys(printed[0]!)).toEqual(expect.arrayContaining(["severity", "file", "line", "column", "code", "message"]));
  });

  it("prints the counts and one line per diagnostic without --json", async () => {
    expect(await diagnosticsCommand([path.join(LOGS, "missing-tool.log")])).toBe(0);
    expect(stdout.split("\n")).toEqual([
      "1 error, 1 warning (make: 1 error, 1 warning)",
      "warning: the compiler differs from the one used to build the kernel  [log line 2]",
      "error: clang-99: not found  [log line 6]",
      "",
    ]);
  });

  it("reads a gzipped log and strips another source prefix", async () => {
    const log = path.join(tmp, "build.log.gz");
    writeFileSync(log, gzipSync("/usr/src/linux/kernel/a.c:3:4: warning: unused variable 'x' [-Wunused-variable]\n"));
    expect(await diagnosticsCommand([log, "--source-prefix", "/usr/src/linux/"])).toBe(0);
    expect(stdout).toContain("kernel/a.c:3:4: warning: unused variable 'x' [-Wunused-variable]");
  });

  it("exits 1 when the log cannot be read and 2 for a usage error", async () => {
    expect(await diagnosticsCommand([path.join(tmp, "missing.log")])).toBe(1);
    expect(stderr).toMatch(/cannot read/);
    expect(await diagnosticsCommand([])).toBe(2);
    expect(await diagnosticsCommand(["a.log", "b.log"])).toBe(2);
    expect(await diagnosticsCommand(["a.log", "--nope"])).toBe(2);
    expect(stdout).toBe("");
  });
});
