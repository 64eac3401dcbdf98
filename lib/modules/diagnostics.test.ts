import { describe, expect, it } from "vitest";
import { diagnosticSummary, parseDiagnostics, withSnippets } from "./diagnostics";

/** As rustc 1.63 prints a type error in an out-of-tree module built with M=/module. */
const RUSTC = `  RUSTC [M] /module/hello_world.rs
error[E0308]: mismatched types
  --> /module/hello_world.rs:15:22
   |
15 |         let n: u32 = "one";
   |                ---   ^^^^^ expected \`u32\`, found \`&str\`
   |                |
   |                expected due to this

warning: unused variable: \`x\`
 --> /module/util.rs:3:9
  |
3 |     let x = 1;
  |         ^ help: if this is intentional, prefix it with an underscore: \`_x\`
  |
  = note: \`#[warn(unused_variables)]\` on by default

error: aborting due to previous error; 1 warning emitted

For more information about this error, try \`rustc --explain E0308\`.
make[2]: *** [/src/scripts/Makefile.build:309: /module/hello_world.o] Error 1
make[1]: *** [/src/Makefile:1992: /module] Error 2`.split("\n");

describe("diagnostics", () => {
  it("parses rustc's blocks with the file relative to the module, line, column and code", () => {
    const [error, warning, ...rest] = parseDiagnostics(RUSTC, "/module");
    expect(rest).toEqual([]);
    expect(error).toMatchObject({ severity: "error", code: "E0308", message: "mismatched types", file: "hello_world.rs", line: 15, column: 22, inModule: true });
    expect(error!.rendered[0]).toBe("error[E0308]: mismatched types");
    expect(error!.rendered).toContain("   |                ---   ^^^^^ expected `u32`, found `&str`");
    expect(error!.rendered).not.toContain("");
    expect(warning).toMatchObject({ severity: "warning", code: null, message: "unused variable: `x`", file: "util.rs", line: 3, column: 9 });
    expect(diagnosticSummary(error!)).toBe("hello_world.rs:15:22: error[E0308]: mismatched types");
  });

  it("parses clang's one-line diagnostics, and keeps files outside the module as printed", () => {
    const lines = [
      "  CC [M]  /module/sub/hello_c.c",
      "/module/sub/hello_c.c:7:9: error: use of undeclared identifier 'oops'",
      "        return oops;",
      "               ^",
      "/src/include/linux/printk.h:10:1: warning: something in a header",
      "make[2]: *** [/src/scripts/Makefile.build:250: /module/sub/hello_c.o] Error 1",
    ];
    const [a, b] = parseDiagnostics(lines, "/module");
    expect(a).toMatchObject({ severity: "error", file: "sub/hello_c.c", line: 7, column: 9, inModule: true, message: "use of undeclared identifier 'oops'" });
    expect(a!.rendered).toEqual(lines.slice(1, 4));
    expect(b).toMatchObject({ severity: "warning", file: "/src/include/linux/printk.h", inModule: false });
  });

  it("adds the module's source lines around each diagnostic in its files", () => {
    const source = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join("\n");
    const [d] = withSnippets(parseDiagnostics(RUSTC, "/module"), [{ path: "hello_world.rs", content: source }]);
    expect(d!.snippet).toEqual([13, 14, 15, 16, 17].map((n) => ({ line: n, text: `line ${n}` })));
    const [near] = withSnippets(parseDiagnostics(["error: x", " --> /module/a.rs:1:1"], "/module"), [{ path: "a.rs", content: "only\nsecond" }]);
    expect(near!.snippet).toEqual([{ line: 1, text: "only" }, { line: 2, text: "second" }]);
  });

  it("finds nothing in a clean build, and caps what it keeps", () => {
    expect(parseDiagnostics(["  RUSTC [M] /module/a.o", "  MODPOST /module/Module.symvers", "  LD [M]  /module/a.ko"], "/module")).toEqual([]);
    const many = Array.from({ length: 80 }, (_, i) => `/module/a.c:${i + 1}:1: warning: w`);
    expect(parseDiagnostics(many, "/module")).toHaveLength(50);
  });
});

describe("diagnostics of a module build's failures other than the compiler's", () => {
  it("reports a missing tool, not make's Error lines, and clang's flag in the message", () => {
    const lines = [
      "  CC [M]  /module/hello_c.o",
      "/bin/sh: 1: clang-99: not found",
      "make[1]: *** [/src/scripts/Makefile.build:255: /module/hello_c.o] Error 127",
      "make: *** [/src/Makefile:2065: /module] Error 2",
    ];
    expect(parseDiagnostics(lines, "/module")).toMatchObject([{ severity: "error", file: null, message: "clang-99: not found", inModule: false }]);
    const [w] = parseDiagnostics(["/module/a.c:7:6: warning: unused variable 'unused' [-Wunused-variable]", "        int unused;", "            ^", "1 warning generated."], "/module");
    expect(w).toMatchObject({ code: null, message: "unused variable 'unused' [-Wunused-variable]", file: "a.c", inModule: true });
    expect(w!.rendered).toHaveLength(3);
  });
});
