import { describe, expect, it } from "vitest";
import { parseCcacheStatsLog } from "./ccache";
import { isObjectLine, progressFraction } from "./progress";

describe("isObjectLine", () => {
  it("counts kbuild's quiet command lines, C and Rust, built-in and modules", () => {
    for (const line of [
      "  CC      init/main.o",
      "  HOSTCC  scripts/basic/fixdep",
      "  RUSTC L rust/core.o",
      "  RUSTC [M] samples/rust/rust_minimal.o",
      "  LD [M]  samples/rust/rust_minimal.ko",
      "  BINDGEN rust/bindings/bindings_generated.rs",
      "  SYNC    include/config/auto.conf.cmd",
      "  AR      init/built-in.a",
    ]) {
      expect(isObjectLine(line), line).toBe(true);
    }
  });

  it("ignores make's own lines, compiler diagnostics and blank lines", () => {
    for (const line of [
      "make[1]: Entering directory '/out'",
      "init/main.c:12:5: error: expected ';'",
      "  GEN     ", // no path
      "    CC init/main.o", // four spaces: a compiler's note, not kbuild
      "",
      "Kernel: arch/x86/boot/bzImage is ready  (#1)",
    ]) {
      expect(isObjectLine(line), line).toBe(false);
    }
  });
});

describe("progressFraction", () => {
  it("is indeterminate without a previous build and stays under 1 until the step ends", () => {
    expect(progressFraction({ done: 10, total: null })).toBeNull();
    expect(progressFraction({ done: 250, total: 1000 })).toBe(0.25);
    expect(progressFraction({ done: 1200, total: 1000 })).toBe(0.99);
  });
});

describe("parseCcacheStatsLog", () => {
  it("counts this build's hits, misses and uncacheable calls", () => {
    const log = [
      "# init/main.c",
      "cache_miss",
      "direct_cache_miss",
      "local_storage_write",
      "# init/version.c",
      "direct_cache_hit",
      "local_storage_hit",
      "# kernel/fork.c",
      "preprocessed_cache_hit",
      "# arch/x86/boot/header.S",
      "called_for_preprocessing",
      "",
    ].join("\n");
    expect(parseCcacheStatsLog(log)).toEqual({ calls: 4, hits: 2, misses: 1, uncacheable: 1 });
    expect(parseCcacheStatsLog("")).toEqual({ calls: 0, hits: 0, misses: 0, uncacheable: 0 });
  });
});
