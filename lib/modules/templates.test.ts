import { describe, expect, it } from "vitest";
import { detectApiMismatch } from "./api-hint";
import { fileNameProblem } from "./files";
import { MODULE_API_FAMILIES, apiFamilyFor, templatesFor } from "./templates";

describe("module templates", () => {
  it("picks the family of the newest API at or below the kernel", () => {
    expect(apiFamilyFor("6.1.192")!.id).toBe("linux-6.1");
    expect(apiFamilyFor("6.6.0")!.id).toBe("linux-6.1");
    expect(apiFamilyFor("6.12.117")!.id).toBe("linux-6.12");
    expect(apiFamilyFor("7.0")!.id).toBe("linux-6.12");
    expect(apiFamilyFor("5.15.1")).toBeNull();
    expect(apiFamilyFor("unknown")).toBeNull();
    expect(templatesFor("5.10")).toEqual([]);
  });

  it("spells module! metadata as the family's kernel does", () => {
    const hello = (v: string) => templatesFor(v).find((t) => t.name === "hello-world")!.files.find((f) => f.path === "hello_world.rs")!.content;
    expect(hello("6.1.192")).toContain('name: b"hello_world",');
    expect(hello("6.1.192")).toContain('license: b"GPL v2",');
    expect(hello("6.12.117")).toContain('name: "hello_world",');
    expect(hello("6.12.117")).not.toContain('b"');
    for (const v of ["6.1", "6.12"]) {
      expect(hello(v)).toContain("impl kernel::Module for HelloWorld");
      expect(hello(v)).toContain("fn init(_module: &'static ThisModule) -> Result<Self>");
      expect(hello(v)).toContain('pr_info!("Hello world from rust!\\n");');
    }
    const numbers = (v: string) => templatesFor(v).find((t) => t.name === "numbers")!.files[1]!.content;
    expect(numbers("6.1")).toContain("numbers.try_push(72)?;");
    expect(numbers("6.12")).toContain("numbers.push(72, GFP_KERNEL)?;");
  });

  it("every template is a valid module of its family: good names, a Makefile naming its object, no API mismatch", () => {
    for (const family of MODULE_API_FAMILIES) {
      const ids = new Set<string>();
      for (const t of family.templates) {
        expect(ids.has(t.id)).toBe(false);
        ids.add(t.id);
        for (const f of t.files) expect(fileNameProblem(f.path), f.path).toBeNull();
        const makefile = t.files.find((f) => f.path === "Makefile")!.content;
        const obj = /^obj-m := (\w+)\.o$/m.exec(makefile)![1]!;
        expect(t.files.some((f) => f.path === `${obj}.rs` || f.path === `${obj}.c`)).toBe(true);
        expect(detectApiMismatch(t.files, family), t.id).toBeNull();
      }
    }
  });
});
