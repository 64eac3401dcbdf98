import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { kernelTree } from "../../test/kernel-tree";
import { detectApiMismatch } from "./api-hint";
import { apiFamilyFor } from "./templates";

/**
 * The module API families are checked against the real trees: each tree's own
 * samples/rust/rust_minimal.rs is a module of the family kbuild gives that
 * tree, spelled as the family's templates are.
 */
describe.each(["6.1", "6.12"] as const)("the module API of Linux %s", (version) => {
  it("matches the tree's rust_minimal sample", async () => {
    const tree = await kernelTree(version);
    const sample = await readFile(path.join(tree, "samples", "rust", "rust_minimal.rs"), "utf8");
    const makefile = await readFile(path.join(tree, "Makefile"), "utf8");
    const treeVersion = `${/^VERSION = (\d+)/m.exec(makefile)![1]}.${/^PATCHLEVEL = (\d+)/m.exec(makefile)![1]}`;
    const family = apiFamilyFor(treeVersion)!;
    expect(family.checkedOn).toBe(version);
    // The sample passes the family's API check: the patterns know this tree's spelling.
    expect(detectApiMismatch([{ path: "rust_minimal.rs", content: sample }], family)).toBeNull();
    expect(sample).toContain(family.metadataStrings === "bytes" ? 'name: b"rust_minimal"' : 'name: "rust_minimal"');
    expect(sample).toContain("impl kernel::Module for RustMinimal");
    expect(sample).toContain("fn init(_module: &'static ThisModule) -> Result<Self>");
    // And so do the family's templates, line for line where they share the sample's shape.
    const numbers = family.templates.find((t) => t.name === "numbers")!.files.find((f) => f.path.endsWith(".rs"))!.content;
    for (const line of sample.split("\n").filter((l) => /numbers\.(try_)?push\(72/.test(l) || /let mut numbers = /.test(l) || /^\s+numbers: /.test(l))) {
      expect(numbers).toContain(line.trim().replace("RustMinimal", "Numbers"));
    }
  });
});
