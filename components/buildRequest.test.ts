import { describe, expect, it } from "vitest";
import { type FormState, deriveRequest, normalizeRustSamples } from "./buildRequest";

const samples = normalizeRustSamples({
  menuSymbol: "SAMPLES_RUST",
  enable: ["SAMPLES", "CONFIG_SAMPLES_RUST"],
  samples: [
    { symbol: "SAMPLE_RUST_MINIMAL", type: "tristate", prompt: "Minimal" },
    { symbol: "SAMPLE_RUST_HOSTPROGS", type: "bool", prompt: "Host programs" },
  ],
});

const base: FormState = {
  source: "linux-6.1",
  profile: "debian-bookworm-llvm14",
  base: "defconfig",
  upload: null,
  rust: false,
  samples: {},
  extraText: "",
  jobs: "2",
};

describe("deriveRequest", () => {
  it("reads an unprepared source's samples as none", () => {
    expect(normalizeRustSamples([])).toEqual({ menuSymbol: null, enable: [], samples: [] });
    expect(samples.enable).toEqual(["SAMPLES", "SAMPLES_RUST"]);
  });

  it("builds a plain request", () => {
    const d = deriveRequest(base, samples);
    expect(d.body).toEqual({
      source: "linux-6.1",
      profile: "debian-bookworm-llvm14",
      arch: "x86_64",
      baseConfig: { kind: "target", target: "defconfig" },
      options: [],
      jobs: 2,
    });
  });

  it("turns on Rust and the samples' menu when a sample is chosen; n samples are omitted", () => {
    const d = deriveRequest({ ...base, samples: { SAMPLE_RUST_MINIMAL: "m", SAMPLE_RUST_HOSTPROGS: "n" } }, samples);
    expect(d.body!.options).toEqual([
      { symbol: "RUST", value: "y" },
      { symbol: "SAMPLES", value: "y" },
      { symbol: "SAMPLES_RUST", value: "y" },
      { symbol: "SAMPLE_RUST_MINIMAL", value: "m" },
    ]);
  });

  it("reports extra-option errors and conflicts, and blocks the request", () => {
    const d = deriveRequest({ ...base, rust: true, extraText: "CONFIG_RUST=n\nbogus\nCONFIG_NET=y\nCONFIG_NET=n" }, samples);
    expect(d.body).toBeNull();
    expect(d.extraErrors).toHaveLength(3);
    expect(d.extraErrors.join("\n")).toMatch(/line 2/);
    expect(d.extraErrors.join("\n")).toMatch(/CONFIG_RUST is already set/);
    expect(d.extraErrors.join("\n")).toMatch(/CONFIG_NET appears more than once/);
  });

  it("checks jobs and the upload", () => {
    expect(deriveRequest({ ...base, jobs: "0" }, samples).jobsError).toMatch(/1 to 64/);
    expect(deriveRequest({ ...base, jobs: "65" }, samples).body).toBeNull();
    expect(deriveRequest({ ...base, base: "upload" }, samples).errors).toContain("choose a .config file to upload");
    const up = deriveRequest({ ...base, base: "upload", upload: { fileName: "my.config", text: "CONFIG_X=y\n" } }, samples);
    expect(up.body!.baseConfig).toEqual({ kind: "upload", fileName: "my.config", text: "CONFIG_X=y\n" });
  });
});
