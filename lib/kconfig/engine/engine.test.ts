import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkFragment, Kconfig, mergeConfig, olddefconfig } from ".";
import { parseKconfig } from "./parser";
import { strtoll } from "./cint";
import type { ChoiceRules } from "./model";

/** A throwaway tree: file name → text; the top file is `Kconfig`. */
function tree(files: Record<string, string>, choiceRules: ChoiceRules = "pre-6.11", shell = (cmd: string) => `ran ${cmd}\n`): Kconfig {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kbuild-kconfig-unit-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  const options = { srctree: dir, env: { ARCH: "x86_64", SRCARCH: "x86", HOME_DIR: "/home/k" }, shell, choiceRules };
  return Kconfig.fromParsed(parseKconfig(options), options);
}

const values = (config: string) => config.split("\n").filter((l) => l.startsWith("CONFIG_") || l.startsWith("# CONFIG_"));

describe("macro language", () => {
  it("expands simple, recursive and appended variables, user functions, the environment and $(shell)", () => {
    const calls: string[] = [];
    const kc = tree(
      {
        Kconfig: [
          'A := $(shell,echo one)',
          "B = $(A)-$(C)",
          "C := late",
          "B += more",
          "twice = $(1)$(1)",
          'config S\n\tstring\n\tdefault "$(B) $(twice,x) $(HOME_DIR) $(UNSET)|$(filename):$(lineno)"',
          "",
        ].join("\n"),
      },
      "pre-6.11",
      (cmd) => (calls.push(cmd), "ONE\n\n"),
    );
    expect(values(olddefconfig(kc, ""))).toEqual(['CONFIG_S="ONE-late more xx /home/k |Kconfig:8"']);
    // Each distinct command runs once; trailing newlines are dropped.
    expect(calls).toEqual(["echo one"]);
    expect(Object.fromEntries(kc.tree.preprocessor.shellCalls)).toEqual({ "echo one": "ONE" });
  });

  it("stops with the file and line on $(error-if,y,...)", () => {
    expect(() => tree({ Kconfig: "config A\n\tbool\n$(error-if,y,no compiler)\n" })).toThrow(/Kconfig:3: no compiler/);
  });
});

describe("evaluation", () => {
  const base = `
mainmenu "Test $(ARCH)"
config MODULES
	bool "modules"
	modules
config A
	bool "A"
	default y
config B
	tristate "B"
	depends on A && !C || D
config C
	bool
config D
	bool "D"
	select E
	imply F
config E
	tristate
config F
	tristate "F"
config N
	int "N"
	range 2 10
	default 4
config H
	hex "H"
	default 0x1000
menu "Sub"
	depends on A
comment "a comment"
config IN_SUB
	bool "in sub"
endmenu
`;

  it("follows precedence, select, imply, ranges and menu comments", () => {
    const kc = tree({ Kconfig: base });
    const config = olddefconfig(kc, "CONFIG_MODULES=y\nCONFIG_B=m\nCONFIG_D=y\nCONFIG_N=99\nCONFIG_H=2000\n");
    expect(config.split("\n").slice(0, 4)).toEqual(["#", "# Automatically generated file; DO NOT EDIT.", "# Test x86_64", "#"]);
    expect(values(config)).toEqual([
      "CONFIG_MODULES=y",
      "CONFIG_A=y",
      "CONFIG_B=m",
      "CONFIG_D=y",
      "CONFIG_E=y",
      "CONFIG_F=y",
      // out of range: dropped, back to the default
      "CONFIG_N=4",
      // a value read from a file is kept as written
      "CONFIG_H=2000",
      "# CONFIG_IN_SUB is not set",
    ]);
    expect(config).toContain("\n#\n# Sub\n#\n\n#\n# a comment\n#\n# CONFIG_IN_SUB is not set\n# end of Sub\n");
  });

  it("makes m into y without modules and honours a user's n over an imply", () => {
    const kc = tree({ Kconfig: base });
    expect(values(olddefconfig(kc, "CONFIG_B=m\nCONFIG_D=y\n# CONFIG_F is not set\n"))).toContain("CONFIG_B=y");
    expect(values(olddefconfig(kc, "CONFIG_MODULES=y\nCONFIG_D=y\n# CONFIG_F is not set\n"))).toContain("# CONFIG_F is not set");
  });

  it("writes a minimal config with only what differs from the defaults", () => {
    const kc = tree({ Kconfig: base });
    kc.reset();
    kc.read("CONFIG_MODULES=y\nCONFIG_A=y\nCONFIG_D=y\nCONFIG_N=5\n");
    expect(kc.writeMinimal()).toBe("CONFIG_MODULES=y\nCONFIG_D=y\nCONFIG_N=5\n");
  });
});

describe("choices", () => {
  const choice = `
choice
	prompt "Pick"
	default SECOND
config FIRST
	bool "first"
config SECOND
	bool "second"
config THIRD
	bool "third"
endchoice
`;

  it("takes the default, then the user's member (both rule sets)", () => {
    for (const rules of ["pre-6.11", "post-6.11"] as const) {
      const kc = tree({ Kconfig: choice }, rules);
      expect(values(olddefconfig(kc, ""))).toEqual(["# CONFIG_FIRST is not set", "CONFIG_SECOND=y", "# CONFIG_THIRD is not set"]);
      expect(values(olddefconfig(kc, "CONFIG_THIRD=y\n"))).toContain("CONFIG_THIRD=y");
    }
  });

  it("after 6.11, the member read last wins when two are y", () => {
    const post = tree({ Kconfig: choice }, "post-6.11");
    expect(values(olddefconfig(post, "CONFIG_THIRD=y\nCONFIG_FIRST=y\n"))).toEqual(["CONFIG_FIRST=y", "# CONFIG_SECOND is not set", "# CONFIG_THIRD is not set"]);
    // A fresh read starts from the tree's own order again.
    expect(values(olddefconfig(post, "CONFIG_FIRST=y\nCONFIG_THIRD=y\n"))).toContain("CONFIG_THIRD=y");
  });
});

describe(".config input", () => {
  it("warns per line on unknown symbols, bad values and junk, and keeps going", () => {
    const kc = tree({ Kconfig: "config A\n\tbool \"A\"\nconfig N\n\tint \"N\"\n" });
    kc.reset();
    const warnings = kc.read("CONFIG_A=maybe\nCONFIG_NOPE=y\nrandom junk\nCONFIG_N=12\nCONFIG_N=x1\n");
    expect(warnings.map((w) => [w.line, w.message])).toEqual([
      [1, "symbol value 'maybe' invalid for A"],
      [2, "unknown symbol: NOPE"],
      [3, "unexpected data"],
      [5, "override: reassigning to symbol N"],
      [5, "symbol value 'x1' invalid for N"],
    ]);
    expect(values(kc.write())).toEqual(["# CONFIG_A is not set", "CONFIG_N=12"]);
    expect(checkFragment(kc, "CONFIG_A=m\nCONFIG_ZZ=y\nhello\nCONFIG_N=0x1\n").map((w) => w.line)).toEqual([1, 2, 3, 4]);
  });

  it("merges a fragment the way merge_config.sh does", () => {
    expect(mergeConfig("CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_AB=y\n", "CONFIG_B=y\n")).toBe("CONFIG_A=y\nCONFIG_AB=y\n\nCONFIG_B=y\n");
  });
});

describe("newer language (6.18 and 7.x)", () => {
  const migration = [
    "config MODULES\n\tbool \"modules\"\n\tmodules\n\tdefault y",
    'config NEW_BOOL\n\tbool "new"\n\tdefault OLD_BOOL',
    "config OLD_BOOL\n\tbool\n\ttransitional",
    'config NEW_TRI\n\ttristate "new"\n\tdefault OLD_TRI',
    "config OLD_TRI\n\ttristate\n\ttransitional",
    'config NEW_INT\n\tint "new"\n\tdefault OLD_INT',
    "config OLD_INT\n\tint\n\ttransitional\n\thelp\n\t  The old name.",
    'config NEW_STR\n\tstring "new"\n\tdefault OLD_STR',
    "config OLD_STR\n\tstring\n\ttransitional",
    'config KEPT\n\tbool "user value wins"\n\tdefault OLD_KEPT',
    "config OLD_KEPT\n\tbool\n\ttransitional",
    "",
  ].join("\n");

  it("reads a transitional symbol from an old .config into the new one's default and never writes it", () => {
    const kc = tree({ Kconfig: migration }, "post-6.11");
    const old = ["CONFIG_OLD_BOOL=y", "CONFIG_OLD_TRI=m", "CONFIG_OLD_INT=42", 'CONFIG_OLD_STR="old text"', "CONFIG_OLD_KEPT=y", "# CONFIG_KEPT is not set", ""].join("\n");
    expect(values(olddefconfig(kc, old))).toEqual(["CONFIG_MODULES=y", "CONFIG_NEW_BOOL=y", "CONFIG_NEW_TRI=m", "CONFIG_NEW_INT=42", 'CONFIG_NEW_STR="old text"', "# CONFIG_KEPT is not set"]);
    // The new symbols took the old values as their own: they are user values now.
    expect(kc.symbol("NEW_INT")!.flags & (1 << 9)).not.toBe(0);
    // Without the old .config, the defaults are the types' own.
    expect(values(olddefconfig(kc, ""))).toEqual(["CONFIG_MODULES=y", "# CONFIG_NEW_BOOL is not set", "# CONFIG_NEW_TRI is not set", "CONFIG_NEW_INT=0", 'CONFIG_NEW_STR=""', "# CONFIG_KEPT is not set"]);
  });

  it("refuses a transitional symbol with anything but a type and help", () => {
    expect(() => tree({ Kconfig: "config A\n\tbool\n\ttransitional\n\tdefault y\n" }, "post-6.11")).toThrow(/Kconfig:4: transitional symbols can only have help sections/);
    expect(() => tree({ Kconfig: "config B\n\tbool\nconfig A\n\tbool\n\ttransitional\n\tdepends on B\n" }, "post-6.11")).toThrow(/transitional symbols can only have help sections/);
  });

  it("reads `depends on X if Y` as X when Y is set and no dependency when it is not", () => {
    const kc = tree({ Kconfig: ['config X\n\tbool "x"', 'config Y\n\tbool "y"', 'config A\n\tbool "a"\n\tdefault y\n\tdepends on X if Y', ""].join("\n") }, "post-6.11");
    // Unmet, so A is not even written.
    expect(values(olddefconfig(kc, "CONFIG_Y=y\n")).filter((l) => l.includes("CONFIG_A"))).toEqual([]);
    expect(values(olddefconfig(kc, "CONFIG_Y=y\nCONFIG_X=y\n"))).toContain("CONFIG_A=y");
    expect(values(olddefconfig(kc, ""))).toContain("CONFIG_A=y");
  });
});

describe("strtoll", () => {
  it("parses like C, with overflow and partial input", () => {
    expect(strtoll("0x1f", 0)).toEqual({ value: 31n, end: 4, overflow: false });
    expect(strtoll("017", 0).value).toBe(15n);
    expect(strtoll("12abc", 10)).toEqual({ value: 12n, end: 2, overflow: false });
    expect(strtoll("zzz", 10).end).toBe(0);
    expect(strtoll("99999999999999999999", 10).overflow).toBe(true);
    expect(strtoll("-1", 16, true).value).toBe((1n << 64n) - 1n);
  });
});
