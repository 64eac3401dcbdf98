import { describe, expect, it } from "vitest";
import { isSafeFileName } from "./artifacts";

describe("artifact names as file names", () => {
  it("takes a build's real artifact names", () => {
    for (const name of [".config", "bzImage", "build.log.gz", "rust_minimal.ko", "module-kit.tar.xz", "System.map"]) expect(isSafeFileName(name), name).toBe(true);
  });

  it("refuses anything that would be a path, a directory, or a name a terminal would mangle", () => {
    for (const name of ["", ".", "..", "../.bashrc", "/etc/passwd", "a/b", "..\\x", "a\\b", "a\nb", "a\u0000b", "x".repeat(256)]) {
      expect(isSafeFileName(name), JSON.stringify(name)).toBe(false);
    }
  });
});
