import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kernelTree } from "../../../test/kernel-tree";
import { hostShell, loadKconfig, mergeConfig, olddefconfig, probeMakeEnvironment, resolveConfig, type Kconfig } from ".";
import { Flag, type KSymbol } from "./model";
import { randomScenario, seededRandom } from "../../../test/kconfig-scenarios";

/**
 * The kernel is the oracle: for real trees, the engine's .config must equal,
 * byte for byte below the header, what the tree's own `make <target>` and
 * `conf --olddefconfig` / `--savedefconfig` write from the same input. The
 * oracle runs live; nothing here is a recorded output.
 *
 * A conf run spends nearly all its time in the tree's $(shell,...) macros,
 * which run again for every input. So the scenarios go through one run of the
 * tree's own Kconfig library (test/kconfig-oracle.c, linked with the objects
 * `conf` is made of), which parses the tree once and then reads and writes
 * each input as conf does; a sample of them is checked against separate
 * `conf` processes.
 *
 * Scenario counts: KBUILD_KCONFIG_SCENARIOS_6_1 / _6_12 (defaults 100 / 50).
 */

const run = promisify(execFile);
const ARCH = "x86_64";
const MAKE_VARS = ["LLVM=1"];
const BASES = ["tinyconfig", "defconfig", "allnoconfig"] as const;
/** The objects of the tree's `conf` but conf.o (scripts/kconfig/Makefile, common-objs). */
const KCONFIG_OBJECTS = ["confdata", "expr", "lexer.lex", "menu", "parser.tab", "preprocess", "symbol", "util"];
/** How many scenarios the driver's outputs are checked on against separate conf processes. */
const CONF_SAMPLE = 2;

type Mode = "olddefconfig" | "savedefconfig";
interface OracleJob {
  mode: Mode;
  input: string;
}

const body = (config: string) => config.split("\n").slice(4).join("\n");

describe.each([
  { version: "6.1" as const, scenarios: Number(process.env.KBUILD_KCONFIG_SCENARIOS_6_1 ?? 100), seed: 61 },
  { version: "6.12" as const, scenarios: Number(process.env.KBUILD_KCONFIG_SCENARIOS_6_12 ?? 50), seed: 612 },
])("Kconfig engine against Linux $version's own conf", ({ version, scenarios, seed }) => {
  let srctree: string;
  let work: string;
  let env: Record<string, string>;
  let kc: Kconfig;
  const oracleBases = new Map<string, string>();
  const minimal = new Map<string, string>();
  let cases: { i: number; base: string; fragment: string; input: string; expected: string }[] = [];

  /** The kernel's own `make <target>` in its build directory. */
  async function makeTarget(target: string): Promise<string> {
    await run("make", ["-s", "-C", srctree, `O=${work}`, `ARCH=${ARCH}`, ...MAKE_VARS, target], { maxBuffer: 64 << 20 });
    return readFileSync(path.join(work, ".config"), "latin1");
  }

  /** `conf --<mode>` on one input, as its own process, in a directory of its own. */
  async function conf(mode: Mode, input: string): Promise<string> {
    const dir = mkdtempSync(path.join(work, "conf-"));
    writeFileSync(path.join(dir, ".config"), input);
    const flag = mode === "savedefconfig" ? "--savedefconfig=out" : "--olddefconfig";
    await run(path.join(work, "scripts/kconfig/conf"), ["-s", flag, "Kconfig"], { cwd: dir, env: env as NodeJS.ProcessEnv, maxBuffer: 64 << 20 });
    return readFileSync(path.join(dir, mode === "savedefconfig" ? "out" : ".config"), "latin1");
  }

  /** Every job through one run of the tree's Kconfig library (test/kconfig-oracle.c). */
  async function oracle(jobs: OracleJob[]): Promise<string[]> {
    const dir = mkdtempSync(path.join(work, "oracle-"));
    const args = jobs.flatMap((job, i) => {
      writeFileSync(path.join(dir, `${i}.in`), job.input);
      return [job.mode, path.join(dir, `${i}.in`), path.join(dir, `${i}.out`)];
    });
    await run(path.join(work, "kconfig-oracle"), ["Kconfig", ...args], { cwd: work, env: env as NodeJS.ProcessEnv, maxBuffer: 64 << 20 });
    return jobs.map((_, i) => readFileSync(path.join(dir, `${i}.out`), "latin1"));
  }

  beforeAll(async () => {
    srctree = await kernelTree(version);
    work = mkdtempSync(path.join(os.tmpdir(), `kbuild-oracle-${version}-`));
    // Builds the kernel's conf in `work` and reads the environment make gives it.
    env = probeMakeEnvironment(srctree, work, ARCH, MAKE_VARS);
    const kconfigDir = path.join(srctree, "scripts/kconfig");
    await run("cc", ["-O2", "-I", kconfigDir, "-I", path.join(srctree, "scripts/include"), "-o", path.join(work, "kconfig-oracle"),
      path.join(import.meta.dirname, "../../../test/kconfig-oracle.c"), ...KCONFIG_OBJECTS.map((o) => path.join(work, "scripts/kconfig", `${o}.o`))]);
    kc = loadKconfig({ srctree, arch: ARCH, env, shell: hostShell(env) }).kconfig;
    for (const base of BASES) oracleBases.set(base, await makeTarget(base));

    const random = seededRandom(seed);
    const candidates = kc.tree.symbols.filter((s: KSymbol) => s.name !== null && s.type !== "unknown" && !(s.flags & Flag.Const));
    const scenarioInputs = Array.from({ length: scenarios }, (_, i) => {
      const base = BASES[i % BASES.length]!;
      const fragment = randomScenario(kc, candidates, random);
      return { i, base, fragment, input: mergeConfig(oracleBases.get(base)!, fragment) };
    });
    const jobs: OracleJob[] = [
      ...BASES.map((base) => ({ mode: "savedefconfig" as const, input: oracleBases.get(base)! })),
      ...scenarioInputs.map((c) => ({ mode: "olddefconfig" as const, input: c.input })),
    ];
    const outputs = await oracle(jobs);
    BASES.forEach((base, i) => minimal.set(base, outputs[i]!));
    cases = scenarioInputs.map((c, i) => ({ ...c, expected: outputs[BASES.length + i]! }));
  }, 600_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("the oracle's one parse writes what separate conf processes write", async () => {
    // Spread over the run, so that state left behind by an earlier input would show.
    const sample = Array.from({ length: CONF_SAMPLE }, (_, k) => cases[Math.floor(((k + 1) * cases.length) / (CONF_SAMPLE + 1))]!);
    const fromConf = await Promise.all([
      conf("savedefconfig", oracleBases.get("defconfig")!),
      ...sample.map((c) => conf("olddefconfig", c.input)),
    ]);
    expect(fromConf[0]).toBe(minimal.get("defconfig"));
    sample.forEach((c, k) => expect(body(fromConf[k + 1]!), `scenario ${c.i}`).toBe(body(c.expected)));
  });

  it.each(BASES)("writes what `make %s` writes", (base) => {
    const expected = oracleBases.get(base)!;
    const actual = resolveConfig(kc, { base }).config;
    expect(body(actual)).toBe(body(expected));
    expect(actual.split("\n").slice(0, 4)).toEqual(expected.split("\n").slice(0, 4));
  });

  it.each(BASES)("writes the minimal config `savedefconfig` writes from `make %s`", (base) => {
    kc.reset();
    kc.read(oracleBases.get(base)!);
    expect(kc.writeMinimal()).toBe(minimal.get(base));
  });

  it("recomputes only what a user's toggle reaches, to the values a full recomputation gives", () => {
    const random = seededRandom(seed + 1);
    kc.reset();
    kc.read(oracleBases.get("defconfig")!);
    const ev = kc.eval;
    const toggles = kc.tree.symbols.filter((s) => s.name && (s.type === "bool" || s.type === "tristate" || s.type === "int"));
    for (let i = 0; i < 60; i++) {
      const sym = toggles[Math.floor(random() * toggles.length)]!;
      ev.calcValue(sym);
      if (sym.visible === 0) continue;
      if (sym.type === "int") ev.setString(sym, String(Math.floor(random() * 64)));
      else ev.setTristate(sym, (sym.curr.tri === 2 ? (ev.tristateWithinRange(sym, 1) ? 1 : 0) : 2) as 0 | 1 | 2);
      const incremental = kc.write();
      ev.clearAllValid();
      expect(kc.write(), `after toggling ${sym.name}`).toBe(incremental);
    }
  });

  it(`agrees with conf --olddefconfig on ${scenarios} seeded random scenarios`, () => {
    const mismatches: string[] = [];
    for (const c of cases) {
      const actual = olddefconfig(kc, c.input);
      if (body(actual) !== body(c.expected)) mismatches.push(`scenario ${c.i} on ${c.base}:\n${c.fragment}\n${firstDifference(c.expected, actual)}`);
    }
    expect(mismatches, mismatches.slice(0, 3).join("\n\n")).toEqual([]);
  });
});

function firstDifference(expected: string, actual: string): string {
  const a = expected.split("\n");
  const b = actual.split("\n");
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}: kernel '${a[i]}', engine '${b[i]}'`;
  }
  return "identical";
}
