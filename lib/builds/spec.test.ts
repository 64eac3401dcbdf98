import { describe, expect, it } from "vitest";
import {
  type BuildOption,
  type BuildSpecInput,
  BuildSpecSchema,
  MAX_OPTIONS,
  MAX_UPLOADED_CONFIG_BYTES,
  type SymbolInfo,
  checkOptionsAgainstTree,
  fragmentText,
  parseOptionLines,
  wantsRust,
} from "./spec";

const MINIMAL = {
  source: "linux-6.1",
  profile: "debian-bookworm-llvm14",
  baseConfig: { kind: "target", target: "tinyconfig" },
} as const satisfies BuildSpecInput;

const NOT_A_VALUE = 'is not a Kconfig value: use y, m, n, a number, 0x-hex, or a "double-quoted string"';
const NOT_A_SYMBOL = "a Kconfig symbol is made of letters, digits and _";

/** The issues of a rejected spec as "path: message"; fails the test if the spec is accepted. */
function rejection(input: unknown): string[] {
  const result = BuildSpecSchema.safeParse(input);
  if (result.success) throw new Error(`expected the spec to be rejected, but it parsed as ${JSON.stringify(result.data)}`);
  return result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

function withOptions(options: { symbol: string; value: string }[]): BuildSpecInput {
  return { ...MINIMAL, options };
}

function withUpload(text: string): BuildSpecInput {
  return { ...MINIMAL, baseConfig: { kind: "upload", fileName: "mine.config", text } };
}

describe("BuildSpecSchema", () => {
  it("parses a minimal spec and fills in the defaults", () => {
    expect(BuildSpecSchema.parse(MINIMAL)).toEqual({
      source: "linux-6.1",
      profile: "debian-bookworm-llvm14",
      arch: "x86_64",
      baseConfig: { kind: "target", target: "tinyconfig" },
      options: [],
      jobs: 2,
      targets: [],
    });
  });

  it("defaults an upload's display name to .config", () => {
    const spec = BuildSpecSchema.parse({ ...MINIMAL, baseConfig: { kind: "upload", text: "CONFIG_PRINTK=y\n" } });
    expect(spec.baseConfig).toEqual({ kind: "upload", fileName: ".config", text: "CONFIG_PRINTK=y\n" });
  });

  it("rejects an unknown base config target, naming the allowed ones", () => {
    expect(rejection({ ...MINIMAL, baseConfig: { kind: "target", target: "mrproper" } })).toEqual([
      'baseConfig.target: Invalid option: expected one of "tinyconfig"|"defconfig"|"allnoconfig"',
    ]);
  });

  it("rejects an unknown architecture", () => {
    expect(rejection({ ...MINIMAL, arch: "arm64" })).toEqual(['arch: Invalid input: expected "x86_64"']);
  });

  it("rejects an empty source or profile name", () => {
    expect(rejection({ ...MINIMAL, source: "" })).toEqual(["source: Too small: expected string to have >=1 characters"]);
    expect(rejection({ ...MINIMAL, profile: "" })).toEqual(["profile: Too small: expected string to have >=1 characters"]);
  });

  it.each([
    ["RUST; rm -rf /"],
    ["$(id)"],
    ["RUST SAMPLES"],
    ["`id`"],
    ["A-B"],
    ["CONFIG_RUST\n"],
  ])("rejects the option symbol %j", (symbol) => {
    expect(rejection(withOptions([{ symbol, value: "y" }]))).toEqual([`options.0.symbol: ${NOT_A_SYMBOL}`]);
  });

  it("rejects a symbol that is only the CONFIG_ prefix", () => {
    expect(rejection(withOptions([{ symbol: "CONFIG_", value: "y" }]))).toContain(
      "options.0.symbol: Too small: expected string to have >=1 characters",
    );
  });

  it.each([["y; reboot"], ["`id`"], ["$(id)"], ["y && reboot"], ["yes"], ["/etc/passwd"], ['"unterminated'], ['"a" "b"']])(
    "rejects the option value %j",
    (value) => {
      expect(rejection(withOptions([{ symbol: "LOCALVERSION", value }]))).toEqual([
        `options.0.value: CONFIG_LOCALVERSION=${value} ${NOT_A_VALUE}`,
      ]);
    },
  );

  it("accepts shell metacharacters inside a quoted string, which only ever goes into the fragment file", () => {
    const spec = BuildSpecSchema.parse(withOptions([{ symbol: "LOCALVERSION", value: '"$(id); `reboot`"' }]));
    expect(spec.options).toEqual([{ symbol: "LOCALVERSION", value: '"$(id); `reboot`"' }]);
  });

  it("rejects a newline inside a quoted string", () => {
    expect(rejection(withOptions([{ symbol: "CMDLINE", value: '"a\nCONFIG_X=y"' }]))).toEqual([
      `options.0.value: CONFIG_CMDLINE="a\nCONFIG_X=y" ${NOT_A_VALUE}`,
    ]);
  });

  it.each([["\r"], ["\t"], ["\u001b"], ["\u0000"], ["\u007f"]])("rejects the control character %j inside a quoted string", (c) => {
    expect(rejection(withOptions([{ symbol: "CMDLINE", value: `"a${c}b"` }]))).toEqual([
      "options.0.value: CONFIG_CMDLINE contains control characters",
    ]);
  });

  it(`accepts ${MAX_OPTIONS} options and rejects one more`, () => {
    const options = (n: number) => Array.from({ length: n }, (_, i) => ({ symbol: `SYM_${i}`, value: "y" }));
    expect(BuildSpecSchema.parse(withOptions(options(MAX_OPTIONS))).options).toHaveLength(MAX_OPTIONS);
    expect(rejection(withOptions(options(MAX_OPTIONS + 1)))).toEqual([`options: at most ${MAX_OPTIONS} options`]);
  });

  it("rejects an uploaded .config over the size limit", () => {
    const text = "#".repeat(MAX_UPLOADED_CONFIG_BYTES - 1) + "\n";
    expect(BuildSpecSchema.parse(withUpload(text)).baseConfig).toMatchObject({ kind: "upload" });
    expect(rejection(withUpload(text + "\n"))).toEqual(["baseConfig.text: an uploaded .config may be at most 1024 KiB"]);
  });

  it("measures the uploaded .config's size in bytes, not in characters", () => {
    // 600 001 characters, 1 200 001 bytes of UTF-8: over the 1 MiB limit.
    const text = "#" + "é".repeat(600_000);
    expect(Buffer.byteLength(text, "utf8")).toBeGreaterThan(MAX_UPLOADED_CONFIG_BYTES);
    expect(rejection(withUpload(text))).toEqual([expect.stringMatching(/^baseConfig\.text: .*at most 1024 KiB/)]);
  });

  it.each([[0], [65], [1.5], [-1]])("rejects jobs = %j", (jobs) => {
    expect(rejection({ ...MINIMAL, jobs })).toHaveLength(1);
  });

  it("names the jobs limits", () => {
    expect(rejection({ ...MINIMAL, jobs: 0 })).toEqual(["jobs: Too small: expected number to be >=1"]);
    expect(rejection({ ...MINIMAL, jobs: 65 })).toEqual(["jobs: Too big: expected number to be <=64"]);
    expect(rejection({ ...MINIMAL, jobs: 1.5 })).toEqual(["jobs: Invalid input: expected int, received number"]);
  });

  it("accepts jobs 1 and 64", () => {
    expect(BuildSpecSchema.parse({ ...MINIMAL, jobs: 1 }).jobs).toBe(1);
    expect(BuildSpecSchema.parse({ ...MINIMAL, jobs: 64 }).jobs).toBe(64);
  });

  it("rejects a symbol requested twice, also when once with and once without CONFIG_", () => {
    expect(
      rejection(
        withOptions([
          { symbol: "RUST", value: "y" },
          { symbol: "PRINTK", value: "y" },
          { symbol: "CONFIG_RUST", value: "n" },
        ]),
      ),
    ).toEqual(["options.2: CONFIG_RUST is requested twice"]);
  });

  it("strips the CONFIG_ prefix from symbols, once", () => {
    const spec = BuildSpecSchema.parse(
      withOptions([
        { symbol: "CONFIG_RUST", value: "y" },
        { symbol: "SAMPLES", value: "y" },
        { symbol: "CONFIG_CONFIG_ODD", value: "m" },
      ]),
    );
    expect(spec.options).toEqual([
      { symbol: "RUST", value: "y" },
      { symbol: "SAMPLES", value: "y" },
      { symbol: "CONFIG_ODD", value: "m" },
    ]);
  });

  describe("path-valued options", () => {
    const ABSOLUTE = (symbol: string, part: string) =>
      `CONFIG_${symbol} names a file by absolute path (${part}); only paths relative to the kernel tree are allowed, since host files must not end up in a build`;

    const cases: [symbol: string, value: string, message: string][] = [
      ["INITRAMFS_SOURCE", '"/etc"', ABSOLUTE("INITRAMFS_SOURCE", "/etc")],
      ["INITRAMFS_SOURCE", '"../../etc/passwd"', 'CONFIG_INITRAMFS_SOURCE leaves the kernel tree with "..": ../../etc/passwd'],
      ["INITRAMFS_SOURCE", '"usr/../../etc"', 'CONFIG_INITRAMFS_SOURCE leaves the kernel tree with "..": usr/../../etc'],
      ["INITRAMFS_SOURCE", '"~/secrets"', ABSOLUTE("INITRAMFS_SOURCE", "~/secrets")],
      [
        "MODULE_SIG_KEY",
        '"pkcs11:token=host;object=key"',
        "CONFIG_MODULE_SIG_KEY names a URI (pkcs11:token=host;object=key); only paths relative to the kernel tree are allowed",
      ],
      ["EXTRA_FIRMWARE_DIR", '"/lib/firmware"', ABSOLUTE("EXTRA_FIRMWARE_DIR", "/lib/firmware")],
      // Several space-separated names: every one is checked.
      ["EXTRA_FIRMWARE", '"fw/a.bin /etc/shadow"', ABSOLUTE("EXTRA_FIRMWARE", "/etc/shadow")],
      ["SYSTEM_TRUSTED_KEYS", '"/root/keys.pem"', ABSOLUTE("SYSTEM_TRUSTED_KEYS", "/root/keys.pem")],
    ];

    it.each(cases)("rejects CONFIG_%s=%s as an option", (symbol, value, message) => {
      expect(rejection(withOptions([{ symbol: `CONFIG_${symbol}`, value }]))).toEqual([`options.0.value: ${message}`]);
    });

    it.each(cases)("rejects CONFIG_%s=%s inside an uploaded .config", (symbol, value, message) => {
      const text = `CONFIG_PRINTK=y\nCONFIG_${symbol}=${value}\n# CONFIG_RUST is not set\n`;
      expect(rejection(withUpload(text))).toEqual([`baseConfig.text: uploaded .config: ${message}`]);
    });

    it("reports every unsafe path in an uploaded .config", () => {
      const text = 'CONFIG_INITRAMFS_SOURCE="/etc"\nCONFIG_EXTRA_FIRMWARE_DIR="/lib/firmware"\n';
      expect(rejection(withUpload(text))).toEqual([
        `baseConfig.text: uploaded .config: ${ABSOLUTE("INITRAMFS_SOURCE", "/etc")}`,
        `baseConfig.text: uploaded .config: ${ABSOLUTE("EXTRA_FIRMWARE_DIR", "/lib/firmware")}`,
      ]);
    });

    it.each([
      ["INITRAMFS_SOURCE", '""'],
      ["INITRAMFS_SOURCE", '"usr/initramfs_list"'],
      ["MODULE_SIG_KEY", '"certs/signing_key.pem"'],
      ["EXTRA_FIRMWARE", '"fw/a.bin fw/b.bin"'],
      ["EXTRA_FIRMWARE_DIR", '"firmware"'],
      ["SYSTEM_TRUSTED_KEYS", '""'],
    ])("accepts CONFIG_%s=%s, as an option and in an uploaded .config", (symbol, value) => {
      expect(BuildSpecSchema.parse(withOptions([{ symbol: `CONFIG_${symbol}`, value }])).options).toEqual([{ symbol, value }]);
      const text = `CONFIG_${symbol}=${value}\n`;
      expect(BuildSpecSchema.parse(withUpload(text)).baseConfig).toEqual({ kind: "upload", fileName: "mine.config", text });
    });

    it("does not apply the path rules to other string options", () => {
      const spec = BuildSpecSchema.parse(withOptions([{ symbol: "CMDLINE", value: '"root=/dev/sda1 init=/sbin/init"' }]));
      expect(spec.options).toEqual([{ symbol: "CMDLINE", value: '"root=/dev/sda1 init=/sbin/init"' }]);
    });

    // Kconfig (scripts/kconfig/confdata.c, conf_set_sym_val) reads a string up to its
    // first unescaped quote, ignores what follows, and drops the backslash of any
    // escape. These lines set absolute paths for the kernel (checked with
    // `make olddefconfig` on 6.1: the resolved .config has INITRAMFS_SOURCE="/etc/shadow"
    // and EXTRA_FIRMWARE="/etc/passwd"), so the upload must not pass.
    it.each([['CONFIG_INITRAMFS_SOURCE="/etc/shadow" x'], ['CONFIG_EXTRA_FIRMWARE="\\/etc/passwd"']])("rejects %s in an uploaded .config, which Kconfig reads as an absolute path", (line) => {
      const issues = rejection(withUpload(`CONFIG_BLK_DEV_INITRD=y\n${line}\n`));
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatch(/^baseConfig\.text: uploaded \.config: .*CONFIG_(INITRAMFS_SOURCE|EXTRA_FIRMWARE) /);
    });
  });
});

describe("parseOptionLines", () => {
  it("reads assignments and is-not-set comments, stripping CONFIG_ and blank lines", () => {
    const text = ["CONFIG_RUST=y", "", "  CONFIG_SAMPLES_RUST=m  ", "# CONFIG_CFI_CLANG is not set", 'CONFIG_LOCALVERSION="-kb"', "CONFIG_NR_CPUS=8\r"].join(
      "\n",
    );
    expect(parseOptionLines(text)).toEqual({
      options: [
        { symbol: "RUST", value: "y" },
        { symbol: "SAMPLES_RUST", value: "m" },
        { symbol: "CFI_CLANG", value: "n" },
        { symbol: "LOCALVERSION", value: '"-kb"' },
        { symbol: "NR_CPUS", value: "8" },
      ],
      errors: [],
    });
  });

  it("reports every line that is not an option, with its 1-based line number, and keeps the good ones", () => {
    const text = [
      "CONFIG_RUST=y", // 1
      "RUST=y", // 2
      "", // 3
      "CONFIG_A=y; reboot", // 4
      "# just a comment", // 5
      "CONFIG_B-C=y", // 6
      "CONFIG_PRINTK=y", // 7
      "CONFIG_STR=\"a\tb\"", // 8
      'CONFIG_INITRAMFS_SOURCE="/etc"', // 9
    ].join("\n");
    const { options, errors } = parseOptionLines(text);
    expect(options).toEqual([
      { symbol: "RUST", value: "y" },
      { symbol: "PRINTK", value: "y" },
    ]);
    expect(errors).toEqual([
      'line 2: expected CONFIG_NAME=value, got "RUST=y"',
      `line 4: CONFIG_A=y; reboot ${NOT_A_VALUE}`,
      'line 5: expected CONFIG_NAME=value, got "# just a comment"',
      'line 6: expected CONFIG_NAME=value, got "CONFIG_B-C=y"',
      "line 8: CONFIG_STR contains control characters",
      "line 9: CONFIG_INITRAMFS_SOURCE names a file by absolute path (/etc); only paths relative to the kernel tree are allowed, since host files must not end up in a build",
    ]);
  });

  it("quotes at most 80 characters of a junk line", () => {
    const junk = "x".repeat(200);
    expect(parseOptionLines(junk).errors).toEqual([`line 1: expected CONFIG_NAME=value, got "${"x".repeat(80)}"`]);
  });

  it("returns nothing for empty input", () => {
    expect(parseOptionLines("")).toEqual({ options: [], errors: [] });
    expect(parseOptionLines("\n  \n")).toEqual({ options: [], errors: [] });
  });
});

describe("fragmentText", () => {
  it("writes one line per option in request order, n as is-not-set, ending with a newline", () => {
    const options: BuildOption[] = [
      { symbol: "RUST", value: "y" },
      { symbol: "SAMPLE_RUST_MINIMAL", value: "m" },
      { symbol: "CFI_CLANG", value: "n" },
      { symbol: "NR_CPUS", value: "8" },
      { symbol: "PHYSICAL_START", value: "0x1000000" },
      { symbol: "LOCALVERSION", value: '"-kb \\"x\\""' },
    ];
    expect(fragmentText(options)).toBe(
      [
        "CONFIG_RUST=y",
        "CONFIG_SAMPLE_RUST_MINIMAL=m",
        "# CONFIG_CFI_CLANG is not set",
        "CONFIG_NR_CPUS=8",
        "CONFIG_PHYSICAL_START=0x1000000",
        'CONFIG_LOCALVERSION="-kb \\"x\\""',
        "",
      ].join("\n"),
    );
  });

  it("round-trips through parseOptionLines", () => {
    const { options } = parseOptionLines('CONFIG_RUST=y\n# CONFIG_X is not set\nCONFIG_S="a b"\n');
    expect(parseOptionLines(fragmentText(options))).toEqual({ options, errors: [] });
  });
});

describe("wantsRust", () => {
  const spec = (options: { symbol: string; value: string }[]) => BuildSpecSchema.parse(withOptions(options));

  it("is true only for CONFIG_RUST=y", () => {
    expect(wantsRust(spec([{ symbol: "CONFIG_RUST", value: "y" }]))).toBe(true);
    expect(wantsRust(spec([{ symbol: "PRINTK", value: "y" }, { symbol: "RUST", value: "y" }]))).toBe(true);
    expect(wantsRust(spec([{ symbol: "RUST", value: "n" }]))).toBe(false);
    expect(wantsRust(spec([{ symbol: "SAMPLES_RUST", value: "y" }]))).toBe(false);
    expect(wantsRust(spec([]))).toBe(false);
  });
});

describe("checkOptionsAgainstTree", () => {
  const tree = new Map<string, SymbolInfo>(
    [
      { name: "RUST", type: "bool" },
      { name: "SAMPLE_RUST_MINIMAL", type: "tristate" },
      { name: "NR_CPUS", type: "int" },
      { name: "PHYSICAL_START", type: "hex" },
      { name: "LOCALVERSION", type: "string" },
    ].map((s) => [s.name, s]),
  );
  const check = (options: BuildOption[]) => checkOptionsAgainstTree(options, tree, "linux-6.1 (6.1.0)");

  it("accepts values of each symbol's type", () => {
    expect(
      check([
        { symbol: "RUST", value: "y" },
        { symbol: "RUST", value: "n" },
        { symbol: "SAMPLE_RUST_MINIMAL", value: "m" },
        { symbol: "SAMPLE_RUST_MINIMAL", value: "y" },
        { symbol: "SAMPLE_RUST_MINIMAL", value: "n" },
        { symbol: "NR_CPUS", value: "8" },
        { symbol: "NR_CPUS", value: "-1" },
        { symbol: "PHYSICAL_START", value: "0x1000000" },
        { symbol: "PHYSICAL_START", value: "0XABCdef" },
        { symbol: "LOCALVERSION", value: '"-kb"' },
        { symbol: "LOCALVERSION", value: '""' },
      ]),
    ).toEqual([]);
  });

  it("reports a symbol the tree does not define, naming the tree", () => {
    expect(check([{ symbol: "NO_SUCH_THING", value: "y" }])).toEqual(["CONFIG_NO_SUCH_THING is not defined by linux-6.1 (6.1.0)"]);
  });

  it("reports a value the symbol's type cannot take", () => {
    expect(
      check([
        { symbol: "RUST", value: "m" },
        { symbol: "SAMPLE_RUST_MINIMAL", value: "1" },
        { symbol: "NR_CPUS", value: '"abc"' },
        { symbol: "NR_CPUS", value: "0x10" },
        { symbol: "PHYSICAL_START", value: "1000" },
        { symbol: "PHYSICAL_START", value: "y" },
        { symbol: "LOCALVERSION", value: "abc" },
        { symbol: "LOCALVERSION", value: "y" },
      ]),
    ).toEqual([
      "CONFIG_RUST is a bool option; m is not a bool value",
      "CONFIG_SAMPLE_RUST_MINIMAL is a tristate option; 1 is not a tristate value",
      'CONFIG_NR_CPUS is a int option; "abc" is not a int value',
      "CONFIG_NR_CPUS is a int option; 0x10 is not a int value",
      "CONFIG_PHYSICAL_START is a hex option; 1000 is not a hex value",
      "CONFIG_PHYSICAL_START is a hex option; y is not a hex value",
      "CONFIG_LOCALVERSION is a string option; abc is not a string value",
      "CONFIG_LOCALVERSION is a string option; y is not a string value",
    ]);
  });

  it("reports every problem, in request order, and nothing for the good options among them", () => {
    expect(
      check([
        { symbol: "RUST", value: "y" },
        { symbol: "GONE", value: "y" },
        { symbol: "RUST", value: "m" },
      ]),
    ).toEqual(["CONFIG_GONE is not defined by linux-6.1 (6.1.0)", "CONFIG_RUST is a bool option; m is not a bool value"]);
  });
});

describe("BuildSpecSchema targets", () => {
  it("accepts known targets and rejects unknown or repeated ones", () => {
    expect(BuildSpecSchema.parse({ ...MINIMAL, targets: ["kernel", "modules"] }).targets).toEqual(["kernel", "modules"]);
    expect(rejection({ ...MINIMAL, targets: ["kernel", "kernel"] })).toEqual(["targets: a target is listed twice"]);
    expect(rejection({ ...MINIMAL, targets: ["bzImage; rm -rf /"] })[0]).toMatch(/^targets\.0: unknown target "bzImage; rm -rf \/"; known: kernel, modules/);
  });
});
