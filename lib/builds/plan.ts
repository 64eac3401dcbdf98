import type { ToolchainProfile } from "../toolchain/profiles";
import { type BuildSpec, wantsRust } from "./spec";
import { type TargetArtifact, resolveTargets } from "./targets";

/**
 * A build is a list of steps, and steps are data: a name, an argv, the
 * environment, a precondition, and the artifacts the step leaves. The worker
 * runs them in order through a runtime; nothing here runs anything.
 *
 * Paths are the canonical ones every sandbox and container sees: the kernel
 * tree read-only at SOURCE_DIR, the build's own output directory at OUT_DIR.
 */
export const SOURCE_DIR = "/src";
export const OUT_DIR = "/out";
/** Files kbuild writes for a build (fragment, uploaded base config), inside OUT_DIR. */
export const INPUT_DIR = `${OUT_DIR}/.kbuild`;
export const FRAGMENT_FILE = `${INPUT_DIR}/fragment.config`;
export const UPLOADED_CONFIG_FILE = `${INPUT_DIR}/uploaded.config`;
/** The C compiler cache of the build's toolchain profile, shared by its builds. */
export const CCACHE_DIR = "/ccache";
/** ccache appends one record per compilation here: the build's own hits and misses. */
export const CCACHE_STATS_FILE = `${INPUT_DIR}/ccache-stats.log`;

/** Steps the worker performs itself rather than through the runtime. */
export type InternalAction = "check-config" | "collect-artifacts";

export interface PlannedStep {
  name: string;
  /** What the page shows while it runs. */
  title: string;
  /** The command, or null for an internal action. */
  argv: string[] | null;
  action?: InternalAction;
  cwd: string;
  env: Record<string, string>;
  /** What the collect step stores, besides .config, build.log.gz and metadata.json. */
  artifacts: TargetArtifact[];
  /** The target this step packages; skipped with the target. */
  target?: string;
  /** Why the step will not run (its target cannot be built with the resolved .config). */
  skip?: string;
  /** Its output lines are kbuild's one-per-object lines, counted for progress. */
  countsProgress?: boolean;
}

export interface PlanOptions {
  /** Targets that will not be built, with why; known once the .config is resolved. */
  skipped?: ReadonlyMap<string, string>;
  /** The worker's C compiler cache for this profile, when it has one. */
  ccache?: { binary: string; maxSize: string } | null;
}

/**
 * Prints the versions of the pinned tools and whether rust-src is where rustc's
 * sysroot (or RUST_LIB_SRC) says. Fixed text: the tool paths arrive as
 * positional arguments, never interpolated.
 */
export const TOOLCHAIN_PROBE = [
  'echo "clang: $("$1" --version | head -n1)"',
  'echo "ld.lld: $("$2" --version | head -n1)"',
  'echo "rustc: $("$3" --version)"',
  'echo "bindgen: $("$4" --version)"',
  'src="${RUST_LIB_SRC:-$("$3" --print sysroot)/lib/rustlib/src/rust/library}"',
  'if [ -e "$src/core/src/lib.rs" ]; then echo "rust-src: present"; else echo "rust-src: missing"; fi',
].join("\n");

/** The probe's argv for a profile's pinned tools. */
export function toolchainProbeArgv(profile: ToolchainProfile): string[] {
  const b = profile.binaries;
  return ["sh", "-c", TOOLCHAIN_PROBE, "probe", b.clang, b["ld.lld"], b.rustc, b.bindgen];
}

/**
 * An argv as a shell command line a person can copy: plain words stay as they
 * are, others are single-quoted, and multi-line arguments use $'...' quoting.
 */
export function formatArgv(argv: string[]): string {
  return argv
    .map((arg) => {
      if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
      if (/[\n\r\t]/.test(arg)) {
        return `$'${arg.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t")}'`;
      }
      return `'${arg.replace(/'/g, `'\\''`)}'`;
    })
    .join(" ");
}

/** Environment every step runs with: only the profile's PATH, a scratch HOME, and stable build identity. */
export function stepEnvironment(profile: ToolchainProfile, ccache: PlanOptions["ccache"] = null): Record<string, string> {
  return {
    PATH: profile.path.join(":"),
    HOME: "/tmp",
    LANG: "C.UTF-8",
    KBUILD_BUILD_USER: "kbuild",
    KBUILD_BUILD_HOST: "kbuild",
    ...(ccache ? { CCACHE_DIR, CCACHE_MAXSIZE: ccache.maxSize, CCACHE_STATSLOG: CCACHE_STATS_FILE } : {}),
    ...profile.env,
  };
}

/**
 * `make` with the tree, the output directory and the profile's pinned tools;
 * with a compiler cache, the C compilers (target and host) go through ccache.
 * Every make of a build gets the same variables, so that Kconfig sees the same
 * compiler when configuring and when building.
 */
export function makeArgv(profile: ToolchainProfile, spec: BuildSpec, goals: string[], ccache: PlanOptions["ccache"] = null): string[] {
  const variables = Object.entries(profile.makeVariables).map(([k, v]) => `${k}=${v}`);
  const compilers = ccache ? [`CC=${ccache.binary} ${profile.binaries.clang}`, `HOSTCC=${ccache.binary} ${profile.binaries.clang}`] : [];
  return ["make", "-C", SOURCE_DIR, `O=${OUT_DIR}`, `ARCH=${spec.arch}`, ...variables, ...compilers, `-j${spec.jobs}`, ...goals];
}

export function planBuild(spec: BuildSpec, profile: ToolchainProfile, options: PlanOptions = {}): PlannedStep[] {
  const { skipped = new Map<string, string>(), ccache = null } = options;
  const env = stepEnvironment(profile, ccache);
  const make = (goals: string[]) => makeArgv(profile, spec, goals, ccache);
  const step = (s: Omit<PlannedStep, "env" | "cwd" | "artifacts"> & Partial<PlannedStep>): PlannedStep => ({
    env,
    cwd: OUT_DIR,
    artifacts: [],
    ...s,
  });
  const steps: PlannedStep[] = [
    step({
      name: "toolchain",
      title: "Record toolchain versions",
      argv: toolchainProbeArgv(profile),
    }),
  ];
  // Before any configuration: a Rust build without a usable Rust toolchain
  // would have CONFIG_RUST silently dropped by olddefconfig.
  if (wantsRust(spec)) {
    steps.push(step({ name: "rustavailable", title: "Check Rust is available", argv: make(["rustavailable"]) }));
  }
  steps.push(
    spec.baseConfig.kind === "target"
      ? step({ name: "base-config", title: `Base config: ${spec.baseConfig.target}`, argv: make([spec.baseConfig.target]) })
      : step({
          name: "base-config",
          title: `Base config: uploaded ${spec.baseConfig.fileName}`,
          argv: ["cp", UPLOADED_CONFIG_FILE, `${OUT_DIR}/.config`],
        }),
  );
  if (spec.options.length > 0) {
    // merge_config.sh writes its temporary file in the current directory, which
    // must be the writable output directory, never the read-only tree.
    steps.push(
      step({
        name: "merge-fragment",
        title: `Merge ${spec.options.length} requested option(s)`,
        argv: [`${SOURCE_DIR}/scripts/kconfig/merge_config.sh`, "-m", "-O", OUT_DIR, `${OUT_DIR}/.config`, FRAGMENT_FILE],
      }),
    );
  }
  steps.push(
    step({ name: "olddefconfig", title: "Resolve with olddefconfig", argv: make(["olddefconfig"]) }),
    step({ name: "check-config", title: "Check requested options survived", argv: null, action: "check-config" }),
  );
  const targets = resolveTargets(spec.targets);
  const built = targets.filter((t) => !skipped.has(t.name));
  if (targets.length > 0) {
    const goals = built.flatMap((t) => t.make);
    steps.push(
      step({
        name: "make",
        title: `Build ${goals.join(" ") || "nothing"}`,
        argv: make(goals),
        countsProgress: true,
        skip: goals.length ? undefined : "no target can be built with the resolved .config",
      }),
    );
  }
  for (const t of targets) {
    for (const c of t.commands) {
      steps.push(step({ name: c.name, title: c.title, argv: c.argv ?? make(c.make!), target: t.name, skip: skipped.get(t.name) }));
    }
  }
  steps.push(
    step({
      name: "artifacts",
      title: "Collect artifacts",
      argv: null,
      action: "collect-artifacts",
      artifacts: built.flatMap((t) => t.artifacts),
    }),
  );
  return steps;
}
