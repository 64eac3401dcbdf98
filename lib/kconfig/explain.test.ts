import { describe, expect, it } from "vitest";
import { evaluateDependency, explainDropped } from "./explain";
import type { ScannedSymbol } from "./scan";

const symbol = (over: Partial<ScannedSymbol> & { name: string }): ScannedSymbol => ({
  type: "bool",
  prompt: "A prompt",
  definedAt: "Kconfig:1",
  dependsOn: [],
  selects: [],
  ...over,
});

const SYMBOLS = new Map(
  [
    symbol({
      name: "RUST",
      definedAt: "init/Kconfig:1920",
      dependsOn: ["HAVE_RUST && RUST_IS_AVAILABLE", "!CFI_CLANG", "!DEBUG_INFO_BTF || (PAHOLE_HAS_LANG_EXCLUDE && !LTO)"],
      selects: ["CONSTRUCTORS if MODULES"],
    }),
    symbol({ name: "SAMPLE_RUST_MINIMAL", type: "tristate", dependsOn: ["SAMPLES", "SAMPLES_RUST"] }),
    symbol({ name: "MODULE_THING", type: "tristate", dependsOn: ["PARENT"] }),
    symbol({ name: "HAVE_RUST", prompt: null }),
    symbol({ name: "CRC32", type: "tristate" }),
    symbol({ name: "NEEDS_CRC", selects: ["CRC32"] }),
    symbol({ name: "ALSO_NEEDS_CRC", selects: ["CRC32 if NEEDS_CRC"] }),
    symbol({ name: "NR_CPUS", type: "int", definedAt: "arch/x86/Kconfig:1024", dependsOn: ['CC_VERSION_TEXT != ""'] }),
    symbol({ name: "MACRO_DEP", dependsOn: ["$(cc-option,-mfoo)"] }),
  ].map((s) => [s.name, s]),
);

describe("explainDropped", () => {
  it("lists each dependency with the current values of its symbols and marks the unmet ones", () => {
    const resolved = new Map([
      ["HAVE_RUST", "y"],
      ["CFI_CLANG", "n"],
      ["MODULES", "y"],
    ]);
    const text = explainDropped("RUST", "y", resolved, SYMBOLS);
    expect(text).toBe(
      "CONFIG_RUST=y was dropped (now: not set). Defined at init/Kconfig:1920. " +
        "depends on HAVE_RUST && RUST_IS_AVAILABLE (HAVE_RUST=y, RUST_IS_AVAILABLE=n) [unmet]; " +
        "depends on !CFI_CLANG (CFI_CLANG=n); " +
        "depends on !DEBUG_INFO_BTF || (PAHOLE_HAS_LANG_EXCLUDE && !LTO) (DEBUG_INFO_BTF=n, PAHOLE_HAS_LANG_EXCLUDE=n, LTO=n). " +
        "selects: CONSTRUCTORS if MODULES.",
    );
    expect(text).not.toContain("\n");
  });

  it("accepts the CONFIG_ prefix and a lookup function", () => {
    const text = explainDropped("CONFIG_SAMPLE_RUST_MINIMAL", "m", new Map([["MODULES", "y"], ["SAMPLES", "y"]]), (n) => SYMBOLS.get(n));
    expect(text).toBe(
      "CONFIG_SAMPLE_RUST_MINIMAL=m was dropped (now: not set). Defined at Kconfig:1. " +
        "depends on SAMPLES (SAMPLES=y); depends on SAMPLES_RUST (SAMPLES_RUST=n) [unmet].",
    );
  });

  it("says when a dependency at m caps a y request", () => {
    const text = explainDropped("MODULE_THING", "y", new Map([["PARENT", "m"], ["MODULE_THING", "m"], ["MODULES", "y"]]), SYMBOLS);
    expect(text).toContain("CONFIG_MODULE_THING=y was changed (now: m).");
    expect(text).toContain("depends on PARENT (PARENT=m) [limits it to m]");
  });

  it("says when m is impossible because modules are off", () => {
    const text = explainDropped("CRC32", "m", new Map([["CRC32", "y"]]), SYMBOLS);
    expect(text).toContain("MODULES is not enabled");
  });

  it("names the enabled symbols that select a symbol someone asked to switch off", () => {
    const resolved = new Map([["CRC32", "y"], ["NEEDS_CRC", "y"], ["ALSO_NEEDS_CRC", "m"]]);
    const text = explainDropped("CRC32", "n", resolved, SYMBOLS);
    expect(text).toContain("CONFIG_CRC32=n was changed (now: y).");
    expect(text).toContain("Forced on by select from: NEEDS_CRC=y, ALSO_NEEDS_CRC=m.");
  });

  it("explains that a symbol without a prompt cannot be set from .config", () => {
    expect(explainDropped("HAVE_RUST", "y", new Map(), SYMBOLS)).toContain("It has no prompt");
  });

  it("shows string and int values as written and evaluates comparisons", () => {
    const resolved = new Map([["NR_CPUS", "64"], ["CC_VERSION_TEXT", '"gcc 12"']]);
    const text = explainDropped("NR_CPUS", "99999", resolved, SYMBOLS);
    expect(text).toBe(
      "CONFIG_NR_CPUS=99999 was changed (now: 64). Defined at arch/x86/Kconfig:1024. " +
        'depends on CC_VERSION_TEXT != "" (CC_VERSION_TEXT="gcc 12"). ' +
        "Its dependencies look met: a choice, a range, a select or a default decided otherwise.",
    );
  });

  it("flags a value of the wrong type", () => {
    expect(explainDropped("NR_CPUS", '"many"', new Map(), SYMBOLS)).toContain('"many" is not a valid value for an int symbol.');
  });

  it("lists a dependency it cannot evaluate without a verdict", () => {
    expect(explainDropped("MACRO_DEP", "y", new Map(), SYMBOLS)).toContain("depends on $(cc-option,-mfoo). Its dependencies look met");
  });

  it("says when the tree does not define the symbol", () => {
    expect(explainDropped("NOT_A_SYMBOL", "y", new Map(), SYMBOLS)).toBe(
      "CONFIG_NOT_A_SYMBOL=y was dropped (now: not set). CONFIG_NOT_A_SYMBOL is not defined by this kernel tree, so olddefconfig discards it.",
    );
  });
});

describe("evaluateDependency", () => {
  const values = new Map([
    ["Y", "y"],
    ["M", "m"],
    ["N", "n"],
    ["NUM", "64"],
    ["HEXV", "0x1000"],
    ["STR", '"x86"'],
  ]);
  const valueOf = (n: string) => values.get(n) ?? "n";

  it.each([
    ["Y", "y"],
    ["M", "m"],
    ["UNSET", "n"],
    ["!M", "m"],
    ["!N", "y"],
    ["Y && M", "m"],
    ["N || M", "m"],
    ["!(Y && N) && (M || Y)", "y"],
    ["Y && !Y || M", "m"],
    ["M = m", "y"],
    ["M != y", "y"],
    ["UNSET = n", "y"],
    ["NUM >= 64 && NUM < 65", "y"],
    ["NUM > 100", "n"],
    ["HEXV = 0x1000", "y"],
    ["HEXV > 4095", "y"],
    ['STR = "x86"', "y"],
    ["STR", "n"],
  ] as const)("%s → %s", (expr, expected) => {
    expect(evaluateDependency(expr, valueOf)).toBe(expected);
  });

  it.each(["$(cc-option,-m)", "Y &&", "(Y", "Y Y", '"unterminated'])("cannot evaluate %s", (expr) => {
    expect(evaluateDependency(expr, valueOf)).toBeUndefined();
  });
});
