import { describe, expect, it } from "vitest";
import { formPatch } from "./handoff";

const samples = {
  menuSymbol: "SAMPLES_RUST",
  enable: ["SAMPLES", "SAMPLES_RUST"],
  samples: [
    { symbol: "SAMPLE_RUST_MINIMAL", type: "tristate" as const, prompt: "Minimal" },
    { symbol: "SAMPLE_RUST_PRINT", type: "tristate" as const, prompt: "Printing macros" },
  ],
};

describe("formPatch", () => {
  it("puts Rust options in the Rust section and the rest in the extra options", () => {
    const patch = formPatch(
      {
        source: "linux-6.1",
        profile: "p",
        base: "tinyconfig",
        options: [
          { symbol: "64BIT", value: "y" },
          { symbol: "RUST", value: "y" },
          { symbol: "SAMPLES", value: "y" },
          { symbol: "SAMPLES_RUST", value: "y" },
          { symbol: "SAMPLE_RUST_MINIMAL", value: "m" },
          { symbol: "DEBUG_INFO", value: "n" },
          { symbol: "CMDLINE", value: '"quiet"' },
        ],
      },
      samples,
    );
    expect(patch).toMatchObject({ source: "linux-6.1", profile: "p", base: "tinyconfig", rust: true, samples: { SAMPLE_RUST_MINIMAL: "m" } });
    expect(patch.extraText).toBe('CONFIG_64BIT=y\n# CONFIG_DEBUG_INFO is not set\nCONFIG_CMDLINE="quiet"');
  });

  it("turns Rust off when the configurator did not ask for it", () => {
    const patch = formPatch({ source: "s", profile: "p", base: "defconfig", options: [{ symbol: "SAMPLES", value: "y" }] }, samples);
    expect(patch.rust).toBe(false);
    expect(patch.extraText).toBe("CONFIG_SAMPLES=y");
  });
});
