import { describe, expect, it } from "vitest";
import { kitProblem } from "./service";

const RUST_KERNEL = "CONFIG_64BIT=y\nCONFIG_MODULES=y\nCONFIG_RUST=y\n";
const ok = { status: "succeeded", kind: "kernel", artifacts: [".config", "module-kit.tar.xz"], dotConfig: RUST_KERNEL };

describe("which kernel builds take modules", () => {
  it("a finished Rust kernel with modules and a module kit", () => {
    expect(kitProblem(ok)).toBeNull();
  });

  it("refuses the others with the reason", () => {
    expect(kitProblem({ ...ok, dotConfig: "CONFIG_MODULES=y\n# CONFIG_RUST is not set\n" })).toMatch(/without Rust support \(CONFIG_RUST is not set\)/);
    expect(kitProblem({ ...ok, dotConfig: "CONFIG_RUST=y\n# CONFIG_MODULES is not set\n" })).toMatch(/without loadable module support \(CONFIG_MODULES is not set\)/);
    expect(kitProblem({ ...ok, artifacts: [".config"] })).toMatch(/no module kit: build the kernel again with the module-kit target/);
    expect(kitProblem({ ...ok, status: "running" })).toMatch(/has not succeeded \(it is running\)/);
    expect(kitProblem({ ...ok, kind: "module" })).toMatch(/this is a module build/);
    expect(kitProblem({ ...ok, dotConfig: null })).toMatch(/left no \.config/);
  });
});
