import { describe, expect, it } from "vitest";
import { historySearchParams, parseHistoryFilter, parseOptionFilter } from "./history";
import { resolvedOptionEntries, resolvedOptionEntry } from "./resolved-options";
import { RequestError } from "./service";

describe("option filters", () => {
  it.each([
    ["CONFIG_RUST=y", { symbol: "RUST", value: "y" }],
    ["RUST=m", { symbol: "RUST", value: "m" }],
    [" CONFIG_RUST=n ", { symbol: "RUST", value: "n" }],
    ["CONFIG_NR_CPUS=64", { symbol: "NR_CPUS", value: "64" }],
    ["CONFIG_PHYSICAL_START=0x1000000", { symbol: "PHYSICAL_START", value: "0x1000000" }],
    ['CONFIG_CMDLINE="console=ttyS0 quiet"', { symbol: "CMDLINE", value: '"console=ttyS0 quiet"' }],
    ["CONFIG_CMDLINE=console=ttyS0", { symbol: "CMDLINE", value: '"console=ttyS0"' }],
    ["CONFIG_RUST", null],
    ["CONFIG_RUST=", null],
    ['CONFIG_CMDLINE="unterminated', null],
    ["CONFIG_A-B=y", null],
  ])("%s → %j", (text, expected) => {
    expect(parseOptionFilter(text)).toEqual(expected);
  });
});

describe("resolved option entries", () => {
  it("keeps every set symbol of a .config as it is written, and no n", () => {
    const text = 'CONFIG_RUST=y\n# CONFIG_DEBUG_INFO is not set\nCONFIG_SAMPLE_RUST_MINIMAL=m\nCONFIG_CMDLINE="a b"\nCONFIG_NR_CPUS=8\n';
    expect(resolvedOptionEntries(text)).toEqual(["RUST=y", "SAMPLE_RUST_MINIMAL=m", 'CMDLINE="a b"', "NR_CPUS=8"]);
  });

  it("keeps a value too long for an index entry as its digest, which a filter on it computes too", () => {
    const long = `"${"x".repeat(400)}"`;
    const [entry] = resolvedOptionEntries(`CONFIG_CMDLINE=${long}\n`);
    expect(entry).toMatch(/^CMDLINE=sha256:[0-9a-f]{64}$/);
    expect(resolvedOptionEntry("CMDLINE", long)).toBe(entry);
  });
});

describe("bad parameters", () => {
  it.each([
    [{ status: "exploded" }, "status"],
    [{ option: "RUST" }, "option"],
    [{ option: "CONFIG_RUST=" }, "option"],
    [{ from: "yesterday" }, "from"],
    [{ to: "2026-13-45" }, "to"],
    [{ from: "2026-11-10", to: "2026-11-01" }, "to"],
    [{ q: "ab" }, "q"],
    [{ cursor: "12_not-a-build" }, "cursor"],
    [{ submitter: "a\u0000b" }, "submitter"],
  ])("%j is a 400 naming %s", (params, name) => {
    let caught: unknown;
    try {
      parseHistoryFilter(params);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(RequestError);
    expect((caught as RequestError).status).toBe(400);
    expect((caught as RequestError).message).toMatch(new RegExp(`^bad ${name}: `));
    expect((caught as RequestError).issues[0]?.path).toBe(name);
  });

  it("treats empty parameters as absent, as an empty form field sends them", () => {
    expect(parseHistoryFilter({ status: "", q: "", option: "" })).toEqual({});
  });
});

describe("filters as links", () => {
  it("reads back what it writes", () => {
    const params = new URLSearchParams("status=failed,error&submitter=u1&source=linux-6.1&kernel=6.1.158&profile=p&option=CONFIG_RUST%3Dy&option=CMDLINE%3Da%20b&from=2026-11-01&to=2026-11-30T10:00:00Z&q=frob");
    const filter = parseHistoryFilter(params);
    expect(filter.option).toEqual([{ symbol: "RUST", value: "y" }, { symbol: "CMDLINE", value: '"a b"' }]);
    expect(parseHistoryFilter(historySearchParams(filter))).toEqual(filter);
    expect(historySearchParams(filter, "1_x").get("cursor")).toBe("1_x");
  });
});
