import { OUT_DIR, SOURCE_DIR, type PlannedStep, stepEnvironment, toolchainProbeArgv } from "../builds/plan";
import type { ToolchainProfile } from "../toolchain/profiles";
import type { ModuleSpec } from "./files";

/**
 * A module build's steps, as data like a kernel build's: the kernel tree
 * read-only at /src and the module kit read-only at /out — the paths the
 * kernel was built with, which the kit's Makefile and generated files name —
 * and the module's own directory, the only writable one, at MODULE_DIR.
 *
 * No compiler cache: module code is untrusted, and a shared cache it could
 * write would let one module's build poison another's objects.
 */
export const KIT_DIR = OUT_DIR;
export const MODULE_DIR = "/module";

/** Where the worker's own actions are: "read-modinfo" runs on the worker, over the .ko files. */
export type ModuleAction = "read-modinfo";

export interface ModuleStep extends PlannedStep {
  moduleAction?: ModuleAction;
}

export function moduleMakeArgv(profile: ToolchainProfile, arch: string, jobs: number): string[] {
  const variables = Object.entries(profile.makeVariables).map(([k, v]) => `${k}=${v}`);
  return ["make", "-C", KIT_DIR, `M=${MODULE_DIR}`, `ARCH=${arch}`, ...variables, `-j${jobs}`, "modules"];
}

export function planModuleBuild(spec: ModuleSpec, profile: ToolchainProfile, arch: string): ModuleStep[] {
  const env = stepEnvironment(profile);
  const step = (s: Omit<ModuleStep, "env" | "cwd" | "artifacts"> & Partial<ModuleStep>): ModuleStep => ({ env, cwd: MODULE_DIR, artifacts: [], ...s });
  return [
    step({ name: "toolchain", title: "Record toolchain versions", argv: toolchainProbeArgv(profile) }),
    step({ name: "make", title: `Build the module against the kit of kernel build ${spec.kernelBuild.slice(0, 8)}`, argv: moduleMakeArgv(profile, arch, spec.jobs) }),
    step({ name: "modinfo", title: "Read each module's modinfo", argv: null, moduleAction: "read-modinfo" }),
    step({ name: "artifacts", title: "Collect artifacts", argv: null, action: "collect-artifacts", artifacts: [{ glob: "*.ko" }] }),
  ];
}

/** What the sandbox of a module build mounts, given the host's directories. */
export function moduleMounts(hostSource: string, hostKit: string, hostModule: string) {
  return [
    { host: hostSource, target: SOURCE_DIR, writable: false },
    { host: hostKit, target: KIT_DIR, writable: false },
    { host: hostModule, target: MODULE_DIR, writable: true },
  ];
}
