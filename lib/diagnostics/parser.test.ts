import { describe, expect, it } from "vitest";
import { countDiagnostics, DiagnosticParser, firstError, formatDiagnostic, parseBuildLog } from ".";

const brief = (log: string[], options = {}) =>
  parseBuildLog(log, options).map(({ severity, tool, file, line, column, code, message, logLine }) => ({ severity, tool, file, line, column, code, message, logLine }));

describe("DiagnosticParser", () => {
  it("attaches clang's notes and source lines to the diagnostic before them", () => {
    const [d, ...rest] = parseBuildLog([
      "/src/drivers/foo.c:10:5: error: call to undeclared function 'bar' [-Werror,-Wimplicit-function-declaration]",
      "    bar();",
      "    ^",
      "/src/include/linux/foo.h:3:6: note: 'baz' declared here",
      "void baz(void);",
      "     ^",
      "1 error generated.",
    ]);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ tool: "clang", file: "drivers/foo.c", root: "source", line: 10, column: 5, code: "-Wimplicit-function-declaration", message: "call to undeclared function 'bar'" });
    expect(d!.rendered).toHaveLength(6);
  });

  it("keeps clang's include stack with the diagnostic it leads to", () => {
    const [d] = parseBuildLog([
      "In file included from /src/init/main.c:12:",
      "/out/include/generated/x.h:2:1: warning: w [-Wfoo]",
      "int x;",
      "^",
    ]);
    expect(d).toMatchObject({ file: "include/generated/x.h", root: "out", logLine: 2, code: "-Wfoo" });
    expect(d!.rendered[0]).toBe("In file included from /src/init/main.c:12:");
  });

  it("takes clang's and rustc's closing summaries for no diagnostics", () => {
    expect(parseBuildLog(["2 warnings generated.", "1 warning and 1 error generated.", "3 errors generated.", "error: aborting due to 2 previous errors", "warning: 3 warnings emitted", "error: aborting due to previous error; 1 warning emitted"])).toEqual([]);
  });

  it("takes make's Error lines for no root cause when a compiler said why", () => {
    expect(brief(["/module/a.c:1:2: error: oops", "1 error generated.", "make[2]: *** [/src/scripts/Makefile.build:250: /module/a.o] Error 1", "make[1]: *** [/src/Makefile:1992: /module] Error 2", "make: *** [Makefile:5: all] Error 2"])).toEqual([
      { severity: "error", tool: "clang", file: "a.c", line: 1, column: 2, code: null, message: "oops", logLine: 1 },
    ]);
  });

  it("reports make's own error as the root cause only when nothing else explains the failure", () => {
    const alone = ["  CC [M]  /module/a.o", "/bin/sh: 1: clang-99: not found", "make[1]: *** [/src/scripts/Makefile.build:250: /module/a.o] Error 127"];
    expect(brief(alone)).toEqual([{ severity: "error", tool: "make", file: null, line: null, column: null, code: null, message: "clang-99: not found", logLine: 2 }]);
    const explained = ["make[1]: *** No rule to make target 'x.o'.  Stop.", "/module/b.c:3:1: error: real cause", "make: *** [Makefile:1: all] Error 2"];
    expect(brief(explained).map((d) => d.tool)).toEqual(["clang"]);
  });

  it("reports the first failed recipe when the log says nothing else", () => {
    expect(brief(["make[2]: *** [/src/scripts/Makefile.build:250: /module/a.o] Error 1", "make[1]: *** [/src/Makefile:1992: /module] Error 2"])).toEqual([
      { severity: "error", tool: "make", file: "scripts/Makefile.build", line: 250, column: null, code: null, message: "[/src/scripts/Makefile.build:250: /module/a.o] Error 1", logLine: 1 },
    ]);
  });

  it("reads a Makefile's own error with its location", () => {
    expect(brief(["/module/Makefile:2: *** missing separator.  Stop."])).toEqual([
      { severity: "error", tool: "make", file: "Makefile", line: 2, column: null, code: null, message: "missing separator", logLine: 1 },
    ]);
  });

  it("reports a diagnostic parallel make printed twice once", () => {
    const twice = ["/src/kernel/a.c:3:4: warning: unused variable 'x' [-Wunused-variable]", "    int x;", "        ^", "1 warning generated."];
    const found = parseBuildLog([...twice, "  CC      kernel/b.o", ...twice]);
    expect(found).toHaveLength(1);
    expect(found[0]!.logLine).toBe(1);
    // The same message elsewhere is another diagnostic.
    expect(parseBuildLog([...twice, twice[0]!.replace(":3:4:", ":9:4:")])).toHaveLength(2);
  });

  it("reads ld.lld's undefined symbols with their referenced-by lines", () => {
    const [d, ...rest] = parseBuildLog([
      "  LD      vmlinux.o",
      "ld.lld: error: undefined symbol: kbuild_missing",
      ">>> referenced by main.c:42 (/src/init/main.c:42)",
      ">>>               init/main.o:(start_kernel) in archive vmlinux.a",
      "make[1]: *** [/src/scripts/Makefile.vmlinux_o:61: vmlinux.o] Error 1",
    ]);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ severity: "error", tool: "ld.lld", message: "undefined symbol: kbuild_missing", file: "init/main.c", root: "source", line: 42, column: null, logLine: 2 });
    expect(d!.rendered).toHaveLength(3);
  });

  it("reads modpost's errors and warnings with the module they are about", () => {
    expect(brief(['ERROR: modpost: "foo" [/module/m.ko] undefined!', "WARNING: modpost: missing MODULE_LICENSE() in /module/m.o"])).toEqual([
      { severity: "error", tool: "modpost", file: "m.ko", line: null, column: null, code: null, message: '"foo" [/module/m.ko] undefined!', logLine: 1 },
      { severity: "warning", tool: "modpost", file: "m.o", line: null, column: null, code: null, message: "missing MODULE_LICENSE() in /module/m.o", logLine: 2 },
    ]);
  });

  it("ends a block at a stored log's next step header", () => {
    const [d] = parseBuildLog(["/module/a.c:1:2: error: oops", "  x;", "  ^", "▶ Collect artifacts"]);
    expect(d!.rendered).toEqual(["/module/a.c:1:2: error: oops", "  x;", "  ^"]);
  });

  it("reads make's own warnings with their Makefile's location", () => {
    expect(brief(["/module/Makefile:4: warning: overriding recipe for target 'clean'"])).toEqual([
      { severity: "warning", tool: "make", file: "Makefile", line: 4, column: null, code: null, message: "overriding recipe for target 'clean'", logLine: 1 },
    ]);
  });

  it("reads Kconfig's warnings", () => {
    expect(brief(["/out/.config:12:warning: override: reassigning to symbol RUST"])).toEqual([
      { severity: "warning", tool: "kconfig", file: ".config", line: 12, column: null, code: null, message: "override: reassigning to symbol RUST", logLine: 1 },
    ]);
  });

  it("makes paths relative to a source tree mounted elsewhere", () => {
    expect(brief(["/usr/src/linux/mm/a.c:1:1: warning: w"], { source: "/usr/src/linux" })[0]!.file).toBe("mm/a.c");
  });

  it("ends a rustc block at its blank line, and hands diagnostics back as they finish", () => {
    const parser = new DiagnosticParser();
    expect(parser.push("error[E0425]: cannot find value `y` in this scope", 1)).toEqual([]);
    expect(parser.push(" --> /module/a.rs:2:5", 2)).toEqual([]);
    const [d] = parser.push("", 3);
    expect(d).toMatchObject({ tool: "rustc", code: "E0425", file: "a.rs", root: "module", line: 2, column: 5 });
    expect(parser.push("For more information about this error, try `rustc --explain E0425`.", 4)).toEqual([]);
    expect(parser.end()).toEqual([]);
  });

  it("counts per severity and per tool, finds the first error and prints one line each", () => {
    const found = parseBuildLog(["/module/a.c:1:1: warning: w [-Wx]", "error[E0308]: mismatched types", " --> /module/b.rs:3:4", "", 'ERROR: modpost: "f" [/module/m.ko] undefined!']);
    expect(countDiagnostics(found)).toEqual({ error: 2, warning: 1, byTool: { clang: { error: 0, warning: 1 }, rustc: { error: 1, warning: 0 }, modpost: { error: 1, warning: 0 } } });
    expect(firstError(found)!.logLine).toBe(2);
    expect(found.map(formatDiagnostic)).toEqual(["a.c:1:1: warning: w [-Wx]", "b.rs:3:4: error[E0308]: mismatched types", 'm.ko: error: "f" [/module/m.ko] undefined!']);
  });
});
