import { describe, expect, it } from "vitest";
import { BuildDiagnostics } from "../diagnostics";
import { type ComparedBuild, compareBuilds } from "./compare";

function summaryOf(lines: string[]) {
  const d = new BuildDiagnostics();
  lines.forEach((l, i) => d.line(i + 1, l));
  d.endStep();
  return d.summary();
}

const base: ComparedBuild = {
  id: "a",
  status: "succeeded",
  source: "linux-6.1",
  kernelVersion: "6.1.192",
  profile: "debian-bookworm-llvm14",
  baseConfig: "tinyconfig",
  options: [{ symbol: "RUST", value: "y" }],
  toolchain: { clang: "Debian clang version 14.0.6", rustc: "rustc 1.63.0" },
  diagnostics: summaryOf(["/src/drivers/a.c:1:7: warning: unused variable 'x' [-Wunused-variable]"]),
  artifacts: [
    { name: ".config", size: 100, sha256: "c1" },
    { name: "bzImage", size: 1000, sha256: "k1" },
  ],
  steps: [
    { name: "olddefconfig", durationMs: 5000 },
    { name: "make", durationMs: 60_000 },
  ],
  durationMs: 70_000,
  dotConfig: "CONFIG_RUST=y\nCONFIG_SAMPLES=y\n# CONFIG_MODULES is not set\nCONFIG_LOG_BUF_SHIFT=17\n",
};

describe("comparing two builds", () => {
  it("lists what differs: resolved symbols, requested options, tool versions, diagnostics, artifacts and steps", () => {
    const b: ComparedBuild = {
      ...base,
      id: "b",
      options: [{ symbol: "RUST", value: "y" }, { symbol: "MODULES", value: "y" }],
      toolchain: { clang: "Debian clang version 16.0.6", rustc: "rustc 1.63.0" },
      diagnostics: summaryOf(["/src/kernel/b.c:3:5: error: use of undeclared identifier 'y'"]),
      artifacts: [
        { name: ".config", size: 120, sha256: "c2" },
        { name: "bzImage", size: 1000, sha256: "k1" },
        { name: "modules.tar.xz", size: 50, sha256: "m" },
      ],
      steps: [{ name: "olddefconfig", durationMs: 4000 }, { name: "make", durationMs: 90_000 }, { name: "modules-install", durationMs: 1000 }],
      durationMs: 100_000,
      dotConfig: "CONFIG_RUST=y\nCONFIG_MODULES=y\nCONFIG_LOG_BUF_SHIFT=18\n",
    };
    const c = compareBuilds(base, b);
    expect(c.config).toEqual([
      { name: "CONFIG_LOG_BUF_SHIFT", a: "17", b: "18" },
      { name: "CONFIG_MODULES", a: "n", b: "y" },
      { name: "CONFIG_SAMPLES", a: "y", b: "n" },
    ]);
    expect(c.options).toEqual([{ name: "CONFIG_MODULES", a: null, b: "y" }]);
    expect(c.toolchain).toEqual([{ name: "clang", a: "Debian clang version 14.0.6", b: "Debian clang version 16.0.6" }]);
    expect(c.diagnostics!.new.map((d) => [d.severity, d.file])).toEqual([["error", "kernel/b.c"]]);
    expect(c.diagnostics!.fixed.map((d) => [d.severity, d.file])).toEqual([["warning", "drivers/a.c"]]);
    expect(c.artifacts).toEqual([
      { name: ".config", a: 100, b: 120, same: false },
      { name: "bzImage", a: 1000, b: 1000, same: true },
      { name: "modules.tar.xz", a: null, b: 50, same: false },
    ]);
    expect(c.steps).toEqual([
      { name: "olddefconfig", a: 5000, b: 4000 },
      { name: "make", a: 60_000, b: 90_000 },
      { name: "modules-install", a: null, b: 1000 },
    ]);
    expect(c.durationMs).toEqual({ a: 70_000, b: 100_000 });
  });

  it("a build compared with itself differs in nothing; without a .config there is no config diff", () => {
    const c = compareBuilds(base, base);
    expect([c.config, c.options, c.toolchain, c.diagnostics]).toEqual([[], [], [], { new: [], fixed: [] }]);
    expect(compareBuilds(base, { ...base, dotConfig: null }).config).toBeNull();
  });
});
