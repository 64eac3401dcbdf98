import { describe, expect, it } from "vitest";
import { localPath } from "./local-path";

describe("localPath", () => {
  it("keeps a path on this site, with its query and fragment", () => {
    expect(localPath("/invite/abc")).toBe("/invite/abc");
    expect(localPath("/builds/1?x=2#L5")).toBe("/builds/1?x=2#L5");
  });

  it("sends anything that leads to another host, or is not a path, to the build list", () => {
    for (const next of [undefined, "", "https://evil.example/", "//evil.example", "/\\evil.example", "\\\\evil.example", "javascript:alert(1)", "builds"]) {
      expect(localPath(next)).toBe("/");
    }
  });
});
