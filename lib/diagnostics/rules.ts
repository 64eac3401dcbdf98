import type { Severity, Tool } from "./types";

/**
 * What each tool's diagnostics look like in a build log, as data: the line a
 * diagnostic starts with, what it says, and which following lines belong to it.
 * The parser (parser.ts) tries the rules in order; the first that matches wins.
 */
export interface Header {
  severity: Severity;
  /** As printed; the parser makes it relative to the build's trees. */
  file: string | null;
  line: number | null;
  column: number | null;
  code: string | null;
  message: string;
}

/**
 * Which lines after the first belong to a diagnostic:
 * - "rustc": everything up to the blank line that ends rustc's block;
 * - "clang": the source and caret lines, and the notes with theirs;
 * - a RegExp: the lines it matches;
 * - "none": the diagnostic is its one line.
 */
export type Block = "rustc" | "clang" | "none" | RegExp;

export interface Rule {
  tool: Tool | ((header: Header) => Tool);
  pattern: RegExp;
  read: (m: RegExpExecArray) => Header;
  block: Block;
  /**
   * make's own errors (a missing tool, no rule for a target): the root cause
   * only when no other tool's error explains why the build failed.
   */
  rootCauseOnly?: true;
}

const num = (s: string | undefined) => (s === undefined ? null : Number(s));
const severity = (s: string): Severity => (/warning/i.test(s) ? "warning" : "error");

/** clang's trailing `[-Wflag]` (or `[-Werror,-Wflag]`) as the code, and the message without it. */
export function splitWarningFlag(message: string): { message: string; code: string | null } {
  const m = / \[(-W[^\]]+)\]$/.exec(message);
  if (!m) return { message, code: null };
  const flags = m[1]!.split(",");
  const code = flags.filter((f) => f !== "-Werror").pop() ?? flags[0]!;
  return { message: message.slice(0, m.index), code };
}

export const RULES: Rule[] = [
  {
    // The kernel's Makefile, when a module is built with another compiler than the kernel was.
    tool: "make",
    pattern: /^warning: (the compiler differs from the one used to build the kernel)$/,
    read: (m) => ({ severity: "warning", file: null, line: null, column: null, code: null, message: m[1]! }),
    block: /^ {2}(The kernel was built by|You are using):/,
  },
  {
    // clang (and rustc's short form): `file:line:col: error: message [-Wflag]`.
    tool: (h) => (h.file?.endsWith(".rs") ? "rustc" : "clang"),
    pattern: /^(.+?):(\d+):(\d+): (fatal error|error|warning)(?:\[(E\d{4})\])?: (.*)$/,
    read: (m) => {
      const { message, code } = splitWarningFlag(m[6]!);
      return { severity: severity(m[4]!), file: m[1]!, line: num(m[2]), column: num(m[3]), code: m[5] ?? code, message };
    },
    block: "clang",
  },
  {
    // clang's driver: `clang: error: no such file or directory: 'x.c'`.
    tool: "clang",
    pattern: /^(?:\S*\/)?clang(?:-\d+)?: (error|warning): (.*)$/,
    read: (m) => ({ severity: severity(m[1]!), file: null, line: null, column: null, ...splitWarningFlag(m[2]!) }),
    block: "none",
  },
  {
    // ld.lld: `ld.lld: error: undefined symbol: foo`, then `>>> referenced by ...` lines.
    tool: "ld.lld",
    pattern: /^(?:\S*\/)?ld\.lld: (error|warning): (.*)$/,
    read: (m) => ({ severity: severity(m[1]!), file: null, line: null, column: null, code: null, message: m[2]! }),
    block: /^>>> /,
  },
  {
    // modpost: `ERROR: modpost: "sym" [path/mod.ko] undefined!`, `WARNING: modpost: ...`.
    tool: "modpost",
    pattern: /^(ERROR|WARNING): (?:modpost: )?(.*)$/,
    read: (m) => {
      const file = /\[([^\]\s]+\.ko)\]/.exec(m[2]!)?.[1] ?? / in (\S+\.o)$/.exec(m[2]!)?.[1] ?? null;
      return { severity: severity(m[1]!), file, line: null, column: null, code: null, message: m[2]! };
    },
    block: "none",
  },
  {
    // Kconfig: `.config:12:warning: override: ...`, `arch/x86/Kconfig:5: syntax error`.
    tool: "kconfig",
    pattern: /^(\S*(?:Kconfig[\w.-]*|config)):(\d+):\s?(warning|error): (.*)$/,
    read: (m) => ({ severity: severity(m[3]!), file: m[1]!, line: num(m[2]), column: null, code: null, message: m[4]! }),
    block: "none",
  },
  {
    tool: "kconfig",
    pattern: /^(\S*Kconfig[\w.-]*):(\d+): (syntax error.*|unknown statement.*|invalid .*)$/,
    read: (m) => ({ severity: "error", file: m[1]!, line: num(m[2]), column: null, code: null, message: m[3]! }),
    block: "none",
  },
  {
    // make's own warnings: `/module/Makefile:4: warning: overriding recipe for target 'x'`.
    tool: "make",
    pattern: /^(\S*(?:Makefile|Kbuild|\.mk)[\w.-]*):(\d+): warning: (.*)$/,
    read: (m) => ({ severity: "warning", file: m[1]!, line: num(m[2]), column: null, code: null, message: m[3]! }),
    block: "none",
  },
  {
    // rustc: `error[E0308]: mismatched types`, its `--> file:line:col` and snippet up to a blank line.
    tool: "rustc",
    pattern: /^(error|warning)(?:\[(E\d{4})\])?: (.*)$/,
    read: (m) => ({ severity: severity(m[1]!), file: null, line: null, column: null, code: m[2] ?? null, message: m[3]! }),
    block: "rustc",
  },
  {
    // A command the shell could not find: `/bin/sh: 1: clang-99: not found`.
    tool: "make",
    pattern: /^(?:\/usr)?(?:\/bin\/)?(?:ba|da)?sh: (?:\d+: |line \d+: )?(.+?: (?:not found|command not found|No such file or directory|Permission denied))$/,
    read: (m) => ({ severity: "error", file: null, line: null, column: null, code: null, message: m[1]! }),
    block: "none",
    rootCauseOnly: true,
  },
  {
    // make running a program that does not exist: `make: clang-99: No such file or directory`.
    tool: "make",
    pattern: /^make(?:\[\d+\])?: (?!\*\*\* )(.+?: (?:Command not found|No such file or directory))$/,
    read: (m) => ({ severity: "error", file: null, line: null, column: null, code: null, message: m[1]! }),
    block: "none",
    rootCauseOnly: true,
  },
  {
    // The kernel's check of its Rust tools (make rustavailable): `*** Rust compiler 'rustc' could not be found.`
    tool: "make",
    pattern: /^\*\*\* (Rust (?:compiler|bindings generator) '.+' (?:could not be found|is too old))\.$/,
    read: (m) => ({ severity: "error", file: null, line: null, column: null, code: null, message: m[1]! }),
    block: "none",
    rootCauseOnly: true,
  },
  {
    // make giving up: `make[1]: *** No rule to make target 'x.o', needed by 'y'.  Stop.`
    tool: "make",
    pattern: /^make(?:\[\d+\])?: \*\*\* (?!\[)(.+?)\.?\s+Stop\.$/,
    read: (m) => ({ severity: "error", file: null, line: null, column: null, code: null, message: m[1]! }),
    block: "none",
    rootCauseOnly: true,
  },
  {
    // A Makefile's own error: `Makefile:3: *** missing separator.  Stop.`
    tool: "make",
    pattern: /^(\S+):(\d+): \*\*\* (.+?)\.?\s+Stop\.$/,
    read: (m) => ({ severity: "error", file: m[1]!, line: num(m[2]), column: null, code: null, message: m[3]! }),
    block: "none",
    rootCauseOnly: true,
  },
];

/** Lines that look like diagnostics and are not: the tools' closing summaries. */
export const SUMMARIES: RegExp[] = [
  /^\d+ (warnings?|errors?)( and \d+ errors?)? generated\.$/,
  /^(error|warning): (aborting due to|could not compile|build failed|\d+ warnings? emitted)/,
  /^(?:\S*\/)?ld\.lld: error: too many errors emitted/,
];

/** make's report that a recipe failed: follows the error that made it fail, and is no root cause itself. */
export const MAKE_FAILED = /^make(?:\[\d+\])?: \*\*\* \[(?:(\S+?):(\d+): )?(.+?)\] Error (\d+)/;

/** Lines that end any diagnostic's block: make's own lines, the kernel's quiet command lines ("  CC [M]  x.o"), a stored log's step headers ("▶ Build ..."). */
export const BLOCK_ENDS: RegExp[] = [/^make(?:\[\d+\])?: /, /^ {2}[A-Z][A-Z0-9_-]*(?: \[M\])?\s+\S/, /^▶ /];

/** clang's notes: part of the diagnostic before them. */
export const CLANG_NOTE = /^(?:.+?:\d+:\d+: |\S+: )?note: /;

/** clang's include stack, printed before the diagnostic it leads to. */
export const INCLUDED_FROM = /^(In file included from |\s+from ).+:\d+:$/;

/** rustc's location line. */
export const RUSTC_LOCATION = /^\s*--> (.+?):(\d+):(\d+)$/;

/**
 * ld.lld's lines that say where, best first: the source with debug information
 * (`>>> referenced by a.c:9 (/module/a.c:9)`), else the object (`>>>   /module/a.o:(.text+0x1)`).
 */
export const LLD_LOCATIONS: RegExp[] = [/^>>> (?:referenced by|defined at) .*\((\S+?):(\d+)\)$/, /^>>>\s+(\S+\.o):\(/];
