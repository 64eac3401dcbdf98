import { describe, expect, it } from "vitest";
import { fileNameProblem, moduleRequestSchema } from "./files";
import { loadModuleLimits } from "./limits";

describe("module file names", () => {
  it.each(["Makefile", "Kbuild", "hello_world.rs", "src/helpers.h", "a/b/c/d.c", "x+y-1.rs"])("accepts %s", (name) => {
    expect(fileNameProblem(name)).toBeNull();
  });

  it.each([
    ["", /empty/],
    ["/etc/passwd", /absolute path/],
    ["../escape.rs", /leaves the module's directory/],
    ["a/../../b.rs", /leaves the module's directory/],
    ["../../etc/cron.d/x", /leaves the module's directory/],
    [".hidden.rs", /hidden/],
    [".git/config", /hidden/],
    ["src/.cache/x.rs", /hidden/],
    ["a\\b.rs", /backslash/],
    ["a b.rs", /may only use/],
    ["$(shell id).rs", /may only use/],
    ["naïve.rs", /may only use/],
    ["a//b.rs", /may only use/],
    ["a/b/c/d/e.rs", /levels deep/],
    ["x".repeat(201), /longer than/],
    ["hello.ko", /the build produces/],
    ["sub/Module.symvers", /the build produces/],
  ])("refuses %j", (name, why) => {
    expect(fileNameProblem(name)).toMatch(why);
  });
});

describe("module request", () => {
  const limits = loadModuleLimits({ KBUILD_MODULE_MAX_FILES: "3", KBUILD_MODULE_MAX_BYTES: "2048" });
  const schema = moduleRequestSchema(limits);
  const makefile = { path: "Makefile", content: "obj-m := a.o\n" };

  it("takes files with a Makefile, defaulting the job count", () => {
    const r = schema.parse({ files: [makefile, { path: "a.rs", content: "" }] });
    expect(r.jobs).toBe(2);
  });

  it("caps the file count and the total size, naming the setting", () => {
    const many = schema.safeParse({ files: [makefile, ...["a", "b", "c"].map((n) => ({ path: `${n}.rs`, content: "" }))] });
    expect(many.success).toBe(false);
    expect(JSON.stringify(many.error!.issues)).toMatch(/at most 3 files \(KBUILD_MODULE_MAX_FILES\)/);
    const big = schema.safeParse({ files: [makefile, { path: "a.rs", content: "x".repeat(3000) }] });
    expect(big.success).toBe(false);
    expect(JSON.stringify(big.error!.issues)).toMatch(/more than the limit of 2048 \(KBUILD_MODULE_MAX_BYTES\)/);
  });

  it("needs a top-level Makefile or Kbuild", () => {
    const r = schema.safeParse({ files: [{ path: "sub/Makefile", content: "" }] });
    expect(r.error!.issues.map((i) => i.message)).toContainEqual(expect.stringMatching(/needs a top-level "Makefile" or "Kbuild"/));
    expect(schema.safeParse({ files: [{ path: "Kbuild", content: "obj-m := a.o" }] }).success).toBe(true);
  });

  it("refuses duplicates (case-insensitively), a file that is also a directory, NUL bytes and unknown fields", () => {
    expect(schema.safeParse({ files: [makefile, { path: "makefile", content: "" }] }).success).toBe(false);
    expect(schema.safeParse({ files: [makefile, { path: "a", content: "" }, { path: "a/b.rs", content: "" }] }).success).toBe(false);
    expect(schema.safeParse({ files: [makefile, { path: "a.rs", content: "\0" }] }).success).toBe(false);
    expect(schema.safeParse({ files: [makefile], kernel: "/tmp" }).success).toBe(false);
  });

  it("refuses a bad name with its reason at the file's path", () => {
    const r = schema.safeParse({ files: [makefile, { path: "../x.rs", content: "" }] });
    expect(r.error!.issues[0]).toMatchObject({ path: ["files", 1, "path"], message: expect.stringMatching(/leaves the module's directory/) });
  });
});

describe("module request from a template", () => {
  it("takes every template's id, as the editor sends it", async () => {
    const { MODULE_API_FAMILIES } = await import("./templates");
    const schema = moduleRequestSchema(loadModuleLimits({}));
    for (const t of MODULE_API_FAMILIES.flatMap((f) => f.templates)) {
      expect(schema.safeParse({ files: t.files, template: t.id }).success, t.id).toBe(true);
    }
  });
});
