import { beforeAll, describe, expect, it } from "vitest";
import { readRustSamples } from "./rust-samples";
import { type KconfigScan, scanKconfig } from "./scan";
import { kernelTree61 } from "../../test/kernel-tree";

/** The scanner against the real Linux 6.1 tree it exists for (Debian's linux-source-6.1). */
describe("Kconfig scan of the real 6.1 tree", () => {
  let tree: string;
  let scan: KconfigScan;

  beforeAll(async () => {
    tree = await kernelTree61();
    scan = await scanKconfig(tree, "x86_64");
  }, 5 * 60_000);

  it("scans the whole x86_64 tree without complaint", () => {
    expect(scan.files.length).toBeGreaterThan(1000);
    expect(scan.symbols.size).toBeGreaterThan(10_000);
    expect(scan.warnings).toEqual([]);
  });

  it("finds RUST with its dependencies", () => {
    const rust = scan.symbols.get("RUST");
    expect(rust?.type).toBe("bool");
    expect(rust?.prompt).toBe("Rust support");
    expect(rust?.definedAt).toMatch(/^init\/Kconfig:\d+$/);
    expect(rust?.dependsOn).toContain("RUST_IS_AVAILABLE");
    expect(rust?.dependsOn).toContain("!DEBUG_INFO_BTF || (PAHOLE_HAS_LANG_EXCLUDE && !LTO)");
  });

  it("finds the Rust samples, under the menus that enclose them", () => {
    const minimal = scan.symbols.get("SAMPLE_RUST_MINIMAL");
    expect(minimal?.type).toBe("tristate");
    expect(minimal?.dependsOn).toEqual(["SAMPLES", "SAMPLES_RUST"]);
  });

  it("follows the arch Kconfig", () => {
    expect(scan.symbols.get("X86_64")?.definedAt).toMatch(/^arch\/x86\/Kconfig:\d+$/);
    expect(scan.files).toContain("arch/x86/Kconfig");
  });

  it("skips help text written at the keyword's own indentation", () => {
    // drivers/scsi/aic7xxx/Kconfig.aic7xxx has help lines such as "\tsource to the aic7xxx driver ...".
    expect(scan.symbols.get("AIC7XXX_BUILD_FIRMWARE")?.dependsOn).toContain("SCSI_AIC7XXX && !PREVENT_FIRMWARE_BUILD");
  });

  it("reads the samples from samples/rust/Kconfig", async () => {
    const { menuSymbol, samples } = await readRustSamples(tree);
    expect(menuSymbol).toBe("SAMPLES_RUST");
    expect(samples.map((s) => s.symbol)).toEqual(["SAMPLE_RUST_MINIMAL", "SAMPLE_RUST_HOSTPROGS"]);
    expect(samples[0]).toMatchObject({ type: "tristate", prompt: "Minimal" });
    expect(samples[1]).toMatchObject({ type: "bool", prompt: "Host programs" });
  });
});
