import { beforeAll, describe, expect, it } from "vitest";
import { type PlannedStep, planBuild } from "../lib/builds/plan";
import { BuildSpecSchema } from "../lib/builds/spec";
import type { ScannedSymbol } from "../lib/kconfig/scan";
import { loadProfiles } from "../lib/toolchain/profiles";
import { checkRequested, parseToolchainProbe } from "./build-runner";
import { stepFailureReason } from "./command-step";
import type { PreparedSource } from "./sources";

const RUST_SAMPLE = [
  { symbol: "RUST", value: "y" },
  { symbol: "SAMPLES", value: "y" },
  { symbol: "SAMPLES_RUST", value: "y" },
  { symbol: "SAMPLE_RUST_MINIMAL", value: "m" },
];

function spec(options: { symbol: string; value: string }[] = RUST_SAMPLE) {
  return BuildSpecSchema.parse({
    source: "linux-6.1",
    profile: "debian-bookworm-llvm14",
    baseConfig: { kind: "target", target: "tinyconfig" },
    options,
  });
}

let steps: PlannedStep[];
const step = (name: string): PlannedStep => {
  const s = steps.find((x) => x.name === name);
  if (!s) throw new Error(`no step ${name}`);
  return s;
};

beforeAll(async () => {
  const profile = (await loadProfiles()).get("debian-bookworm-llvm14")!;
  steps = planBuild(spec(), profile);
});

describe("parseToolchainProbe", () => {
  it("reads the probe's output on Debian 12", () => {
    const lines = [
      "clang: Debian clang version 14.0.6",
      "ld.lld: Debian LLD 14.0.6 (compatible with GNU linkers)",
      "rustc: rustc 1.63.0",
      "bindgen: bindgen 0.60.1",
      "rust-src: present",
    ];
    expect(parseToolchainProbe(lines)).toEqual({
      clang: "Debian clang version 14.0.6",
      "ld.lld": "Debian LLD 14.0.6 (compatible with GNU linkers)",
      rustc: "rustc 1.63.0",
      bindgen: "bindgen 0.60.1",
      "rust-src": "present",
    });
  });

  it("ignores other lines (stderr noise, unknown tools) and trims values", () => {
    const lines = [
      "sh: 1: /usr/bin/bindgen: not found",
      "clang: Debian clang version 14.0.6  ",
      "rustc: rustc 1.63.0",
      "bindgen: ",
      "cargo: cargo 1.65.0",
      "  rust-src: present",
      "rust-src: missing",
    ];
    expect(parseToolchainProbe(lines)).toEqual({
      clang: "Debian clang version 14.0.6",
      rustc: "rustc 1.63.0",
      bindgen: "",
      "rust-src": "missing",
    });
  });

  it("returns nothing for no output", () => {
    expect(parseToolchainProbe([])).toEqual({});
  });
});

/**
 * `make rustavailable` of Linux 6.1 with Debian 12's toolchain and RUST_LIB_SRC=/tmp
 * (the no-rust-src test profile), as captured on this machine: stdout lines, then
 * stderr. scripts/rust_is_available.sh prints two warning blocks (rustc and bindgen
 * are newer than 6.1 expects) before the block that makes it exit 1.
 */
const RUSTAVAILABLE_MISSING_SRC = [
  "make: Entering directory '/src'",
  "make[1]: Entering directory '/out'",
  "make[1]: Leaving directory '/out'",
  "make: Leaving directory '/src'",
  "***",
  "*** Rust compiler '/usr/bin/rustc' is too new. This may or may not work.",
  "***   Your version:     1.63.0",
  "***   Expected version: 1.62.0",
  "***",
  "***",
  "*** Rust bindings generator '/usr/bin/bindgen' is too new. This may or may not work.",
  "***   Your version:     0.60.1",
  "***   Expected version: 0.56.0",
  "***",
  "***",
  "*** Source code for the 'core' standard library could not be found",
  "*** at '/tmp/core/src/lib.rs'.",
  "***",
  "make[1]: *** [/src/Makefile:1875: rustavailable] Error 1",
  "make: *** [Makefile:250: __sub-make] Error 2",
];

describe("stepFailureReason", () => {
  it("for rustavailable, quotes the kernel's *** message", () => {
    const reason = stepFailureReason(step("rustavailable"), 2, RUSTAVAILABLE_MISSING_SRC);
    expect(reason).toMatch(/^Rust is not available with this toolchain: /);
    expect(reason).toContain("Source code for the 'core' standard library could not be found at '/tmp/core/src/lib.rs'.");
    expect(reason).not.toContain("Error 1");
    expect(reason).not.toContain("***");
  });

  it("for rustavailable, names the block that made the check fail, not the warnings before it", () => {
    expect(stepFailureReason(step("rustavailable"), 2, RUSTAVAILABLE_MISSING_SRC)).toBe(
      "Rust is not available with this toolchain: Source code for the 'core' standard library could not be found at '/tmp/core/src/lib.rs'.",
    );
  });

  it("for rustavailable with a single error block, gives exactly that block", () => {
    const tail = [
      "***",
      "*** Rust compiler '/usr/bin/rustc' could not be found.",
      "***",
      "make[1]: *** [/src/Makefile:1875: rustavailable] Error 1",
      "make: *** [Makefile:250: __sub-make] Error 2",
    ];
    expect(stepFailureReason(step("rustavailable"), 2, tail)).toBe(
      "Rust is not available with this toolchain: Rust compiler '/usr/bin/rustc' could not be found.",
    );
  });

  it("for rustavailable without a *** message, falls back to the last line", () => {
    expect(stepFailureReason(step("rustavailable"), 127, ["sh: 1: make: not found"])).toBe(
      "Rust is not available with this toolchain: sh: 1: make: not found",
    );
    expect(stepFailureReason(step("rustavailable"), 2, [])).toBe("Rust is not available with this toolchain: make rustavailable failed");
  });

  it("for a make failure, uses the last meaningful line, not make's *** Error lines", () => {
    const tail = [
      "  GEN     Makefile",
      "  HOSTCC  scripts/basic/fixdep",
      "/bin/sh: 1: /nonexistent/cc: not found",
      "",
      "make[2]: *** [/src/scripts/Makefile.host:114: scripts/basic/fixdep] Error 127",
      "make[1]: *** [/src/Makefile:650: scripts_basic] Error 2",
      "make: *** [Makefile:250: __sub-make] Error 2",
      "   ",
    ];
    expect(stepFailureReason(step("base-config"), 2, tail)).toBe("step base-config failed (exit code 2): /bin/sh: 1: /nonexistent/cc: not found");
  });

  it("for a make failure, skips make's Entering/Leaving directory lines too (real output of a failed tinyconfig)", () => {
    // `make -C <6.1 tree> O=<dir> ARCH=x86_64 LLVM=1 HOSTCC=/nonexistent/cc tinyconfig 2>&1`, paths as in the sandbox.
    const tail = [
      "make: Entering directory '/src'",
      "make[1]: Entering directory '/out'",
      "  GEN     Makefile",
      "  HOSTCC  scripts/basic/fixdep",
      "/bin/sh: 1: /nonexistent/cc: not found",
      "make[2]: *** [/src/scripts/Makefile.host:114: scripts/basic/fixdep] Error 127",
      "make[1]: *** [/src/Makefile:650: scripts_basic] Error 2",
      "make[1]: Leaving directory '/out'",
      "make: *** [Makefile:250: __sub-make] Error 2",
      "make: Leaving directory '/src'",
    ];
    expect(stepFailureReason(step("base-config"), 2, tail)).toBe("step base-config failed (exit code 2): /bin/sh: 1: /nonexistent/cc: not found");
  });

  it("for a merge failure, quotes merge_config.sh", () => {
    const tail = ["Using /out/.config as base", "Merging /out/.kbuild/fragment.config", "cat: /out/.kbuild/fragment.config: No such file or directory"];
    expect(stepFailureReason(step("merge-fragment"), 1, tail)).toBe(
      "step merge-fragment failed (exit code 1): cat: /out/.kbuild/fragment.config: No such file or directory",
    );
  });

  it("says so when there is no exit code or no output", () => {
    expect(stepFailureReason(step("olddefconfig"), null, ["Killed"])).toBe("step olddefconfig failed (exit code none): Killed");
    expect(stepFailureReason(step("olddefconfig"), 1, [])).toBe("step olddefconfig failed (exit code 1)");
  });
});

describe("checkRequested", () => {
  const sym = (name: string, type: ScannedSymbol["type"], dependsOn: string[] = [], definedAt = "init/Kconfig:1"): ScannedSymbol => ({
    name,
    type,
    prompt: name,
    definedAt,
    dependsOn,
    selects: [],
  });
  const source: PreparedSource = {
    id: "src-1",
    name: "linux-6.1",
    tree: "/nonexistent",
    version: "6.1.0",
    symbols: new Map(
      [
        sym("RUST", "bool"),
        sym("SAMPLES", "bool"),
        sym("SAMPLES_RUST", "bool", ["SAMPLES", "RUST"], "samples/rust/Kconfig:3"),
        sym("PHYSICAL_START", "hex"),
        sym("CFI_CLANG", "bool"),
        sym("LOCALVERSION", "string"),
      ].map((s) => [s.name, s]),
    ),
  };

  it("reports each requested option with its resolved value; hex compares case-insensitively, absent reads as n", () => {
    const s = spec([
      { symbol: "SAMPLES", value: "y" },
      { symbol: "PHYSICAL_START", value: "0x1000000" },
      { symbol: "CFI_CLANG", value: "n" },
      { symbol: "LOCALVERSION", value: '"-kb"' },
    ]);
    const resolved = 'CONFIG_SAMPLES=y\nCONFIG_PHYSICAL_START=0X1000000\nCONFIG_LOCALVERSION="-kb"\n';
    expect(checkRequested(s, resolved, source)).toEqual([
      { symbol: "SAMPLES", requested: "y", resolved: "y", ok: true, explanation: null },
      { symbol: "PHYSICAL_START", requested: "0x1000000", resolved: "0X1000000", ok: true, explanation: null },
      { symbol: "CFI_CLANG", requested: "n", resolved: "n", ok: true, explanation: null },
      { symbol: "LOCALVERSION", requested: '"-kb"', resolved: '"-kb"', ok: true, explanation: null },
    ]);
  });

  it("explains a dropped option with its unmet dependency", () => {
    const s = spec([
      { symbol: "SAMPLES", value: "y" },
      { symbol: "SAMPLES_RUST", value: "y" },
    ]);
    const [samples, samplesRust] = checkRequested(s, "CONFIG_SAMPLES=y\n# CONFIG_RUST is not set\n", source);
    expect(samples).toMatchObject({ ok: true });
    expect(samplesRust).toEqual({
      symbol: "SAMPLES_RUST",
      requested: "y",
      resolved: "n",
      ok: false,
      explanation:
        "CONFIG_SAMPLES_RUST=y was dropped (now: not set). Defined at samples/rust/Kconfig:3. depends on SAMPLES (SAMPLES=y); depends on RUST (RUST=n) [unmet].",
    });
  });

  it("does not accept a different value as the requested one", () => {
    const [check] = checkRequested(spec([{ symbol: "PHYSICAL_START", value: "0x1000000" }]), "CONFIG_PHYSICAL_START=0x2000000\n", source);
    expect(check).toMatchObject({ requested: "0x1000000", resolved: "0x2000000", ok: false });
    expect(check!.explanation).toMatch(/^CONFIG_PHYSICAL_START=0x1000000 was changed \(now: 0x2000000\)\./);
  });
});
