import { describe, expect, it } from "vitest";
import {
  elapsedText,
  formatBytes,
  formatCount,
  formatDuration,
  formatTimestamp,
  groupArtifacts,
  relativeTime,
  shortDigest,
  sortOptions,
  targetsText,
} from "./format";

describe("format helpers", () => {
  it("formats durations", () => {
    expect(formatDuration(420)).toBe("420ms");
    expect(formatDuration(4200)).toBe("4.2s");
    expect(formatDuration(42_000)).toBe("42s");
    expect(formatDuration(125_000)).toBe("2m 05s");
    expect(formatDuration(3_725_000)).toBe("1h 02m");
    expect(formatDuration(-1)).toBe("—");
  });

  it("formats sizes", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(200 * 1024 * 1024)).toBe("200 MiB");
  });

  it("formats times", () => {
    expect(formatTimestamp("2026-11-26T18:55:02.123Z")).toBe("2026-11-26 18:55:02 UTC");
    expect(formatTimestamp(null)).toBe("—");
    const now = Date.parse("2026-11-26T12:00:00Z");
    expect(relativeTime("2026-11-26T11:59:58Z", now)).toBe("just now");
    expect(relativeTime("2026-11-26T11:59:00Z", now)).toBe("60s ago".replace("60s", "1 min"));
    expect(relativeTime("2026-11-26T09:00:00Z", now)).toBe("3 h ago");
    expect(relativeTime("2026-11-20T12:00:00Z", now)).toBe("6 d ago");
    expect(relativeTime("2025-01-02T00:00:00Z", now)).toBe("2025-01-02");
  });

  it("puts CONFIG_RUST and the Rust samples first, keeping request order otherwise", () => {
    const sorted = sortOptions([
      { symbol: "DEBUG_INFO", value: "n" },
      { symbol: "SAMPLE_RUST_MINIMAL", value: "m" },
      { symbol: "SAMPLES", value: "y" },
      { symbol: "RUST", value: "y" },
      { symbol: "SAMPLES_RUST", value: "y" },
      { symbol: "NET", value: "y" },
    ]).map((o) => o.symbol);
    expect(sorted).toEqual(["RUST", "SAMPLE_RUST_MINIMAL", "SAMPLES_RUST", "SAMPLES", "DEBUG_INFO", "NET"]);
  });

  it("formats counts with thin-space thousands", () => {
    expect(formatCount(0)).toBe("0");
    expect(formatCount(999)).toBe("999");
    expect(formatCount(1234)).toBe("1\u202f234");
    expect(formatCount(12_345_678)).toBe("12\u202f345\u202f678");
  });

  it("tells elapsed time: finished, running (live or on the server), not started", () => {
    const start = "2026-11-26T12:00:00Z";
    expect(elapsedText(start, "2026-11-26T12:02:05Z", null)).toBe("2m 05s");
    expect(elapsedText(start, null, Date.parse("2026-11-26T12:00:42Z"))).toBe("42s");
    expect(elapsedText(start, null, null)).toBe("…");
    expect(elapsedText(null, null, Date.now())).toBeNull();
  });

  it("describes targets and shortens digests", () => {
    expect(targetsText(["kernel", "modules"])).toBe("kernel, modules");
    expect(targetsText([])).toBe("configure only");
    expect(shortDigest("0123456789abcdef0123")).toBe("0123456789ab…");
    expect(shortDigest("abc")).toBe("abc");
  });

  it("lists the main artifacts first in a fixed order and groups the modules", () => {
    const names = ["zz.ko", "metadata.json", ".config", "a.ko", "build.log.gz", "extra.txt", "bzImage", "modules.tar.xz", "System.map"];
    const { main, modules } = groupArtifacts(names.map((name) => ({ name })));
    expect(main.map((a) => a.name)).toEqual(["bzImage", "System.map", ".config", "modules.tar.xz", "build.log.gz", "metadata.json", "extra.txt"]);
    expect(modules.map((a) => a.name)).toEqual(["a.ko", "zz.ko"]);
  });
});
