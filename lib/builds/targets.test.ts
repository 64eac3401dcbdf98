import { describe, expect, it } from "vitest";
import { TARGETS, TARGET_NAMES, resolveTargets, skippedTargets } from "./targets";

const names = (ts: { name: string }[]) => ts.map((t) => t.name);

describe("build targets", () => {
  it("loads the catalogue from data, every dependency known", () => {
    expect(TARGET_NAMES).toEqual(["kernel", "modules", "module-kit", "vmlinux"]);
    expect(TARGETS.get("modules")!.preconditions).toEqual([{ config: "MODULES", equals: "y" }]);
    expect(TARGETS.get("module-kit")!.dependsOn).toEqual(["modules"]);
  });

  it("adds dependencies and orders each target after what it depends on", () => {
    expect(names(resolveTargets(["module-kit"]))).toEqual(["modules", "module-kit"]);
    expect(names(resolveTargets(["vmlinux", "kernel"]))).toEqual(["kernel", "vmlinux"]);
    expect(names(resolveTargets([]))).toEqual([]);
    expect(() => resolveTargets(["firmware"])).toThrow(/unknown build target firmware/);
  });

  it("skips a target whose precondition fails on the resolved .config, and what depends on it", () => {
    const targets = resolveTargets(["kernel", "module-kit"]);
    const skipped = skippedTargets(targets, new Map([["64BIT", "y"]]));
    expect(skipped.get("modules")).toBe("modules needs CONFIG_MODULES=y, and the resolved .config has CONFIG_MODULES not set");
    expect(skipped.get("module-kit")).toMatch(/^module-kit depends on modules, which is skipped: modules needs CONFIG_MODULES=y/);
    expect(skipped.has("kernel")).toBe(false);
    expect(skippedTargets(targets, new Map([["MODULES", "y"]])).size).toBe(0);
  });
});
