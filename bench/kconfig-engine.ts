import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { hostShell, loadKconfig, olddefconfig, probeMakeEnvironment, resolveConfig, type MacroCache } from "../lib/kconfig/engine";
import { valueOf } from "../lib/kconfig/engine/explain";
import { Flag, NO, YES, type Tri } from "../lib/kconfig/engine/model";
import { ConfigSession } from "../lib/kconfig/engine/session";
import { kernelTree } from "../test/kernel-tree";
import { machine, median, percentile, runBench } from "./common";

/**
 * The TypeScript Kconfig engine on the whole x86_64 tree of Linux 6.1 and 6.12:
 *  - parse: parse + finalize with the macro cache replayed (what the server does per source);
 *  - olddefconfig: parse + read a .config + write it, against the kernel's own
 *    `conf --olddefconfig` on the same input in the same run (conf also runs
 *    the tree's $(shell,...) macros, which the engine answers from its cache);
 *  - toggle: one user toggle plus the recomputation of every symbol's value.
 */

const RUNS = Number(process.env.KBUILD_BENCH_RUNS ?? 7);
const TOGGLES = 200;

const time = (f: () => void) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};

async function benchTree(version: "6.1" | "6.12") {
  const srctree = await kernelTree(version);
  const work = mkdtempSync(path.join(os.tmpdir(), `kbuild-bench-kconfig-${version}-`));
  try {
    const env = probeMakeEnvironment(srctree, work, "x86_64", ["LLVM=1"]);
    const { kconfig, cache } = loadKconfig({ srctree, arch: "x86_64", env, shell: hostShell(env) });
    const input = resolveConfig(kconfig, { base: "defconfig" }).config;
    writeFileSync(path.join(work, ".config"), input);

    const parse: number[] = [];
    const engine: number[] = [];
    const kernel: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      parse.push(time(() => load(srctree, env, cache)));
      engine.push(time(() => olddefconfig(load(srctree, env, cache), input)));
      kernel.push(time(() => execFileSync(path.join(work, "scripts/kconfig/conf"), ["-s", "--olddefconfig", "Kconfig"], { cwd: work, env: env as NodeJS.ProcessEnv })));
    }
    if (readFileSync(path.join(work, ".config"), "latin1") !== olddefconfig(kconfig, input)) throw new Error(`${version}: engine and kernel disagree on defconfig`);

    // Toggles on the defconfig model: a visible bool/tristate symbol each, then every symbol recomputed.
    kconfig.reset();
    kconfig.read(input);
    const ev = kconfig.eval;
    const visible = kconfig.tree.symbols.filter((s) => s.name && (s.type === "bool" || s.type === "tristate") && (ev.calcValue(s), s.visible !== NO));
    // What a configurator session builds once, while the page renders.
    const prepare = time(() => ev.prepareForChanges());
    const pick = (i: number) => visible[(i * 7919) % visible.length]!;
    const toggles: number[] = [];
    for (let i = 0; i < TOGGLES; i++) {
      const sym = pick(i);
      toggles.push(
        time(() => {
          ev.setTristate(sym, (sym.curr.tri === YES ? NO : YES) as Tri);
          for (const s of kconfig.tree.symbols) if (!(s.flags & Flag.Valid)) ev.calcValue(s);
        }),
      );
    }
    // The same toggles as the configurator's Web Worker answers them: the change, what else
    // changed, and the view of every value it posts back to the page.
    const session = new ConfigSession(kconfig, input);
    session.kc.eval.prepareForChanges();
    const sessionToggles: number[] = [];
    for (let i = 0; i < TOGGLES; i++) {
      const sym = pick(i);
      const value = valueOf(kconfig, sym) === "y" ? "n" : "y";
      sessionToggles.push(time(() => (session.set(sym.name!, value), session.view())));
    }
    return {
      tree: version,
      symbols: kconfig.tree.symbols.length,
      files: kconfig.tree.files.length,
      macros: Object.keys(cache.shell).length,
      parseMs: Math.round(median(parse)),
      engineOlddefconfigMs: Math.round(median(engine)),
      kernelConfOlddefconfigMs: Math.round(median(kernel)),
      ratioEngineToKernel: Number((median(engine) / median(kernel)).toFixed(3)),
      prepareForChangesMs: Math.round(prepare),
      toggleMedianMs: Number(median(toggles).toFixed(1)),
      toggleP95Ms: Number(percentile(toggles, 95).toFixed(1)),
      sessionToggleMedianMs: Number(median(sessionToggles).toFixed(1)),
      sessionToggleP95Ms: Number(percentile(sessionToggles, 95).toFixed(1)),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function load(srctree: string, env: Record<string, string>, cache: MacroCache) {
  return loadKconfig({ srctree, arch: "x86_64", env, cache }).kconfig;
}

runBench("kconfig-engine", async () => {
  const results = [await benchTree("6.1"), await benchTree("6.12")];
  const summary = { machine: machine(), runs: RUNS, toggles: TOGGLES, goals: { parseMs: 1000, toggleMs: 20 }, results };
  const resultsDir = path.join(import.meta.dirname, "results");
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, "kconfig-engine.json"), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(JSON.stringify(summary, null, 2));
});
