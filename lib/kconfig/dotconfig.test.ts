import { describe, expect, it } from "vitest";
import {
  classifyValue,
  formatConfigLine,
  formatDotConfig,
  parseDotConfig,
  quoteConfigString,
  unquoteConfigString,
} from "./dotconfig";

describe("parseDotConfig", () => {
  it("reads assignments, is-not-set comments and keeps values as written", () => {
    const { values, warnings } = parseDotConfig(
      [
        "#",
        "# Automatically generated file; DO NOT EDIT.",
        "#",
        "CONFIG_RUST=y",
        "CONFIG_SAMPLE_RUST_MINIMAL=m",
        "# CONFIG_CFI_CLANG is not set",
        "",
        "CONFIG_NR_CPUS=64",
        "CONFIG_LOG_BUF_SHIFT=-1",
        "CONFIG_PHYSICAL_START=0x1000000",
        'CONFIG_RUSTC_VERSION_TEXT="rustc 1.62.0 (a8314ef7d 2022-06-27)"',
        'CONFIG_CMDLINE="say \\"hi\\" C:\\\\"',
        "CONFIG_EMPTY_STRING=\"\"",
      ].join("\n"),
    );
    expect(warnings).toEqual([]);
    expect(Object.fromEntries(values)).toEqual({
      RUST: "y",
      SAMPLE_RUST_MINIMAL: "m",
      CFI_CLANG: "n",
      NR_CPUS: "64",
      LOG_BUF_SHIFT: "-1",
      PHYSICAL_START: "0x1000000",
      RUSTC_VERSION_TEXT: '"rustc 1.62.0 (a8314ef7d 2022-06-27)"',
      CMDLINE: '"say \\"hi\\" C:\\\\"',
      EMPTY_STRING: '""',
    });
  });

  it("accepts CRLF line ends and trailing blanks", () => {
    const { values, warnings } = parseDotConfig("CONFIG_A=y\r\n# CONFIG_B is not set\r\nCONFIG_C=m  \n");
    expect(warnings).toEqual([]);
    expect(Object.fromEntries(values)).toEqual({ A: "y", B: "n", C: "m" });
  });

  it("warns about every line it cannot use, with its 1-based number, and never throws", () => {
    const text = [
      "CONFIG_OK=y", // 1
      "junk", // 2
      "CONFIG_BAD-NAME=y", // 3
      'CONFIG_STR="unterminated', // 4
      "CONFIG_WORD=yes", // 5
      "CONFIG_NOVALUE=", // 6
      "CONFIG_NOEQUALS", // 7
      "  CONFIG_INDENTED=y", // 8
      'CONFIG_ESCAPE="\\n"', // 9
      "CONFIG_=y", // 10
      "# CONFIG_BAD.NAME is not set", // 11
    ].join("\n");
    const { values, warnings } = parseDotConfig(text);
    expect([...values.keys()]).toEqual(["OK"]);
    expect(warnings.map((w) => w.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(warnings[0]).toMatchObject({ line: 2, text: "junk" });
    expect(warnings[2]?.message).toMatch(/string/);
    for (const w of warnings) expect(w.message.length).toBeGreaterThan(0);
  });

  it("ignores comments that are not is-not-set lines", () => {
    const { values, warnings } = parseDotConfig("# CONFIG_FOO is set to something\n#CONFIG_BAR is not set\n# Kernel hacking\n");
    expect(values.size).toBe(0);
    expect(warnings).toEqual([]);
  });

  it("lets a later assignment win, with a warning naming the earlier line", () => {
    const { values, warnings } = parseDotConfig("CONFIG_A=y\nCONFIG_B=y\n# CONFIG_A is not set\n");
    expect(values.get("A")).toBe("n");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ line: 3 });
    expect(warnings[0]?.message).toMatch(/line 1/);
  });

  it("reads an empty text as an empty config", () => {
    expect(parseDotConfig("")).toEqual({ values: new Map(), warnings: [] });
  });
});

describe("classifyValue", () => {
  it.each([
    ["y", "tristate"],
    ["m", "tristate"],
    ["n", "tristate"],
    ["0", "int"],
    ["-12", "int"],
    ["0x1f", "hex"],
    ["0XABCdef", "hex"],
    ['""', "string"],
    ['"a \\"b\\" \\\\"', "string"],
    ["Y", null],
    ["yes", null],
    ["", null],
    ["0x", null],
    ["1.5", null],
    ['"unterminated', null],
    ['"a" trailing', null],
    ['"bad \\n escape"', null],
    ['"inner " quote"', null],
  ] as const)("%j is %s", (value, kind) => {
    expect(classifyValue(value)).toBe(kind);
  });
});

describe("config strings", () => {
  it("quotes and unquotes with the kernel's backslash escapes", () => {
    const text = 'C:\\dir "quoted"';
    const quoted = quoteConfigString(text);
    expect(quoted).toBe('"C:\\\\dir \\"quoted\\""');
    expect(classifyValue(quoted)).toBe("string");
    expect(unquoteConfigString(quoted)).toBe(text);
  });

  it("refuses what cannot be a .config string", () => {
    expect(() => unquoteConfigString("no quotes")).toThrow();
    expect(() => quoteConfigString("two\nlines")).toThrow();
  });
});

describe("formatConfigLine", () => {
  it("writes assignments and is-not-set lines", () => {
    expect(formatConfigLine("RUST", "y")).toBe("CONFIG_RUST=y");
    expect(formatConfigLine("NR_CPUS", "8")).toBe("CONFIG_NR_CPUS=8");
    expect(formatConfigLine("CMDLINE", '"quiet"')).toBe('CONFIG_CMDLINE="quiet"');
    expect(formatConfigLine("CFI_CLANG", "n")).toBe("# CONFIG_CFI_CLANG is not set");
  });

  it("refuses names and values that would corrupt the file", () => {
    expect(() => formatConfigLine("BAD NAME", "y")).toThrow();
    expect(() => formatConfigLine("A", "y\nCONFIG_B=y")).toThrow();
    expect(() => formatConfigLine("A", "unquoted text")).toThrow();
  });

  it("round-trips through parseDotConfig", () => {
    const values = new Map([
      ["A", "y"],
      ["B", "n"],
      ["C", "0x10"],
      ["D", quoteConfigString('say "hi"')],
    ]);
    const text = formatDotConfig(values);
    expect(text.endsWith("\n")).toBe(true);
    expect(parseDotConfig(text)).toEqual({ values, warnings: [] });
  });
});
