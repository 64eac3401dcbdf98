import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { checkFragment } from "./check";
import type { Kconfig } from "./kconfig";

export { checkFragment } from "./check";

/**
 * The kernel's configuration targets (scripts/kconfig/Makefile) on top of the
 * engine: each step starts from a fresh state, as each `make` runs a new
 * `conf`, and passes the written .config on as text.
 */

export interface ResolveRequest {
  /** A make target: defconfig, tinyconfig, allnoconfig, olddefconfig, foo_defconfig, foo.config ... */
  base: string;
  /** For `olddefconfig`: the .config to start from. */
  baseConfig?: string;
  /** CONFIG_X=v lines merged after the base, like merge_config.sh does, then olddefconfig. */
  fragment?: string;
}

export interface ResolveResult {
  config: string;
  /** Lines of the base config and fragment the kernel would not take. */
  warnings: { source: string; line: number; text: string; message: string }[];
}

const ALL_TARGETS: Record<string, "no" | "yes" | "mod" | "default"> = {
  allnoconfig: "no",
  allyesconfig: "yes",
  allmodconfig: "mod",
  alldefconfig: "default",
};

export function resolveConfig(kc: Kconfig, request: ResolveRequest): ResolveResult {
  const warnings: ResolveResult["warnings"] = [];
  const note = (source: string) => (w: { line: number; text: string; message: string }) => warnings.push({ source, ...w });
  let config = runTarget(kc, request.base, request.baseConfig ?? "", note);
  if (request.fragment?.trim()) {
    for (const w of checkFragment(kc, request.fragment)) note("fragment")(w);
    config = olddefconfig(kc, mergeConfig(config, request.fragment));
  }
  return { config, warnings };
}

export function olddefconfig(kc: Kconfig, config: string): string {
  kc.reset();
  kc.read(config);
  return kc.write();
}

function runTarget(kc: Kconfig, target: string, baseConfig: string, note: (source: string) => (w: { line: number; text: string; message: string }) => void): string {
  const srctree = kc.srctree;
  const srcarch = kc.srcarch;
  if (target === "olddefconfig") {
    kc.reset();
    kc.read(baseConfig).forEach(note("base config"));
    return kc.write();
  }
  const allMode = ALL_TARGETS[target];
  if (allMode) return allConfig(kc, allMode, null);
  if (target === "tinyconfig") {
    const tiny = allConfig(kc, "no", readFileSync(path.join(srctree, "kernel/configs/tiny-base.config"), "latin1"));
    return fragmentTarget(kc, "tiny.config", tiny);
  }
  if (target === "defconfig" || target.endsWith("_defconfig")) {
    const name = target === "defconfig" ? defaultDefconfig(srctree, srcarch, kc.arch) : target;
    const file = path.join(srctree, "arch", srcarch, "configs", name);
    if (!existsSync(file)) throw new Error(`no ${path.join("arch", srcarch, "configs", name)} in this tree`);
    kc.reset();
    kc.read(readFileSync(file, "latin1"));
    kc.setAllNewSymbols("default");
    return kc.write();
  }
  if (target.endsWith(".config")) return fragmentTarget(kc, target, baseConfig);
  throw new Error(`unknown configuration target '${target}'`);
}

/** allnoconfig and friends, with KCONFIG_ALLCONFIG's file when given. */
function allConfig(kc: Kconfig, mode: "no" | "yes" | "mod" | "default", allconfig: string | null): string {
  kc.reset();
  if (allconfig !== null) kc.readSimple(allconfig);
  kc.setAllNewSymbols(mode);
  return kc.write();
}

/** `make foo.config`: merge kernel/configs/foo.config and arch/$SRCARCH/configs/foo.config, then olddefconfig. */
function fragmentTarget(kc: Kconfig, name: string, config: string): string {
  const files = [path.join("kernel/configs", name), path.join("arch", kc.srcarch, "configs", name)].filter((f) => existsSync(path.join(kc.srctree, f)));
  if (!files.length) throw new Error(`${name} fragment does not exist on this architecture`);
  for (const file of files) config = mergeConfig(config, readFileSync(path.join(kc.srctree, file), "latin1"));
  return olddefconfig(kc, config);
}

/** The defconfig `make defconfig` uses: KBUILD_DEFCONFIG of the arch Makefile, which is `$(ARCH)_defconfig` where that exists. */
function defaultDefconfig(srctree: string, srcarch: string, arch: string): string {
  if (existsSync(path.join(srctree, "arch", srcarch, "configs", `${arch}_defconfig`))) return `${arch}_defconfig`;
  return "defconfig";
}

const CONFIG_NAME = /^(?:(CONFIG_[a-zA-Z0-9_]*)=.*|# (CONFIG_[a-zA-Z0-9_]*) is not set)$/;

/**
 * scripts/kconfig/merge_config.sh -m: every symbol the fragment sets is
 * removed from the base (any line containing `CONFIG_X ` or `CONFIG_X=`, as its
 * sed does), then the fragment is appended after a blank line.
 */
export function mergeConfig(base: string, fragment: string): string {
  const names = new Set<string>();
  for (const line of fragment.split("\n")) {
    const m = CONFIG_NAME.exec(line);
    const name = m?.[1] ?? m?.[2];
    if (name) names.add(name);
  }
  let lines = base.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  for (const name of names) {
    const word = new RegExp(`(^|[^A-Za-z0-9_])${name}($|[^A-Za-z0-9_])`);
    if (!lines.some((l) => word.test(l))) continue;
    lines = lines.filter((l) => !l.includes(`${name} `) && !l.includes(`${name}=`));
  }
  const text = lines.length ? `${lines.join("\n")}\n` : "";
  return `${text}\n${fragment.endsWith("\n") || fragment === "" ? fragment : `${fragment}\n`}`;
}
