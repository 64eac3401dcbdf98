import { describe, expect, it } from "vitest";
import { fixtureKconfig } from "../../../test/kconfig-fixture";
import { annotationOf, deserializeKconfig, serializeKconfig, type SerializedHelp, type SerializedModel } from "./serialize";

const roundTrip = (json: unknown) => JSON.parse(JSON.stringify(json)) as { model: SerializedModel; help: SerializedHelp };

describe.each(["pre-6.11", "post-6.11"] as const)("serialized model (%s choices)", (choiceRules) => {
  it("rebuilds a tree that computes the same configurations", () => {
    const original = fixtureKconfig({ rustAvailable: true, choiceRules });
    const { model, help } = roundTrip(serializeKconfig(original));
    const rebuilt = deserializeKconfig(model, help);
    for (const kc of [original, rebuilt]) {
      kc.reset();
      kc.setAllNewSymbols("no");
    }
    expect(rebuilt.write()).toBe(original.write());
    for (const kc of [original, rebuilt]) {
      kc.reset();
      kc.read("CONFIG_RUST=y\nCONFIG_SAMPLES=y\nCONFIG_SAMPLES_RUST=y\nCONFIG_SAMPLE_RUST_MINIMAL=y\nCONFIG_XZ=y\nCONFIG_NR_CPUS=99\n");
    }
    const written = original.write();
    expect(rebuilt.write()).toBe(written);
    expect(written).toMatch(/^CONFIG_SAMPLE_RUST_MINIMAL=y$/m);
    expect(written).toMatch(/^CONFIG_XZ=y$/m);
    expect(rebuilt.writeMinimal()).toBe(original.writeMinimal());
  });

  it("keeps menus, locations and prompts, and help apart", () => {
    const original = fixtureKconfig({ rustAvailable: false, choiceRules });
    const { model, help } = roundTrip(serializeKconfig(original));
    const rust = model.symbols.find((s) => s.n === "RUST")!;
    expect(model.menus[rust.m[0]!]!.h).toBe(1);
    expect(help[rust.m[0]!]).toBe("Enables Rust support in the kernel.\n");
    expect(JSON.stringify(model)).not.toContain("Enables Rust support");
    const rebuilt = deserializeKconfig(model);
    const sym = rebuilt.symbol("RUST")!;
    expect(sym.menus[0]!.help).toBeNull();
    expect(sym.menus[0]!.line).toBe(original.symbol("RUST")!.menus[0]!.line);
    expect(sym.props.find((p) => p.text)!.text).toBe("Rust support");
    expect(rebuilt.tree.root.prompt!.text).toBe("Fixture x86_64 configuration");
    expect(rebuilt.srctree).toBe("");
  });

  it("carries the annotations of statements with macros", () => {
    const original = fixtureKconfig({ rustAvailable: false, choiceRules });
    const { model } = roundTrip(
      serializeKconfig(original, {
        annotate: (p) => (p.type === "default" && p.menu.sym?.name === "RUST_IS_AVAILABLE" ? { source: "def_bool $(success,...)", macros: [{ command: "check", output: "n", diagnostic: "too old" }] } : undefined),
      }),
    );
    const rebuilt = deserializeKconfig(model);
    const def = rebuilt.symbol("RUST_IS_AVAILABLE")!.props.find((p) => p.type === "default")!;
    expect(annotationOf(def)).toEqual({ source: "def_bool $(success,...)", macros: [{ command: "check", output: "n", diagnostic: "too old" }] });
  });
});
