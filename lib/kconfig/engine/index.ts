import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { srcArchFor } from "../scan";
import { Kconfig } from "./kconfig";
import type { ChoiceRules } from "./model";
import { parseKconfig } from "./parser";
import type { ShellRunner } from "./preprocess";

export { Kconfig } from "./kconfig";
export { resolveConfig, mergeConfig, checkFragment, olddefconfig } from "./targets";
export type { ShellRunner } from "./preprocess";

/**
 * What Kconfig's `$(shell,...)` answered for one (source, arch, toolchain):
 * the environment make gave Kconfig and every command's processed output.
 * Recorded once where the toolchain lives, replayed wherever the tree is parsed.
 */
export interface MacroCache {
  version: 1;
  env: Record<string, string>;
  shell: Record<string, string>;
}

export interface LoadOptions {
  srctree: string;
  arch: string;
  /** The environment make exports to Kconfig (see makeEnvironment). */
  env: Record<string, string>;
  /** Runs commands for real; without it every command must be in `cache`. */
  shell?: ShellRunner;
  cache?: MacroCache;
}

/** The tree's kernel version as [major, minor]. */
export function treeVersion(srctree: string): [number, number] {
  const head = readFileSync(path.join(srctree, "Makefile"), "latin1").split("\n").slice(0, 10);
  const field = (name: string) => Number(head.find((l) => l.startsWith(`${name} =`))?.split("=")[1]?.trim());
  return [field("VERSION"), field("PATCHLEVEL")];
}

export function choiceRulesOf(srctree: string): ChoiceRules {
  const [major, minor] = treeVersion(srctree);
  return major > 6 || (major === 6 && minor >= 11) ? "post-6.11" : "pre-6.11";
}

export class MissingMacroError extends Error {
  constructor(readonly command: string) {
    super(`the macro cache has no answer for $(shell,${command}); record it again for this source, arch and toolchain`);
  }
}

/** Parses the tree and finalizes it; macros run through `shell` or are answered from `cache`. */
export function loadKconfig(options: LoadOptions): { kconfig: Kconfig; cache: MacroCache } {
  const recorded = options.cache?.shell ?? {};
  const shell: ShellRunner = (command) => {
    const answer = recorded[command];
    if (answer !== undefined) return answer;
    if (!options.shell) throw new MissingMacroError(command);
    return options.shell(command);
  };
  const env = { ...options.cache?.env, ...options.env, ARCH: options.arch, SRCARCH: srcArchFor(options.arch), srctree: options.srctree };
  const parseOptions = { srctree: options.srctree, env, shell, choiceRules: choiceRulesOf(options.srctree) };
  const kconfig = Kconfig.fromParsed(parseKconfig(parseOptions), parseOptions);
  const pp = kconfig.tree.preprocessor;
  const cache: MacroCache = { version: 1, env, shell: Object.fromEntries(pp.shellCalls) };
  return { kconfig, cache };
}

/**
 * The environment make exports to Kconfig for `make ARCH=<arch> <vars>`, read
 * from make itself: a one-line Kconfig file given as KBUILD_KCONFIG dumps it.
 * Host-side; the worker does the same inside the toolchain's runtime.
 */
export function makeEnvironment(srctree: string, arch: string, makeVars: string[], env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kbuild-kconfig-env-"));
  try {
    return probeMakeEnvironment(srctree, path.join(dir, "out"), arch, makeVars, env);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** makeEnvironment in the build directory `outDir`, which keeps the kernel's own `conf` built there. */
export function probeMakeEnvironment(srctree: string, outDir: string, arch: string, makeVars: string[], env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  mkdirSync(outDir, { recursive: true });
  const probe = path.join(outDir, "Kconfig.kbuild-probe");
  writeFileSync(probe, MAKE_ENV_PROBE);
  execFileSync("make", ["-s", "-C", srctree, `O=${outDir}`, `ARCH=${arch}`, ...makeVars, `KBUILD_KCONFIG=${probe}`, "olddefconfig"], {
    env,
    stdio: ["ignore", "ignore", "pipe"],
    maxBuffer: 16 * 1024 * 1024,
  });
  return parseEnvDump(readFileSync(path.join(outDir, "kconfig.env"), "latin1"));
}

/** Written into the build directory, which is Kconfig's working directory. */
export const MAKE_ENV_PROBE = "probe := $(shell,env -0 > kconfig.env)\n";

export function parseEnvDump(dump: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of dump.split("\0")) {
    const eq = entry.indexOf("=");
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

/** Runs a macro command on this host the way conf does (popen: /bin/sh -c), in a scratch directory. */
export function hostShell(env: Record<string, string>): ShellRunner {
  const cwd = mkdtempSync(path.join(os.tmpdir(), "kbuild-kconfig-sh-"));
  process.on("exit", () => rmSync(cwd, { recursive: true, force: true }));
  return (command) => {
    try {
      return execFileSync("/bin/sh", ["-c", command], { cwd, env: env as NodeJS.ProcessEnv, encoding: "latin1", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 16 * 1024 * 1024 });
    } catch (err) {
      // conf ignores the exit status; only the output counts.
      return String((err as { stdout?: string }).stdout ?? "");
    }
  };
}
