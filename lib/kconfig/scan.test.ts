import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readRustSamples } from "./rust-samples";
import { expandVariables, scanKconfig, scanKconfigFile, scanKconfigTree, srcArchFor, symbolsInExpression } from "./scan";

const trees: string[] = [];

/** A throwaway tree from { "relative/path": "content" }; tabs in the content are the kernel's usual indentation. */
async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), "kbuild-kconfig-"));
  trees.push(root);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), content);
  }
  return root;
}

afterEach(async () => {
  await Promise.all(trees.splice(0).map((root) => rm(root, { recursive: true, force: true })));
});

describe("scanKconfigTree", () => {
  it("follows source, osource, rsource and orsource with $(SRCARCH), $(ARCH) and env variables", async () => {
    const root = await tree({
      Kconfig: [
        'mainmenu "Linux/$(ARCH) Kernel Configuration"',
        'source "arch/$(SRCARCH)/Kconfig"',
        'source "drivers/Kconfig"',
        'osource "does/not/exist/Kconfig"',
        'source "$(EXTRA_DIR)/Kconfig"',
        'osource "$(UNSET_VARIABLE)nothing/Kconfig"',
        "",
      ].join("\n"),
      "arch/x86/Kconfig": 'config X86_64\n\tdef_bool y\n\nconfig ARCH_NAME\n\tstring\n\tdefault "$(ARCH)"\n',
      "drivers/Kconfig": 'rsource "net/Kconfig"\norsource "missing/Kconfig"\n',
      "drivers/net/Kconfig": "config NET_DRIVER\n\ttristate \"A network driver\"\n",
      "extra/Kconfig": "config FROM_ENV\n\tbool\n",
    });

    const scan = await scanKconfig(root, "x86_64", { EXTRA_DIR: "extra" });
    expect([...scan.symbols.keys()]).toEqual(["X86_64", "ARCH_NAME", "NET_DRIVER", "FROM_ENV"]);
    expect(scan.files).toEqual(["Kconfig", "arch/x86/Kconfig", "drivers/Kconfig", "drivers/net/Kconfig", "extra/Kconfig"]);
    expect(scan.warnings).toEqual([]);
    expect(scan.symbols.get("NET_DRIVER")).toEqual({
      name: "NET_DRIVER",
      type: "tristate",
      prompt: "A network driver",
      definedAt: "drivers/net/Kconfig:1",
      dependsOn: [],
      selects: [],
    });
  });

  it("expands $(ARCH) to the ARCH value itself, not the source arch", async () => {
    const root = await tree({
      Kconfig: 'source "arch/$(ARCH)/Kconfig"\n',
      "arch/arm64/Kconfig": "config ARM64\n\tdef_bool y\n",
    });
    expect([...(await scanKconfigTree(root, "arm64")).keys()]).toEqual(["ARM64"]);
  });

  it("reads types, prompts, def_bool and def_tristate", async () => {
    const root = await tree({
      Kconfig: [
        "config A_BOOL",
        '\tbool "Bool prompt"',
        "config A_TRISTATE",
        "\ttristate 'Single quoted' if OTHER",
        "config AN_INT",
        "\tint",
        '\tprompt "Prompt keyword"',
        "config A_HEX",
        '\thex "Hex \\"value\\""',
        "config A_STRING",
        "\tstring",
        "config DEF_B",
        "\tdef_bool y if OTHER",
        "config DEF_T",
        "\tdef_tristate m",
        "config NO_TYPE",
        "\tdepends on A_BOOL",
        "",
      ].join("\n"),
    });
    const symbols = await scanKconfigTree(root, "x86_64");
    const summary = Object.fromEntries([...symbols.values()].map((s) => [s.name, [s.type, s.prompt]]));
    expect(summary).toEqual({
      A_BOOL: ["bool", "Bool prompt"],
      A_TRISTATE: ["tristate", "Single quoted"],
      AN_INT: ["int", "Prompt keyword"],
      A_HEX: ["hex", 'Hex "value"'],
      A_STRING: ["string", null],
      DEF_B: ["bool", null],
      DEF_T: ["tristate", null],
      NO_TYPE: ["unknown", null],
    });
    expect(symbols.get("AN_INT")?.definedAt).toBe("Kconfig:5");
  });

  it("skips help text, even text that looks like statements", async () => {
    const root = await tree({
      Kconfig: [
        "config DOCUMENTED", // 1
        '\tbool "Documented"',
        "\thelp",
        "\t  This option is not a statement:",
        "\t  config FAKE_ONE",
        "",
        '\t  source "nowhere/Kconfig"',
        "\t  depends on NOT_A_DEPENDENCY",
        "\t  A line ending in a backslash \\",
        "config REAL", // 10
        "\tbool",
        "\t---help---",
        "\t  Old-style help.",
        "\t  config FAKE_TWO",
        "",
        "\tdepends on AFTER_HELP", // 16: less indented than the help text, so an attribute again
        "",
        "config SAME_INDENT", // 18
        "\tbool",
        "\thelp",
        "\tHelp text indented like the keyword itself (drivers/scsi/aic7xxx does this):",
        "\tsource to the driver and config FAKE_THREE",
        "config EMPTY_HELP", // 23
        "\tbool",
        "\thelp",
        "",
        "config AFTER_EMPTY_HELP", // 27
        "\tbool",
        "\thelp",
        "  Help indented with spaces",
        "    deeper lines stay in it",
        "config LAST", // 32
        "\tbool",
        "\thelp",
        "\t  Help at the end of the file",
      ].join("\n"),
    });
    const scan = await scanKconfig(root, "x86_64");
    expect([...scan.symbols.keys()]).toEqual(["DOCUMENTED", "REAL", "SAME_INDENT", "EMPTY_HELP", "AFTER_EMPTY_HELP", "LAST"]);
    expect(scan.symbols.get("DOCUMENTED")?.dependsOn).toEqual([]);
    expect(scan.symbols.get("REAL")?.dependsOn).toEqual(["AFTER_HELP"]);
    expect(scan.symbols.get("AFTER_EMPTY_HELP")?.definedAt).toBe("Kconfig:27");
    expect(scan.files).toEqual(["Kconfig"]);
    expect(scan.warnings).toEqual([]);
  });

  it("takes the line right after help as help text even in column 0, as the kernel's lexer does", async () => {
    const root = await tree({
      Kconfig: [
        "config A",
        "\tbool",
        "\thelp",
        "config SWALLOWED",
        "\tbool",
        "\t  still help",
        "config B",
        "\tbool",
        "",
      ].join("\n"),
    });
    expect([...(await scanKconfigTree(root, "x86_64")).keys()]).toEqual(["A", "B"]);
  });

  it("joins lines continued with a backslash and ignores comments outside strings", async () => {
    const root = await tree({
      Kconfig: [
        "config CONTINUED # a trailing comment", // 1
        '\ttristate "Has a # in its prompt" # and a comment',
        "\tdepends on A && \\",
        "\t\t   (B || \\",
        "\t\t    C)",
        "\t# depends on COMMENTED_OUT",
        "\tselect D if \\",
        "\t\tE",
        "config NEXT", // 9: line numbers still count the continued lines
        "\tbool",
        "",
      ].join("\n"),
    });
    const symbols = await scanKconfigTree(root, "x86_64");
    expect(symbols.get("CONTINUED")).toMatchObject({
      prompt: "Has a # in its prompt",
      dependsOn: ["A && (B || C)"],
      selects: ["D if E"],
    });
    expect(symbols.get("NEXT")?.definedAt).toBe("Kconfig:9");
  });

  it("adds the conditions of enclosing if blocks, menus and choices, across sourced files", async () => {
    const root = await tree({
      Kconfig: [
        "if OUTER",
        'menu "A menu"',
        "\tdepends on MENU_DEP",
        '\tvisible if NOT_A_DEPENDENCY',
        "",
        "if INNER_A && \\",
        "   INNER_B",
        'source "sub/Kconfig"',
        "endif # INNER",
        "",
        "choice",
        '\tprompt "Pick one"',
        "\tdepends on CHOICE_DEP",
        "",
        "config CHOICE_A",
        '\tbool "A"',
        "\tdepends on OWN_DEP",
        "",
        "endchoice",
        "",
        "config IN_MENU",
        "\tbool",
        "endmenu",
        "endif",
        "",
        "config OUTSIDE",
        "\tbool",
        "",
      ].join("\n"),
      "sub/Kconfig": "config SOURCED\n\tbool\n\tdepends on OWN\n",
    });
    const symbols = await scanKconfigTree(root, "x86_64");
    expect(symbols.get("SOURCED")?.dependsOn).toEqual(["OUTER", "MENU_DEP", "INNER_A && INNER_B", "OWN"]);
    expect(symbols.get("CHOICE_A")?.dependsOn).toEqual(["OUTER", "MENU_DEP", "CHOICE_DEP", "OWN_DEP"]);
    expect(symbols.get("IN_MENU")?.dependsOn).toEqual(["OUTER", "MENU_DEP"]);
    expect(symbols.get("OUTSIDE")?.dependsOn).toEqual([]);
  });

  it("gives a comment's depends on to the comment, not the symbol before it", async () => {
    const root = await tree({
      Kconfig: [
        "config BEFORE",
        "\tbool",
        "\tdepends on OWN",
        "",
        'comment "Only shown when FOO is off"',
        "\tdepends on !FOO",
        "",
        "config AFTER",
        "\tbool",
        "",
      ].join("\n"),
    });
    const symbols = await scanKconfigTree(root, "x86_64");
    expect(symbols.get("BEFORE")?.dependsOn).toEqual(["OWN"]);
    expect(symbols.get("AFTER")?.dependsOn).toEqual([]);
  });

  it("merges the dependencies and selects of a symbol defined in several places", async () => {
    const root = await tree({
      Kconfig: [
        "config SHARED",
        '\tbool "First prompt"',
        "\tdepends on A",
        "\tselect S1",
        "",
        "if B",
        "config SHARED",
        '\tbool "Second prompt"',
        "\tdepends on A",
        "\tselect S1",
        "\tselect S2 if C",
        "endif",
        "",
        "menuconfig SHARED",
        "\tdef_bool y",
        "",
      ].join("\n"),
    });
    const scan = await scanKconfig(root, "x86_64");
    expect(scan.symbols.get("SHARED")).toEqual({
      name: "SHARED",
      type: "bool",
      prompt: "First prompt",
      definedAt: "Kconfig:1",
      dependsOn: ["A", "B"],
      selects: ["S1", "S2 if C"],
    });
    expect(scan.menuconfigs.has("SHARED")).toBe(true);
  });

  it("ignores preprocessor assignments and bare macro calls", async () => {
    const root = await tree({
      Kconfig: [
        "cc-option = $(success,$(CC) -Werror $(1) -c -x c /dev/null -o /dev/null)",
        "comma := ,",
        "list += more",
        "$(error-if,$(failure,command -v $(CC)),C compiler not found)",
        "config CC_HAS_THING",
        "\tdef_bool $(cc-option,-mthing)",
        "",
      ].join("\n"),
    });
    const scan = await scanKconfig(root, "x86_64");
    expect(scan.warnings).toEqual([]);
    expect(scan.symbols.get("CC_HAS_THING")?.type).toBe("bool");
  });

  it("reports unbalanced blocks and unknown lines as warnings without failing", async () => {
    const root = await tree({
      Kconfig: 'source "a/Kconfig"\nconfig AFTER\n\tbool\n\tdepends on X\nendmenu\nwhat is this\n',
      "a/Kconfig": "if NEVER_CLOSED\nconfig IN_A\n\tbool\n",
    });
    const scan = await scanKconfig(root, "x86_64");
    // The if of a/Kconfig ends with its file, as in the kernel.
    expect(scan.symbols.get("AFTER")?.dependsOn).toEqual(["X"]);
    expect(scan.symbols.get("IN_A")?.dependsOn).toEqual(["NEVER_CLOSED"]);
    expect(scan.warnings.map((w) => w.at)).toEqual(["a/Kconfig:1", "Kconfig:5", "Kconfig:6"]);
  });

  it("fails clearly on a missing required source, a recursive source or a missing tree", async () => {
    const missing = await tree({ Kconfig: '\nsource "not/there/Kconfig"\n' });
    await expect(scanKconfigTree(missing, "x86_64")).rejects.toThrow(/Kconfig:2: source "not\/there\/Kconfig": file not found/);

    const recursive = await tree({ Kconfig: 'source "a/Kconfig"\n', "a/Kconfig": 'rsource "../Kconfig"\n' });
    await expect(scanKconfigTree(recursive, "x86_64")).rejects.toThrow(/a\/Kconfig:1: recursive inclusion of Kconfig/);

    const empty = await tree({});
    await expect(scanKconfigTree(empty, "x86_64")).rejects.toThrow(/not a kernel tree/);
  });

  it("reads a file sourced twice twice, as the kernel does", async () => {
    const root = await tree({
      Kconfig: 'source "doc/Kconfig"\nif DEBUG\nsource "doc/Kconfig"\nendif\n',
      "doc/Kconfig": "config DOC\n\tbool\n\tdepends on OWN\n",
    });
    const scan = await scanKconfig(root, "x86_64");
    expect(scan.files).toEqual(["Kconfig", "doc/Kconfig", "doc/Kconfig"]);
    expect(scan.symbols.get("DOC")?.dependsOn).toEqual(["OWN", "DEBUG"]);
  });
});

describe("scanKconfigFile", () => {
  it("scans one file without following its sources, paths relative to the root", async () => {
    const root = await tree({
      "lib/Kconfig": 'config LIB_A\n\tbool\nsource "lib/sub/Kconfig"\n',
      "lib/sub/Kconfig": "config NOT_READ\n\tbool\n",
    });
    const scan = await scanKconfigFile(root, "lib/Kconfig");
    expect([...scan.symbols.keys()]).toEqual(["LIB_A"]);
    expect(scan.symbols.get("LIB_A")?.definedAt).toBe("lib/Kconfig:1");
  });
});

describe("readRustSamples", () => {
  it("lists the samples of samples/rust/Kconfig and the menuconfig that gates them", async () => {
    const root = await tree({
      "samples/rust/Kconfig": [
        "menuconfig SAMPLES_RUST",
        '\tbool "Rust samples"',
        "\tdepends on RUST",
        "\thelp",
        "\t  config NOT_A_SAMPLE",
        "",
        "if SAMPLES_RUST",
        "",
        "config SAMPLE_RUST_MINIMAL",
        '\ttristate "Minimal"',
        "",
        "config SAMPLE_RUST_HOSTPROGS",
        '\tbool "Host programs"',
        "",
        "config SAMPLE_RUST_SOME_INT",
        "\tint",
        "",
        "endif # SAMPLES_RUST",
        "",
      ].join("\n"),
    });
    expect(await readRustSamples(root)).toEqual({
      menuSymbol: "SAMPLES_RUST",
      samples: [
        { symbol: "SAMPLE_RUST_MINIMAL", type: "tristate", prompt: "Minimal", dependsOn: ["SAMPLES_RUST"] },
        { symbol: "SAMPLE_RUST_HOSTPROGS", type: "bool", prompt: "Host programs", dependsOn: ["SAMPLES_RUST"] },
      ],
    });
  });

  it("finds nothing in a tree without Rust samples", async () => {
    const root = await tree({ Kconfig: "" });
    expect(await readRustSamples(root)).toEqual({ menuSymbol: null, samples: [] });
  });

  it("has no menu symbol when the file has no menuconfig", async () => {
    const root = await tree({ "samples/rust/Kconfig": 'config SAMPLE_RUST_X\n\ttristate "X"\n' });
    expect(await readRustSamples(root)).toEqual({
      menuSymbol: null,
      samples: [{ symbol: "SAMPLE_RUST_X", type: "tristate", prompt: "X", dependsOn: [] }],
    });
  });
});

describe("symbolsInExpression", () => {
  it.each([
    ["HAVE_RUST && RUST_IS_AVAILABLE", ["HAVE_RUST", "RUST_IS_AVAILABLE"]],
    ["!DEBUG_INFO_BTF || (PAHOLE_HAS_LANG_EXCLUDE && !LTO)", ["DEBUG_INFO_BTF", "PAHOLE_HAS_LANG_EXCLUDE", "LTO"]],
    ["64BIT && X86_64 && 64BIT", ["64BIT", "X86_64"]],
    ["FOO = y || BAR != m || BAZ=n", ["FOO", "BAR", "BAZ"]],
    ['CC_VERSION_TEXT != "" && ARCH_NAME = "x86 QUOTED"', ["CC_VERSION_TEXT", "ARCH_NAME"]],
    ["NR_CPUS > 64 && BASE >= 0x1000 && LIMIT < -1", ["NR_CPUS", "BASE", "LIMIT"]],
    ["$(cc-option,-mfoo BAR) && REAL", ["REAL"]],
    ["y", []],
  ])("%s", (expr, symbols) => {
    expect(symbolsInExpression(expr)).toEqual(symbols);
  });
});

describe("helpers", () => {
  it("maps ARCH to the source arch directory", () => {
    expect(srcArchFor("x86_64")).toBe("x86");
    expect(srcArchFor("i386")).toBe("x86");
    expect(srcArchFor("arm64")).toBe("arm64");
    expect(srcArchFor("riscv")).toBe("riscv");
  });

  it("expands variables, leaving function calls and unknown names empty", () => {
    const vars = { SRCARCH: "x86", NAME: "SRC", ARCH: "x86_64" };
    expect(expandVariables("arch/$(SRCARCH)/Kconfig", vars)).toBe("arch/x86/Kconfig");
    expect(expandVariables("$($(NAME)ARCH)", vars)).toBe("x86");
    expect(expandVariables("[$(UNKNOWN)]", vars)).toBe("[]");
    expect(expandVariables("[$(shell,uname -m)]", vars)).toBe("[]");
  });
});
