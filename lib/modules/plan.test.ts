import { describe, expect, it } from "vitest";
import { loadProfiles } from "../toolchain/profiles";
import { moduleMounts, planModuleBuild } from "./plan";

describe("module build plan", () => {
  it("runs make -C <kit> M=<module> modules with the kernel's pinned tools, no compiler cache, then modinfo and artifacts", async () => {
    const profile = (await loadProfiles()).get("debian-bookworm-llvm14")!;
    const steps = planModuleBuild({ kind: "module", kernelBuild: "0b3f1c9e-0000-4000-8000-000000000000", jobs: 3, files: [] }, profile, "x86_64");
    expect(steps.map((s) => s.name)).toEqual(["toolchain", "make", "modinfo", "artifacts"]);
    const make = steps[1]!;
    expect(make.argv).toEqual(["make", "-C", "/out", "M=/module", "ARCH=x86_64", "LLVM=1", "RUSTC=/usr/bin/rustc", "HOSTRUSTC=/usr/bin/rustc", "BINDGEN=/usr/bin/bindgen", "RUSTFMT=/usr/bin/rustfmt", "-j3", "modules"]);
    expect(make.cwd).toBe("/module");
    expect(Object.keys(make.env).filter((k) => k.startsWith("CCACHE"))).toEqual([]);
    expect(make.argv!.join(" ")).not.toMatch(/ccache/);
    expect(steps[3]!.artifacts).toEqual([{ glob: "*.ko" }]);
  });

  it("mounts the tree and the kit read-only, at the kernel build's paths, and only the module's directory writable", () => {
    expect(moduleMounts("/h/src", "/h/kit", "/h/mod")).toEqual([
      { host: "/h/src", target: "/src", writable: false },
      { host: "/h/kit", target: "/out", writable: false },
      { host: "/h/mod", target: "/module", writable: true },
    ]);
  });
});
