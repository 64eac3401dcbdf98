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
 * `scripts/kconfig/conf --olddefconfig` write from the same input. The oracle
 * runs live; nothing here is a recorded output.
 *
 * Scenario counts: KBUILD_KCONFIG_SCENARIOS_6_1 / _6_12 (defaults 100 / 50).
 */

const run = promisify(execFile);
const ARCH = "x86_64";
const MAKE_VARS = ["LLVM=1"];
const BASES = ["tinyconfig", "defconfig", "allnoconfig"] as const;
const ORACLE_PARALLELISM = 4;

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

  /** The kernel's own `make <target>` in its build directory. */
  async function makeTarget(target: string): Promise<string> {
    await run("make", ["-s", "-C", srctree, `O=${work}`, `ARCH=${ARCH}`, ...MAKE_VARS, target], { maxBuffer: 64 << 20 });
    return readFileSync(path.join(work, ".config"), "latin1");
  }

  /** `conf --olddefconfig` (or another mode) on `input`, in a directory of its own so runs can overlap. */
  async function conf(mode: string, input: string): Promise<{ config: string; dir: string }> {
    const dir = mkdtempSync(path.join(work, "run-"));
    writeFileSync(path.join(dir, ".config"), input);
    await run(path.join(work, "scripts/kconfig/conf"), ["-s", `--${mode}`, "Kconfig"], { cwd: dir, env: env as NodeJS.ProcessEnv, maxBuffer: 64 << 20 });
    return { config: readFileSync(path.join(dir, ".config"), "latin1"), dir };
  }

  beforeAll(async () => {
    srctree = await kernelTree(version);
    work = mkdtempSync(path.join(os.tmpdir(), `kbuild-oracle-${version}-`));
    // Builds the kernel's conf in `work` and reads the environment make gives it.
    env = probeMakeEnvironment(srctree, work, ARCH, MAKE_VARS);
    kc = loadKconfig({ srctree, arch: ARCH, env, shell: hostShell(env) }).kconfig;
    for (const base of BASES) oracleBases.set(base, await makeTarget(base));
  }, 300_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it.each(BASES)("writes what `make %s` writes", (base) => {
    const expected = oracleBases.get(base)!;
    const actual = resolveConfig(kc, { base }).config;
    expect(body(actual)).toBe(body(expected));
    expect(actual.split("\n").slice(0, 4)).toEqual(expected.split("\n").slice(0, 4));
  });

  it.each(BASES)("writes the minimal config `savedefconfig` writes from `make %s`", async (base) => {
    const { dir } = await conf("savedefconfig=defconfig", oracleBases.get(base)!);
    const expected = readFileSync(path.join(dir, "defconfig"), "latin1");
    kc.reset();
    kc.read(oracleBases.get(base)!);
    expect(kc.writeMinimal()).toBe(expected);
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

  it(`agrees with conf --olddefconfig on ${scenarios} seeded random scenarios`, async () => {
    const random = seededRandom(seed);
    const candidates = kc.tree.symbols.filter((s: KSymbol) => s.name !== null && s.type !== "unknown" && !(s.flags & Flag.Const));
    const cases = Array.from({ length: scenarios }, (_, i) => {
      const base = BASES[i % BASES.length]!;
      const fragment = randomScenario(kc, candidates, random);
      return { i, base, fragment, input: mergeConfig(oracleBases.get(base)!, fragment) };
    });
    const mismatches: string[] = [];
    // Oracle runs overlap: each spends its time waiting on the tree's $(shell,...) macros.
    for (let k = 0; k < cases.length; k += ORACLE_PARALLELISM) {
      const batch = cases.slice(k, k + ORACLE_PARALLELISM);
      const expected = await Promise.all(batch.map((c) => conf("olddefconfig", c.input)));
      batch.forEach((c, j) => {
        const actual = olddefconfig(kc, c.input);
        if (body(actual) !== body(expected[j]!.config)) {
          mismatches.push(`scenario ${c.i} on ${c.base}:\n${c.fragment}\n${firstDifference(expected[j]!.config, actual)}`);
        }
      });
    }
    expect(mismatches, mismatches.slice(0, 3).join("\n\n")).toEqual([]);
  }, 900_000);
});

function firstDifference(expected: string, actual: string): string {
  const a = expected.split("\n");
  const b = actual.split("\n");
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}: kernel '${a[i]}', engine '${b[i]}'`;
  }
  return "identical";
}
