import { beforeAll, describe, expect, it } from "vitest";
import { kernelTree61 } from "../../../test/kernel-tree";
import { hostShell, loadKconfig, makeEnvironment, resolveConfig } from ".";
import type { Kconfig } from "./kconfig";
import { deserializeKconfig, serializeKconfig, type SerializedHelp, type SerializedModel } from "./serialize";

/**
 * The serialized model of the real 6.1 tree, rebuilt as the browser rebuilds
 * it (from JSON text, no files), must give the same .config as the tree it came
 * from. The macros run once on this host; both sides see the same answers.
 */
describe("serialized Kconfig model of Linux 6.1 (x86_64)", () => {
  let original: Kconfig;
  let rebuilt: Kconfig;
  let json: string;

  beforeAll(async () => {
    const srctree = await kernelTree61();
    const env = makeEnvironment(srctree, "x86_64", ["LLVM=1"]);
    original = loadKconfig({ srctree, arch: "x86_64", env, shell: hostShell(env) }).kconfig;
    const { model, help } = serializeKconfig(original);
    json = JSON.stringify({ model, help });
    const parsed = JSON.parse(json) as { model: SerializedModel; help: SerializedHelp };
    rebuilt = deserializeKconfig(parsed.model, parsed.help);
  }, 5 * 60_000);

  it("writes the identical tinyconfig", () => {
    const a = resolveConfig(original, { base: "tinyconfig" }).config;
    // The rebuilt tree has no files: it starts from the base the server resolved, as the page does.
    rebuilt.reset();
    rebuilt.read(a);
    expect(rebuilt.write()).toBe(a);
    expect(a).toMatch(/^CONFIG_64BIT=y$/m);
  });

  it("computes allnoconfig itself, byte for byte", () => {
    const a = resolveConfig(original, { base: "allnoconfig" }).config;
    rebuilt.reset();
    rebuilt.setAllNewSymbols("no");
    expect(rebuilt.write()).toBe(a);
    expect(rebuilt.writeMinimal()).toBe((original.reset(), original.setAllNewSymbols("no"), original.writeMinimal()));
  });

  it("follows a defconfig with a fragment merged in the same way", () => {
    const base = resolveConfig(original, { base: "defconfig" }).config;
    const fragment = "CONFIG_SAMPLES=y\nCONFIG_64BIT=y\n# CONFIG_SMP is not set\nCONFIG_NR_CPUS=4\nCONFIG_BOGUS=y\n";
    const expected = resolveConfig(original, { base: "olddefconfig", baseConfig: base, fragment }).config;
    const mine = resolveConfig(rebuilt, { base: "olddefconfig", baseConfig: base, fragment });
    expect(mine.config).toBe(expected);
    expect(mine.warnings.map((w) => w.message)).toContain("unknown symbol CONFIG_BOGUS in this tree: ignored");
  });

  it("toggles a symbol with the same result", () => {
    const base = resolveConfig(original, { base: "defconfig" }).config;
    for (const kc of [original, rebuilt]) {
      kc.reset();
      kc.read(base);
      expect(kc.eval.setTristate(kc.symbol("SAMPLES")!, 2)).toBe(true);
    }
    expect(rebuilt.write()).toBe(original.write());
  });

  it("keeps help text apart and never carries the server's path", () => {
    const { model, help } = JSON.parse(json) as { model: SerializedModel; help: SerializedHelp };
    const rust = model.symbols.findIndex((s) => s.n === "RUST");
    const menu = model.symbols[rust]!.m[0]!;
    expect(help[menu]).toMatch(/Rust/);
    expect(JSON.stringify(model)).not.toContain(original.srctree);
    expect(rebuilt.symbol("RUST")!.menus[0]!.help).toBe(help[menu]);
  });
});
