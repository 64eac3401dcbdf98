import { readFile, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { loadKconfig, MAKE_ENV_PROBE, parseEnvDump, type Kconfig, type MacroCache } from "../lib/kconfig/engine";
import type { Sandbox } from "./runtimes/runtime";

/**
 * Kconfig's macros answered inside a toolchain profile's sandbox, as the
 * kernel's own `conf` would answer them there: make's environment is read
 * from make itself (a probe Kconfig file dumps it), and every $(shell,...)
 * command runs with that environment in the build directory.
 *
 * The parser is synchronous and the sandbox is not, so the tree is parsed in
 * rounds: each round collects the commands nobody has answered yet (they read
 * as empty meanwhile), the sandbox answers them, and the next round goes on
 * with the answers, until a round asks nothing new.
 */

export interface MacroSandbox {
  sandbox: Sandbox;
  /** The tree on this host and where the sandbox sees it. */
  hostTree: string;
  sandboxTree: string;
  /** The build directory on this host and in the sandbox. */
  hostOut: string;
  sandboxOut: string;
  /** Environment of the sandbox's commands (the profile's). */
  env: Record<string, string>;
  signal: AbortSignal;
}

/** Runs a command in the sandbox and returns its standard output (and, apart, its errors). */
async function runIn(s: MacroSandbox, argv: string[], env: Record<string, string>): Promise<{ stdout: string; stderr: string; exitCode: number | null }> {
  const out: string[] = [];
  const err: string[] = [];
  const result = await s.sandbox.run({ argv, env, cwd: s.sandboxOut, signal: s.signal, onLine: (line, stream) => (stream === "stdout" ? out : err).push(line) });
  if (result.aborted) throw new Error("stopped");
  return { stdout: out.length ? `${out.join("\n")}\n` : "", stderr: err.join("\n"), exitCode: result.exitCode };
}

/** make's environment for Kconfig in the sandbox (index.ts's probe, run where the toolchain is). */
export async function sandboxMakeEnvironment(s: MacroSandbox, arch: string, makeVars: string[]): Promise<Record<string, string>> {
  await mkdir(path.join(s.hostOut, ".kbuild"), { recursive: true });
  await writeFile(path.join(s.hostOut, ".kbuild", "Kconfig.probe"), MAKE_ENV_PROBE);
  const probe = `${s.sandboxOut}/.kbuild/Kconfig.probe`;
  const make = await runIn(s, ["make", "-s", "-C", s.sandboxTree, `O=${s.sandboxOut}`, `ARCH=${arch}`, ...makeVars, `KBUILD_KCONFIG=${probe}`, "olddefconfig"], s.env);
  if (make.exitCode !== 0) throw new Error(`reading make's Kconfig environment failed (exit ${make.exitCode}): ${make.stderr.slice(-2000)}`);
  return parseEnvDump(await readFile(path.join(s.hostOut, "kconfig.env"), "latin1"));
}

/** `{ CMD; } >/dev/null 2>&1 && echo "Y" || echo "N"`: the shape of $(success,...) and friends. */
const QUIET_TEST = /^\{ ([\s\S]*); \} >\/dev\/null 2>&1 && echo "([^"]*)" \|\| echo "([^"]*)"$/;

export interface RecordedMacros {
  kconfig: Kconfig;
  cache: MacroCache;
  /** What quiet tests that failed printed, run again with their output kept. */
  diagnostics: Record<string, string>;
}

export async function recordMacros(s: MacroSandbox, arch: string, env: Record<string, string>, onProgress: (commands: number) => Promise<void>): Promise<RecordedMacros> {
  const answers: Record<string, string> = {};
  // The host parses with the tree's host path; the sandbox has it elsewhere.
  const inSandbox = (command: string) => command.split(s.hostTree).join(s.sandboxTree);
  for (let round = 0; ; round++) {
    if (round > 100) throw new Error("macro commands kept asking for new commands after 100 rounds");
    const pending = new Set<string>();
    try {
      const done = loadKconfig({
        srctree: s.hostTree,
        arch,
        env,
        cache: { version: 1, env, shell: answers },
        shell: (command) => {
          pending.add(command);
          return placeholder(command);
        },
      });
      if (!pending.size) {
        const diagnostics = await diagnose(s, done.cache, env, inSandbox);
        return { ...done, diagnostics };
      }
    } catch (err) {
      // A placeholder can still make a statement invalid: answer what is pending, then look again.
      if (!pending.size) throw err;
    }
    for (const command of pending) {
      answers[command] = (await runIn(s, ["sh", "-c", inSandbox(command)], env)).stdout;
    }
    await onProgress(Object.keys(answers).length);
  }
}

/**
 * What an unanswered command reads as until the sandbox answers: something
 * that parses where its answer would (an empty word ends a `def_bool`
 * statement too early), so that one round finds as many commands as it can.
 */
export function placeholder(command: string): string {
  // The value of success: a failed `$(error-if,$(failure,...))` would stop the parse.
  return QUIET_TEST.exec(command)?.[2] || "n";
}

/** For each quiet test that answered its failure value: the command's own words. */
async function diagnose(s: MacroSandbox, cache: MacroCache, env: Record<string, string>, inSandbox: (c: string) => string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [command, answer] of Object.entries(cache.shell)) {
    const m = QUIET_TEST.exec(command);
    if (!m || answer !== m[3] || m[2] === m[3]) continue;
    const inner = m[1]!;
    // Only scripts of the tree have something to say (compiler probes just fail).
    if (!inner.includes(s.hostTree)) continue;
    const run = await runIn(s, ["sh", "-c", `{ ${inSandbox(inner)}; } 2>&1`], env);
    const text = run.stdout.trim();
    if (text) out[command] = text.slice(0, 4000);
  }
  return out;
}
