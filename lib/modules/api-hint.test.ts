import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { detectApiMismatch } from "./api-hint";
import { apiFamilyFor } from "./templates";

/** The article's module, in the 2021 out-of-tree API. */
const ARTICLE = readFileSync(path.join(import.meta.dirname, "../../test/fixtures/article-2021-hello_world.rs"), "utf8");

describe("module API hint", () => {
  it("recognises the article's 2021 API on 6.1 and points to the 6.1 template", () => {
    const hint = detectApiMismatch([{ path: "hello_world.rs", content: ARTICLE }], apiFamilyFor("6.1.192")!)!;
    expect(hint.templateId).toBe("linux-6.1-hello-world");
    expect(hint.mismatches.map((m) => [m.line, m.found])).toEqual([
      [1, expect.stringMatching(/^#!\[no_std\]/)],
      [2, expect.stringMatching(/^#!\[feature/)],
      [16, expect.stringMatching(/^impl KernelModule/)],
      [17, expect.stringMatching(/^fn init\(\)/)],
    ]);
    expect(hint.mismatches[2]!.expected).toBe("impl kernel::Module for ...");
  });

  it("on 6.12 also flags byte strings in module!, and points to the 6.12 template", () => {
    const hint = detectApiMismatch([{ path: "hello_world.rs", content: ARTICLE }], apiFamilyFor("6.12.117")!)!;
    expect(hint.templateId).toBe("linux-6.12-hello-world");
    expect(hint.mismatches.filter((m) => m.found.startsWith("module! metadata as byte strings")).map((m) => m.line)).toEqual([8, 9, 10, 11]);
    expect(hint.summary).toMatch(/Linux 6\.12 wants: module! takes string literals/);
  });

  it("flags string literals in module! on 6.1, and only inside module!", () => {
    const code = 'module! {\n    type: A,\n    name: "a",\n    license: "GPL",\n}\nconst X: S = S { name: "x" };\n';
    const hint = detectApiMismatch([{ path: "a.rs", content: code }], apiFamilyFor("6.1")!)!;
    expect(hint.mismatches.map((m) => m.line)).toEqual([3, 4]);
  });

  it("finds nothing in C files or in code of the right API", () => {
    expect(detectApiMismatch([{ path: "a.c", content: "impl KernelModule for X" }], apiFamilyFor("6.1")!)).toBeNull();
    expect(detectApiMismatch([{ path: "a.rs", content: 'module! {\n    name: b"a",\n}\nimpl kernel::Module for A {}\n' }], apiFamilyFor("6.1")!)).toBeNull();
  });
});
