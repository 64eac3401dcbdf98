import { describe, expect, it } from "vitest";
import { fixtureKconfig } from "../../../test/kconfig-fixture";
import { diffValues, exprText, menuPath, snapshotValues, whyNot, type WhyNode } from "./explain";

const texts = (node: WhyNode | null): string[] => (node ? [node.text, ...node.children.flatMap(texts)] : []);

describe("exprText", () => {
  it("writes expressions as Kconfig does, with the parentheses they need", () => {
    const kc = fixtureKconfig({ rustAvailable: true });
    expect(exprText(kc.symbol("RUST")!.dirDep.expr)).toBe("HAVE_RUST && RUST_IS_AVAILABLE");
    expect(exprText(kc.symbol("CONSTRUCTORS")!.revDep.expr)).toBe("RUST && HAVE_RUST && RUST_IS_AVAILABLE");
    expect(exprText(null)).toBe("y");
  });
});

describe("menuPath", () => {
  it("names the menus above an entry", () => {
    const kc = fixtureKconfig({ rustAvailable: true });
    expect(menuPath(kc.symbol("SAMPLE_RUST_MINIMAL")!.menus[0]!)).toEqual(["Kernel hacking", "Sample kernel code", "Rust samples"]);
    expect(menuPath(kc.symbol("RUST")!.menus[0]!)).toEqual([]);
  });
});

describe("whyNot", () => {
  it("traces RUST down to the macro that said the toolchain cannot build Rust", () => {
    const kc = fixtureKconfig({ rustAvailable: false });
    kc.reset();
    kc.setAllNewSymbols("no");
    const tree = whyNot(kc, kc.symbol("RUST")!, "y", {
      annotation: (p) => (p.menu.sym?.name === "RUST_IS_AVAILABLE" ? { source: "def_bool $(success,rust_is_available.sh)", macros: [{ command: "rust_is_available.sh", output: "n", diagnostic: "rustc too old" }] } : undefined),
    })!;
    expect(tree.text).toBe("RUST = n");
    const flat = texts(tree);
    expect(flat).toContain('prompt "Rust support" needs HAVE_RUST && RUST_IS_AVAILABLE');
    expect(flat).toContain("RUST_IS_AVAILABLE = n");
    // HAVE_RUST is y: not a reason.
    expect(flat).not.toContain("HAVE_RUST = y");
    const find = (n: WhyNode): WhyNode | undefined => (n.kind === "macro" ? n : n.children.map(find).find(Boolean));
    const macro = find(tree)!;
    expect(macro.source).toBe("def_bool $(success,rust_is_available.sh)");
    expect(macro.macros![0]!.diagnostic).toBe("rustc too old");
  });

  it("is null for a symbol that can be set", () => {
    const kc = fixtureKconfig({ rustAvailable: true });
    kc.reset();
    kc.setAllNewSymbols("no");
    expect(whyNot(kc, kc.symbol("RUST")!, "y")).toBeNull();
  });

  it("follows a menu dependency to the symbol that is off", () => {
    const kc = fixtureKconfig({ rustAvailable: true });
    kc.reset();
    kc.setAllNewSymbols("no");
    const flat = texts(whyNot(kc, kc.symbol("SAMPLE_RUST_MINIMAL")!, "y"));
    expect(flat).toContain("SAMPLES = n");
    expect(flat.some((t) => t.startsWith("SAMPLES_RUST = n"))).toBe(true);
    expect(flat).toContain("set to n in the configuration");
  });

  it("names what selects a symbol that cannot be switched off", () => {
    const kc = fixtureKconfig({ rustAvailable: true });
    kc.reset();
    kc.read("CONFIG_RUST=y\n");
    const tree = whyNot(kc, kc.symbol("CONSTRUCTORS")!, "n")!;
    expect(tree.text).toBe("CONSTRUCTORS = y");
    expect(tree.children[0]!.text).toBe("selected by RUST && HAVE_RUST && RUST_IS_AVAILABLE");
    expect(tree.children[0]!.children[0]!.text).toBe("RUST = y");
  });
});

describe("diffValues", () => {
  it("lists what a toggle changed, the toggled symbol included", () => {
    const kc = fixtureKconfig({ rustAvailable: true });
    kc.reset();
    kc.setAllNewSymbols("no");
    const before = snapshotValues(kc);
    expect(kc.eval.setTristate(kc.symbol("RUST")!, 2)).toBe(true);
    const changes = diffValues(before, snapshotValues(kc));
    expect(changes).toEqual(
      expect.arrayContaining([
        { symbol: "RUST", before: "n", after: "y" },
        { symbol: "CONSTRUCTORS", before: "n", after: "y" },
      ]),
    );
    expect(changes.find((c) => c.symbol === "NR_CPUS")).toBeUndefined();
  });
});
