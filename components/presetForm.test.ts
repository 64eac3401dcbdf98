import { describe, expect, it } from "vitest";
import type { BuildSpec } from "../lib/builds/spec";
import { deriveRequest, type FormState, type TargetInfo } from "./buildRequest";
import { buildsPreset, presetFormState } from "./presetForm";

const catalogue: TargetInfo[] = [
  { name: "kernel", title: "Kernel", description: "", dependsOn: [], preconditions: [] },
  { name: "modules", title: "Modules", description: "", dependsOn: [], preconditions: [{ config: "MODULES", equals: "y" }] },
  { name: "module-kit", title: "Module kit", description: "", dependsOn: ["modules"], preconditions: [] },
];
const rustSamples = { menuSymbol: "SAMPLES_RUST", enable: ["SAMPLES", "SAMPLES_RUST"], samples: [{ symbol: "SAMPLE_RUST_MINIMAL", type: "tristate" as const, prompt: "Minimal" }] };

const spec: BuildSpec = {
  source: "linux-6.1",
  profile: "debian-bookworm-llvm14",
  arch: "x86_64",
  baseConfig: { kind: "target", target: "tinyconfig" },
  options: [
    { symbol: "MODULES", value: "y" },
    { symbol: "RUST", value: "y" },
    { symbol: "SAMPLES", value: "y" },
    { symbol: "SAMPLES_RUST", value: "y" },
    { symbol: "SAMPLE_RUST_MINIMAL", value: "m" },
  ],
  jobs: 3,
  targets: ["module-kit", "kernel", "modules"],
};

const blank: FormState = { source: "", profile: "", base: "defconfig", upload: null, rust: false, samples: {}, extraText: "", jobs: "2", targets: [] };

describe("a preset in the new-build form", () => {
  it("fills the form so that, unchanged, it submits the preset's spec", () => {
    const state = { ...blank, ...presetFormState(spec, rustSamples, catalogue) };
    expect(state).toMatchObject({ source: "linux-6.1", base: "tinyconfig", rust: true, samples: { SAMPLE_RUST_MINIMAL: "m" }, extraText: "CONFIG_MODULES=y", jobs: "3" });
    const { body } = deriveRequest(state, rustSamples, catalogue);
    expect(body).not.toBeNull();
    expect(buildsPreset(body!, spec)).toBe(true);
  });

  it("is no longer the preset once an option, the base, the jobs or the targets change", () => {
    const state = { ...blank, ...presetFormState(spec, rustSamples, catalogue) };
    for (const change of [{ extraText: "CONFIG_MODULES=y\nCONFIG_NR_CPUS=4" }, { base: "defconfig" as const }, { jobs: "4" }, { targets: ["kernel"] }, { samples: {} }]) {
      const { body } = deriveRequest({ ...state, ...change }, rustSamples, catalogue);
      expect(buildsPreset(body!, spec)).toBe(false);
    }
  });

  it("keeps an uploaded .config as the base", () => {
    const uploaded: BuildSpec = { ...spec, baseConfig: { kind: "upload", fileName: "my.config", text: "CONFIG_X=y\n" }, options: [], targets: [] };
    const state = { ...blank, ...presetFormState(uploaded, rustSamples, catalogue) };
    expect(state).toMatchObject({ base: "upload", upload: { fileName: "my.config", text: "CONFIG_X=y\n" }, rust: false, targets: [] });
    expect(buildsPreset(deriveRequest(state, rustSamples, catalogue).body!, uploaded)).toBe(true);
  });
});
