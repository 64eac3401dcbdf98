import { describe, expect, it } from "vitest";
import { TARGETS } from "../lib/builds/targets";
import {
  DEFAULT_TARGETS,
  type FormState,
  type TargetInfo,
  dependentsOf,
  deriveRequest,
  normalizeRustSamples,
  targetHints,
  toggleTarget,
  selectedWithDependencies,
} from "./buildRequest";

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
  targets: [],
};

/** The real catalogue, as the new-build page passes it. */
const catalogue: TargetInfo[] = [...TARGETS.values()];

describe("deriveRequest", () => {
  it("reads an unprepared source's samples as none", () => {
    expect(normalizeRustSamples([])).toEqual({ menuSymbol: null, enable: [], samples: [] });
    expect(samples.enable).toEqual(["SAMPLES", "SAMPLES_RUST"]);
  });

  it("builds a plain request", () => {
    const d = deriveRequest(base, samples, catalogue);
    expect(d.body).toEqual({
      source: "linux-6.1",
      profile: "debian-bookworm-llvm14",
      arch: "x86_64",
      baseConfig: { kind: "target", target: "defconfig" },
      options: [],
      jobs: 2,
      targets: [],
    });
  });

  it("turns on Rust and the samples' menu when a sample is chosen; n samples are omitted", () => {
    const d = deriveRequest({ ...base, samples: { SAMPLE_RUST_MINIMAL: "m", SAMPLE_RUST_HOSTPROGS: "n" } }, samples, catalogue);
    expect(d.body!.options).toEqual([
      { symbol: "RUST", value: "y" },
      { symbol: "SAMPLES", value: "y" },
      { symbol: "SAMPLES_RUST", value: "y" },
      { symbol: "SAMPLE_RUST_MINIMAL", value: "m" },
    ]);
  });

  it("reports extra-option errors and conflicts, and blocks the request", () => {
    const d = deriveRequest({ ...base, rust: true, extraText: "CONFIG_RUST=n\nbogus\nCONFIG_NET=y\nCONFIG_NET=n" }, samples, catalogue);
    expect(d.body).toBeNull();
    expect(d.extraErrors).toHaveLength(3);
    expect(d.extraErrors.join("\n")).toMatch(/line 2/);
    expect(d.extraErrors.join("\n")).toMatch(/CONFIG_RUST is already set/);
    expect(d.extraErrors.join("\n")).toMatch(/CONFIG_NET appears more than once/);
  });

  it("checks jobs and the upload", () => {
    expect(deriveRequest({ ...base, jobs: "0" }, samples, catalogue).jobsError).toMatch(/1 to 64/);
    expect(deriveRequest({ ...base, jobs: "65" }, samples, catalogue).body).toBeNull();
    expect(deriveRequest({ ...base, base: "upload" }, samples, catalogue).errors).toContain("choose a .config file to upload");
    const up = deriveRequest({ ...base, base: "upload", upload: { fileName: "my.config", text: "CONFIG_X=y\n" } }, samples, catalogue);
    expect(up.body!.baseConfig).toEqual({ kind: "upload", fileName: "my.config", text: "CONFIG_X=y\n" });
  });
});

describe("build targets", () => {
  const t = (name: string, dependsOn: string[] = []): TargetInfo => ({ name, title: name, description: "", dependsOn, preconditions: [] });
  // c depends on b, which depends on a; d stands alone.
  const chain = [t("a"), t("b", ["a"]), t("c", ["b"]), t("d")];

  it("checks what a checked target depends on, transitively, in catalogue order", () => {
    expect(toggleTarget(chain, [], "c", true)).toEqual(["a", "b", "c"]);
    expect(toggleTarget(chain, ["d"], "b", true)).toEqual(["a", "b", "d"]);
    expect(toggleTarget(chain, ["d"], "d", true)).toEqual(["d"]);
  });

  it("unchecks what depends on an unchecked target, transitively", () => {
    expect(toggleTarget(chain, ["a", "b", "c", "d"], "a", false)).toEqual(["d"]);
    expect(toggleTarget(chain, ["a", "b", "c", "d"], "b", false)).toEqual(["a", "d"]);
    expect(toggleTarget(chain, ["a", "b", "c"], "c", false)).toEqual(["a", "b"]);
    expect(dependentsOf(chain, "a")).toEqual(["b", "c"]);
  });

  it("orders a selection like the catalogue and drops unknown names", () => {
    expect(selectedWithDependencies(chain, ["d", "bogus", "b"])).toEqual(["a", "b", "d"]);
  });

  it("toggles the real catalogue: module-kit brings modules, and leaves with it", () => {
    expect(selectedWithDependencies(catalogue, DEFAULT_TARGETS)).toEqual(DEFAULT_TARGETS);
    expect(toggleTarget(catalogue, ["kernel"], "module-kit", true)).toEqual(["kernel", "modules", "module-kit"]);
    expect(toggleTarget(catalogue, DEFAULT_TARGETS, "modules", false)).toEqual(["kernel"]);
    expect(toggleTarget(catalogue, DEFAULT_TARGETS, "vmlinux", true)).toEqual(["kernel", "modules", "module-kit", "vmlinux"]);
  });

  it("describes preconditions and dependencies", () => {
    const hints = (name: string) => targetHints(catalogue, catalogue.find((c) => c.name === name)!);
    expect(hints("modules")).toEqual(["needs CONFIG_MODULES=y"]);
    expect(hints("module-kit")).toEqual(["also builds modules"]);
    expect(hints("kernel")).toEqual([]);
  });

  it("requests the targets in catalogue order, with their dependencies; none is a configure-only build", () => {
    expect(deriveRequest({ ...base, targets: ["vmlinux", "module-kit"] }, samples, catalogue).body!.targets).toEqual(["modules", "module-kit", "vmlinux"]);
    const configureOnly = deriveRequest({ ...base, targets: [] }, samples, catalogue);
    expect(configureOnly.body!.targets).toEqual([]);
    expect(configureOnly.targetWarnings).toEqual([]);
  });

  it("warns when the options or a minimal base leave a target's precondition unmet, without blocking", () => {
    const off = deriveRequest({ ...base, targets: DEFAULT_TARGETS, extraText: "# CONFIG_MODULES is not set" }, samples, catalogue);
    expect(off.body).not.toBeNull();
    expect(off.targetWarnings).toEqual(["modules needs CONFIG_MODULES=y, but the options above set CONFIG_MODULES=n: the build will skip modules and module-kit"]);

    const tiny = deriveRequest({ ...base, base: "tinyconfig", targets: ["kernel", "modules"] }, samples, catalogue);
    expect(tiny.targetWarnings).toHaveLength(1);
    expect(tiny.targetWarnings[0]).toMatch(/tinyconfig leaves CONFIG_MODULES off .*: the build will skip modules$/);

    expect(deriveRequest({ ...base, base: "tinyconfig", targets: DEFAULT_TARGETS, extraText: "CONFIG_MODULES=y" }, samples, catalogue).targetWarnings).toEqual([]);
    expect(deriveRequest({ ...base, targets: DEFAULT_TARGETS }, samples, catalogue).targetWarnings).toEqual([]);
  });
});
