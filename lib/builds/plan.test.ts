import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type ToolchainProfile, loadProfiles } from "../toolchain/profiles";
import { FRAGMENT_FILE, type PlannedStep, TOOLCHAIN_PROBE, UPLOADED_CONFIG_FILE, formatArgv, planBuild, stepEnvironment } from "./plan";
import { type BuildSpecInput, BuildSpecSchema, fragmentText } from "./spec";

const PROFILE_ID = "debian-bookworm-llvm14";

let profile: ToolchainProfile;

beforeAll(async () => {
  const profiles = await loadProfiles();
  const p = profiles.get(PROFILE_ID);
  if (!p) throw new Error(`the builtin profile ${PROFILE_ID} is missing; found ${[...profiles.keys()].join(", ")}`);
  profile = p;
});

function spec(overrides: Partial<BuildSpecInput> = {}) {
  return BuildSpecSchema.parse({
    source: "linux-6.1",
    profile: PROFILE_ID,
    baseConfig: { kind: "target", target: "tinyconfig" },
    jobs: 4,
    ...overrides,
  });
}

const names = (steps: PlannedStep[]) => steps.map((s) => s.name);
const stepNamed = (steps: PlannedStep[], name: string) => {
  const s = steps.find((x) => x.name === name);
  if (!s) throw new Error(`no step ${name} in ${names(steps).join(", ")}`);
  return s;
};

const MAKE_PREFIX = [
  "make",
  "-C",
  "/src",
  "O=/out",
  "ARCH=x86_64",
  "LLVM=1",
  "RUSTC=/usr/bin/rustc",
  "HOSTRUSTC=/usr/bin/rustc",
  "BINDGEN=/usr/bin/bindgen",
  "RUSTFMT=/usr/bin/rustfmt",
  "-j4",
];

const RUST_SAMPLE = [
  { symbol: "RUST", value: "y" },
  { symbol: "SAMPLES", value: "y" },
  { symbol: "SAMPLES_RUST", value: "y" },
  { symbol: "SAMPLE_RUST_MINIMAL", value: "m" },
];

describe("planBuild", () => {
  it("plans a tinyconfig build without options as toolchain → base-config → olddefconfig → check-config → artifacts", () => {
    const steps = planBuild(spec(), profile);
    expect(names(steps)).toEqual(["toolchain", "base-config", "olddefconfig", "check-config", "artifacts"]);
  });

  it("runs the real make command lines with the profile's pinned tools", () => {
    const steps = planBuild(spec(), profile);
    expect(stepNamed(steps, "base-config").argv).toEqual([...MAKE_PREFIX, "tinyconfig"]);
    expect(stepNamed(steps, "base-config").title).toBe("Base config: tinyconfig");
    expect(stepNamed(steps, "olddefconfig").argv).toEqual([...MAKE_PREFIX, "olddefconfig"]);
    expect(formatArgv(stepNamed(steps, "base-config").argv!)).toBe(
      "make -C /src O=/out ARCH=x86_64 LLVM=1 RUSTC=/usr/bin/rustc HOSTRUSTC=/usr/bin/rustc BINDGEN=/usr/bin/bindgen RUSTFMT=/usr/bin/rustfmt -j4 tinyconfig",
    );
  });

  it("uses the requested base target and job count", () => {
    const steps = planBuild(spec({ baseConfig: { kind: "target", target: "defconfig" }, jobs: 17 }), profile);
    expect(stepNamed(steps, "base-config").argv).toEqual([...MAKE_PREFIX.slice(0, -1), "-j17", "defconfig"]);
    expect(stepNamed(steps, "olddefconfig").argv).toEqual([...MAKE_PREFIX.slice(0, -1), "-j17", "olddefconfig"]);
  });

  it("records the toolchain with the fixed probe script and the pinned tools as positional arguments", () => {
    const toolchain = stepNamed(planBuild(spec(), profile), "toolchain");
    expect(toolchain.argv).toEqual(["sh", "-c", TOOLCHAIN_PROBE, "probe", "/usr/bin/clang", "/usr/bin/ld.lld", "/usr/bin/rustc", "/usr/bin/bindgen"]);
  });

  it("has internal actions for checking the config and collecting the artifacts", () => {
    const steps = planBuild(spec(), profile);
    expect(stepNamed(steps, "check-config")).toMatchObject({ argv: null, action: "check-config", artifacts: [] });
    expect(stepNamed(steps, "artifacts")).toMatchObject({
      argv: null,
      action: "collect-artifacts",
      artifacts: [],
    });
  });

  it("with CONFIG_RUST=y checks Rust is available right after the toolchain, before any config step", () => {
    const steps = planBuild(spec({ options: RUST_SAMPLE }), profile);
    expect(names(steps)).toEqual(["toolchain", "rustavailable", "base-config", "merge-fragment", "olddefconfig", "check-config", "artifacts"]);
    expect(stepNamed(steps, "rustavailable").argv).toEqual([...MAKE_PREFIX, "rustavailable"]);
  });

  it("does not check Rust availability for options that do not enable CONFIG_RUST", () => {
    const steps = planBuild(spec({ options: [{ symbol: "RUST", value: "n" }, { symbol: "PRINTK", value: "y" }] }), profile);
    expect(names(steps)).toEqual(["toolchain", "base-config", "merge-fragment", "olddefconfig", "check-config", "artifacts"]);
  });

  it("copies an uploaded .config into place instead of running a base target", () => {
    const steps = planBuild(spec({ baseConfig: { kind: "upload", fileName: "my laptop.config", text: "CONFIG_PRINTK=y\n" } }), profile);
    expect(names(steps)).toEqual(["toolchain", "base-config", "olddefconfig", "check-config", "artifacts"]);
    const base = stepNamed(steps, "base-config");
    expect(base.argv).toEqual(["cp", "/out/.kbuild/uploaded.config", "/out/.config"]);
    expect(UPLOADED_CONFIG_FILE).toBe("/out/.kbuild/uploaded.config");
    expect(base.title).toBe("Base config: uploaded my laptop.config");
  });

  it("merges the options' fragment with merge_config.sh in the writable output directory", () => {
    const steps = planBuild(spec({ options: [{ symbol: "PRINTK", value: "y" }, { symbol: "NR_CPUS", value: "8" }] }), profile);
    const merge = stepNamed(steps, "merge-fragment");
    expect(merge.argv).toEqual(["/src/scripts/kconfig/merge_config.sh", "-m", "-O", "/out", "/out/.config", "/out/.kbuild/fragment.config"]);
    expect(FRAGMENT_FILE).toBe("/out/.kbuild/fragment.config");
    expect(merge.cwd).toBe("/out");
    expect(merge.title).toBe("Merge 2 requested option(s)");
  });

  it("runs every step in /out with the same environment", () => {
    const steps = planBuild(spec({ options: RUST_SAMPLE }), profile);
    for (const s of steps) {
      expect(s.cwd, s.name).toBe("/out");
      expect(s.env, s.name).toEqual(stepEnvironment(profile));
    }
  });

  it("pins every tool by absolute path and takes PATH only from the profile", () => {
    const steps = planBuild(spec({ options: RUST_SAMPLE }), profile);
    const env = stepEnvironment(profile);
    expect(env).toEqual({
      PATH: "/usr/bin:/bin:/usr/sbin:/sbin",
      HOME: "/tmp",
      LANG: "C.UTF-8",
      KBUILD_BUILD_USER: "kbuild",
      KBUILD_BUILD_HOST: "kbuild",
    });
    for (const s of steps.filter((x) => x.argv?.[0] === "make")) {
      const vars = Object.fromEntries(
        s.argv!.filter((a) => /^[A-Z_]+=/.test(a)).map((a) => [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]),
      );
      for (const tool of ["RUSTC", "HOSTRUSTC", "BINDGEN", "RUSTFMT"]) {
        expect(vars[tool], `${s.name} ${tool}`).toMatch(/^\/[^\s]+$/);
      }
      // LLVM=1 makes kbuild pick clang, ld.lld, llvm-ar... by name: from the profile's PATH only.
      expect(vars.LLVM, s.name).toBe("1");
    }
    const probeTools = stepNamed(steps, "toolchain").argv!.slice(4);
    expect(probeTools).toHaveLength(4);
    for (const t of probeTools) expect(t).toMatch(/^\//);
    for (const dir of env.PATH!.split(":")) expect(dir).toMatch(/^\//);
  });

  it("adds the profile's own environment (the no-rust-src test profile sets RUST_LIB_SRC)", async () => {
    const variant = (await loadProfiles([path.join(import.meta.dirname, "..", "..", "test", "profiles")])).get("debian-bookworm-llvm14-no-rust-src")!;
    const steps = planBuild(spec({ profile: variant.id, options: RUST_SAMPLE }), variant);
    expect(stepNamed(steps, "rustavailable").env).toEqual({ ...stepEnvironment(profile), RUST_LIB_SRC: "/tmp" });
    expect(stepNamed(steps, "rustavailable").argv).toEqual([...MAKE_PREFIX, "rustavailable"]);
  });

  it("never puts user option values or uploaded text in an argv, only in the fragment", () => {
    const options = [
      { symbol: "LOCALVERSION", value: '"-marker-$(id)"' },
      { symbol: "CMDLINE", value: '"console=ttyS0 `reboot`"' },
      { symbol: "NR_CPUS", value: "4242" },
    ];
    const uploaded = 'CONFIG_DEFAULT_HOSTNAME="uploaded-marker"\n';
    const s = spec({ options, baseConfig: { kind: "upload", fileName: "x.config", text: uploaded } });
    const argvs = planBuild(s, profile).flatMap((step) => step.argv ?? []);
    for (const marker of ["marker", "$(id)", "reboot", "4242", "console=", "uploaded-marker"]) {
      expect(argvs.filter((a) => a.includes(marker)), marker).toEqual([]);
    }
    expect(fragmentText(s.options)).toBe('CONFIG_LOCALVERSION="-marker-$(id)"\nCONFIG_CMDLINE="console=ttyS0 `reboot`"\nCONFIG_NR_CPUS=4242\n');
  });
});

describe("formatArgv", () => {
  it("quotes only what a shell would otherwise interpret", () => {
    expect(formatArgv(["make", "-C", "/src", "O=/out", "-j4"])).toBe("make -C /src O=/out -j4");
    expect(formatArgv(["echo", "it's", "a b", "$(id)", ""])).toBe("echo 'it'\\''s' 'a b' '$(id)' ''");
    expect(formatArgv(["sh", "-c", "a\nb's\tc\\"])).toBe("sh -c $'a\\nb\\'s\\tc\\\\'");
  });
});

describe("planBuild with targets", () => {
  it("adds one make step with every target's goals, then the targets' packaging steps, then artifacts", () => {
    const steps = planBuild(spec({ targets: ["module-kit", "kernel", "vmlinux"] }), profile);
    // module-kit pulls in modules; catalogue order puts kernel first.
    expect(names(steps).slice(-6)).toEqual(["make", "modules-install", "modules-tarball", "module-kit", "vmlinux-xz", "artifacts"]);
    const make = stepNamed(steps, "make");
    expect(make.argv!.slice(-3)).toEqual(["bzImage", "modules", "vmlinux"]);
    expect(make.argv).toContain("-j4");
    expect(make.countsProgress).toBe(true);
    expect(stepNamed(steps, "modules-install").argv!.slice(-2)).toEqual(["modules_install", "INSTALL_MOD_PATH=/out/.kbuild/modules-install"]);
    expect(stepNamed(steps, "modules-install").argv!.slice(0, 4)).toEqual(make.argv!.slice(0, 4));
    expect(stepNamed(steps, "artifacts").artifacts).toContainEqual({ glob: "*.ko" });
    expect(stepNamed(steps, "artifacts").artifacts).toContainEqual({ path: "arch/x86/boot/bzImage" });
  });

  it("plans a configure-only build when no target is asked for", () => {
    expect(names(planBuild(spec(), profile))).not.toContain("make");
  });

  it("leaves a skipped target's goals out of make and marks its steps skipped with the reason", () => {
    const skipped = new Map([
      ["modules", "modules needs CONFIG_MODULES=y"],
      ["module-kit", "module-kit depends on modules"],
    ]);
    const steps = planBuild(spec({ targets: ["kernel", "module-kit"] }), profile, { skipped });
    expect(stepNamed(steps, "make").argv!.at(-1)).toBe("bzImage");
    expect(stepNamed(steps, "make").skip).toBeUndefined();
    expect(stepNamed(steps, "modules-install").skip).toBe("modules needs CONFIG_MODULES=y");
    expect(stepNamed(steps, "module-kit").skip).toBe("module-kit depends on modules");
    expect(stepNamed(steps, "artifacts").artifacts).toEqual([{ path: "arch/x86/boot/bzImage" }, { path: "System.map" }]);
  });

  it("skips make itself when every target is skipped", () => {
    const steps = planBuild(spec({ targets: ["modules"] }), profile, { skipped: new Map([["modules", "no"]]) });
    expect(stepNamed(steps, "make").skip).toMatch(/no target can be built/);
  });

  it("routes both C compilers through ccache in every make, with the cache's environment", () => {
    const steps = planBuild(spec({ targets: ["kernel"] }), profile, { ccache: { binary: "/usr/bin/ccache", maxSize: "5G" } });
    for (const name of ["base-config", "olddefconfig", "make"]) {
      expect(stepNamed(steps, name).argv).toContain("CC=/usr/bin/ccache /usr/bin/clang");
      expect(stepNamed(steps, name).argv).toContain("HOSTCC=/usr/bin/ccache /usr/bin/clang");
    }
    expect(stepNamed(steps, "make").env).toMatchObject({ CCACHE_DIR: "/ccache", CCACHE_MAXSIZE: "5G", CCACHE_STATSLOG: "/out/.kbuild/ccache-stats.log" });
    expect(planBuild(spec({ targets: ["kernel"] }), profile).find((s) => s.name === "make")!.argv!.some((a) => a.startsWith("CC="))).toBe(false);
  });
});
