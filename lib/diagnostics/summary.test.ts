import { describe, expect, it } from "vitest";
import { BuildDiagnostics } from "./summary";

const warning = (n: number) => `/src/drivers/x${n}.c:${n}:1: warning: unused variable 'v${n}' [-Wunused-variable]`;

describe("a build's diagnostics", () => {
  it("numbers each diagnostic with its log line and ends each step on its own", () => {
    const d = new BuildDiagnostics();
    d.line(7, warning(7));
    d.endStep();
    // A later step whose recipe fails with nothing else said: make's own line is its cause.
    d.line(20, "make[1]: *** [Makefile:1: modules_install] Error 2");
    d.endStep();
    const { counts, diagnostics, more } = d.summary();
    expect(counts).toMatchObject({ error: 1, warning: 1 });
    expect(diagnostics.map((x) => [x.logLine, x.severity, x.tool])).toEqual([
      [7, "warning", "clang"],
      [20, "error", "make"],
    ]);
    expect(diagnostics[0]).toMatchObject({ file: "drivers/x7.c", root: "source", line: 7, code: "-Wunused-variable" });
    expect(more).toBe(0);
  });

  it("keeps the errors first when there are more than it keeps, in log order, and counts them all", () => {
    const d = new BuildDiagnostics();
    for (let i = 1; i <= 5; i++) d.line(i, warning(i));
    d.line(6, "/src/kernel/b.c:1:1: error: expected ';' after expression");
    d.endStep();
    const { counts, diagnostics, more } = d.summary(3);
    expect(counts).toMatchObject({ error: 1, warning: 5 });
    expect(diagnostics.map((x) => x.logLine)).toEqual([1, 2, 6]);
    expect(more).toBe(3);
  });

  it("says when diagnostics were found since the last summary", () => {
    const d = new BuildDiagnostics();
    d.line(1, "  CC      kernel/fork.o");
    expect(d.changed).toBe(false);
    d.line(2, warning(2));
    d.line(3, "  CC      kernel/exit.o");
    expect(d.changed).toBe(true);
    d.summary();
    expect(d.changed).toBe(false);
  });
});
