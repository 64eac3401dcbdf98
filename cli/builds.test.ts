import { describe, expect, it } from "vitest";
import type { BuildView } from "../lib/builds/service";
import { statusText } from "./builds";

const build = {
  id: "b1",
  status: "succeeded",
  statusReason: null,
  queuePosition: null,
  kind: "kernel",
  kernelBuildId: null,
  source: { name: "linux-6.1", version: "6.1.192" },
  profile: "debian-bookworm-llvm14",
  baseConfig: "tinyconfig",
  options: [],
  targets: ["kernel"],
  createdAt: "2026-11-27T10:00:00.000Z",
  startedAt: null,
  finishedAt: null,
  submitter: { name: "Ada" },
  diagnostics: null,
  steps: [],
  artifacts: [
    { name: ".config", size: 2048, sha256: "c".repeat(64), removedAt: null },
    { name: "bzImage", size: 900_000, sha256: "b".repeat(64), removedAt: "2026-11-27T12:00:00.000Z" },
  ],
} as unknown as BuildView;

describe("kbuild status", () => {
  it("lists a file retention removed as removed, not with a checksum to download against", () => {
    const text = statusText(build);
    expect(text).toMatch(/\.config .*c{64}/);
    expect(text).toMatch(/bzImage .*removed by retention/);
    expect(text).not.toContain("b".repeat(64));
  });
});
