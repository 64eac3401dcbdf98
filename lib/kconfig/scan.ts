import { readFile } from "node:fs/promises";
import path from "node:path";

/**
 * A light Kconfig scanner: it walks the Kconfig files of a kernel tree the way
 * scripts/kconfig does (root `Kconfig`, following `source` statements) and
 * records, for every `config`/`menuconfig` symbol, its type, first prompt,
 * where it is defined, its dependencies and its selects. It does not evaluate
 * anything: defaults, ranges, choices and `$(shell,...)` are not its business.
 */

export type ScannedSymbolType = "bool" | "tristate" | "int" | "hex" | "string" | "unknown";

export interface ScannedSymbol {
  /** Without CONFIG_. */
  name: string;
  type: ScannedSymbolType;
  /** First prompt text (from `bool "..."`, `prompt "..."`, `tristate "..."`, ...). */
  prompt: string | null;
  /** "init/Kconfig:1912": path relative to the root, line of the first `config` keyword. */
  definedAt: string;
  /**
   * Every `depends on EXPR` of the entry plus the conditions of enclosing `if`
   * blocks and the `depends on` of enclosing menus and choices, as written
   * (whitespace collapsed), outermost first, deduplicated across definitions.
   */
  dependsOn: string[];
  /** Every `select SYM [if EXPR]` of the entry, as written. */
  selects: string[];
}

export interface KconfigScanWarning {
  /** "path:line" relative to the root. */
  at: string;
  message: string;
}

export interface KconfigScan {
  symbols: Map<string, ScannedSymbol>;
  /** Symbols introduced with `menuconfig` (in at least one definition). */
  menuconfigs: Set<string>;
  /** Every Kconfig file read, relative to the root, in reading order. */
  files: string[];
  warnings: KconfigScanWarning[];
}

/** The arch/ directory an ARCH value builds from (the kernel Makefile's SRCARCH). */
export function srcArchFor(arch: string): string {
  switch (arch) {
    case "x86_64":
    case "i386":
      return "x86";
    case "sparc32":
    case "sparc64":
      return "sparc";
    case "parisc64":
      return "parisc";
    case "sh64":
      return "sh";
    default:
      return arch;
  }
}

/** Every symbol of the tree at `root` for `arch` (an ARCH value such as "x86_64" or "arm64"). */
export async function scanKconfigTree(
  root: string,
  arch: string,
  env: Record<string, string> = {},
): Promise<Map<string, ScannedSymbol>> {
  return (await scanKconfig(root, arch, env)).symbols;
}

/** Like scanKconfigTree, with the file list, menuconfig symbols and warnings. */
export async function scanKconfig(root: string, arch: string, env: Record<string, string> = {}): Promise<KconfigScan> {
  // ARCH and SRCARCH come from the kernel Makefile, so they win over the caller's env.
  const variables = { ...env, ARCH: arch, SRCARCH: srcArchFor(arch) };
  const scanner = new Scanner(path.resolve(root), variables, true);
  const topLevel = path.resolve(root, "Kconfig");
  try {
    await scanner.scanFile(topLevel, null);
  } catch (error) {
    if (isMissingFile(error)) throw new Error(`not a kernel tree: ${topLevel} does not exist`);
    throw error;
  }
  return scanner.result();
}

/**
 * One Kconfig file on its own: `source` statements are not followed, so only
 * the file's own `if`/`menu`/`choice` blocks contribute dependencies.
 * `definedAt` paths are relative to `root`.
 */
export async function scanKconfigFile(
  root: string,
  file: string,
  env: Record<string, string> = {},
): Promise<KconfigScan> {
  const scanner = new Scanner(path.resolve(root), env, false);
  await scanner.scanFile(path.resolve(root, file), null);
  return scanner.result();
}

/**
 * The symbol names an expression mentions, in order of first appearance:
 * words that are not the constants y/m/n, not numbers and not inside quotes
 * or `$(...)` macro calls.
 */
export function symbolsInExpression(expr: string): string[] {
  const found = new Set<string>();
  for (const token of tokenizeOutsideStrings(expr)) {
    if (isSymbolWord(token)) found.add(token);
  }
  return [...found];
}

function isSymbolWord(word: string): boolean {
  if (!/^[A-Za-z0-9_-]+$/.test(word)) return false;
  if (word === "y" || word === "m" || word === "n") return false;
  if (/^-?[0-9]+$/.test(word) || /^-?0[xX][0-9a-fA-F]+$/.test(word)) return false;
  return /[A-Za-z_]/.test(word);
}

/** Words of an expression, skipping quoted strings and `$(...)` macro calls. */
function tokenizeOutsideStrings(expr: string): string[] {
  const words: string[] = [];
  let word = "";
  const flush = () => {
    if (word !== "") words.push(word);
    word = "";
  };
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i] as string;
    if (c === '"' || c === "'") {
      flush();
      i = endOfQuoted(expr, i);
    } else if (c === "$" && expr[i + 1] === "(") {
      flush();
      i = endOfMacro(expr, i);
    } else if (/[A-Za-z0-9_-]/.test(c)) {
      word += c;
    } else {
      flush();
    }
  }
  flush();
  return words;
}

/** Index of the quote closing the string that opens at `start`, or the last index if unterminated. */
function endOfQuoted(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === quote) return i;
  }
  return text.length - 1;
}

/** Index of the `)` closing the `$(` at `start`, or the last index if unbalanced. */
function endOfMacro(text: string, start: number): number {
  let depth = 0;
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0) return i;
  }
  return text.length - 1;
}

type BlockKind = "if" | "menu" | "choice";

interface Block {
  kind: BlockKind;
  /** Conditions every entry inside inherits. */
  conditions: string[];
  at: string;
}

/** What attribute lines (`depends on`, `bool`, `help`...) currently belong to. */
type CurrentEntry =
  | { kind: "symbol"; symbol: ScannedSymbol }
  | { kind: "block"; block: Block }
  | { kind: "other" }
  | null;

const SOURCE_KEYWORDS = new Set(["source", "osource", "rsource", "orsource"]);
const TYPE_KEYWORDS: Record<string, ScannedSymbolType> = {
  bool: "bool",
  boolean: "bool",
  tristate: "tristate",
  int: "int",
  hex: "hex",
  string: "string",
  def_bool: "bool",
  def_tristate: "tristate",
};
/** Attributes the scanner has no use for; listed so they are not reported as unknown. */
const IGNORED_ATTRIBUTES = new Set([
  "default",
  "range",
  "imply",
  "option",
  "optional",
  "modules",
  "visible",
  "transitional",
  "mainmenu",
]);
const VARIABLE_ASSIGNMENT = /^[A-Za-z0-9_-]+\s*(?::=|\+=|=)/;
const LEADING_WORD = /^(?:---help---|[A-Za-z0-9_-]+)/;

class Scanner {
  private readonly symbols = new Map<string, ScannedSymbol>();
  private readonly menuconfigs = new Set<string>();
  private readonly files: string[] = [];
  private readonly warnings: KconfigScanWarning[] = [];
  /** Open if/menu/choice blocks, outermost first; spans sourced files like the kernel's. */
  private readonly blocks: Block[] = [];
  /** Reads started ahead of the parser, by absolute path. */
  private readonly prefetched = new Map<string, Promise<string>>();

  constructor(
    private readonly root: string,
    private readonly variables: Record<string, string>,
    private readonly followSources: boolean,
  ) {}

  result(): KconfigScan {
    return { symbols: this.symbols, menuconfigs: this.menuconfigs, files: this.files, warnings: this.warnings };
  }

  /** `includedFrom` is the chain of files sourcing this one, to stop recursive inclusion. */
  async scanFile(absolutePath: string, includedFrom: IncludeChain | null): Promise<void> {
    const relativePath = this.relative(absolutePath);
    const text = await this.read(absolutePath);
    if (this.followSources) this.prefetchSources(text, absolutePath);
    this.files.push(relativePath);
    const chain: IncludeChain = { file: absolutePath, parent: includedFrom };
    const blocksAtStart = this.blocks.length;
    const lines = text.split("\n");
    let current: CurrentEntry = null;
    /** The help text being skipped, null outside help. */
    let help: HelpText | null = null;

    for (let i = 0; i < lines.length; i++) {
      const lineNumber = i + 1;
      let line = stripCarriageReturn(lines[i] as string);

      if (help !== null) {
        if (continuesHelp(help, line)) continue;
        help = null; // This line is a statement again.
      }

      // Help text is exempt: a trailing backslash there is prose (e.g. a shell example).
      while (line.endsWith("\\") && i + 1 < lines.length) {
        line = `${line.slice(0, -1)} ${stripCarriageReturn(lines[++i] as string)}`;
      }

      const statement = stripComment(line).trim();
      if (statement === "") continue;
      const at = `${relativePath}:${lineNumber}`;
      const keyword = LEADING_WORD.exec(statement)?.[0] ?? "";
      const rest = statement.slice(keyword.length).trim();

      switch (keyword) {
        case "config":
        case "menuconfig": {
          current = this.defineSymbol(rest, at, keyword === "menuconfig");
          break;
        }
        case "bool":
        case "boolean":
        case "tristate":
        case "int":
        case "hex":
        case "string":
        case "def_bool":
        case "def_tristate": {
          if (current?.kind === "symbol") {
            const symbol = current.symbol;
            if (symbol.type === "unknown") symbol.type = TYPE_KEYWORDS[keyword] ?? "unknown";
            // def_* take a default expression, not a prompt.
            if (!keyword.startsWith("def_")) this.notePrompt(symbol, rest);
          }
          break;
        }
        case "prompt": {
          if (current?.kind === "symbol") this.notePrompt(current.symbol, rest);
          break;
        }
        case "depends": {
          const expression = /^on\b/.test(rest) ? normalizeExpression(rest.slice(2)) : "";
          if (expression === "") {
            this.warn(at, `expected "depends on EXPR": ${statement}`);
          } else if (current?.kind === "symbol") {
            addUnique(current.symbol.dependsOn, expression);
          } else if (current?.kind === "block") {
            current.block.conditions.push(expression);
          }
          // Otherwise it belongs to a `comment` (or nothing): no symbol depends on it.
          break;
        }
        case "select": {
          if (current?.kind === "symbol" && rest !== "") addUnique(current.symbol.selects, normalizeExpression(rest));
          break;
        }
        case "help":
        case "---help---": {
          help = { indent: 0, firstLine: true };
          break;
        }
        case "if": {
          if (rest === "") this.warn(at, '"if" without a condition');
          this.blocks.push({ kind: "if", conditions: rest === "" ? [] : [normalizeExpression(rest)], at });
          current = null;
          break;
        }
        case "menu":
        case "choice": {
          const block: Block = { kind: keyword as BlockKind, conditions: [], at };
          this.blocks.push(block);
          current = { kind: "block", block };
          break;
        }
        case "endif":
        case "endmenu":
        case "endchoice": {
          this.closeBlock(keyword.slice(3) as BlockKind, blocksAtStart, at);
          current = null;
          break;
        }
        case "comment": {
          current = { kind: "other" };
          break;
        }
        default: {
          if (SOURCE_KEYWORDS.has(keyword)) {
            current = null;
            await this.source(keyword, rest, absolutePath, chain, at);
          } else if (IGNORED_ATTRIBUTES.has(keyword)) {
            if (keyword === "mainmenu") current = null;
          } else if (statement.startsWith("$(")) {
            // A bare macro call such as `$(error-if,...)`: the kernel runs it for its effect.
          } else if (VARIABLE_ASSIGNMENT.test(statement)) {
            // A preprocessor variable (scripts/Kconfig.include): a statement of its own.
            current = null;
          } else {
            this.warn(at, `unrecognized line: ${statement}`);
          }
        }
      }
    }

    if (this.blocks.length > blocksAtStart) {
      for (const block of this.blocks.slice(blocksAtStart)) {
        this.warn(block.at, `"${block.kind}" is not closed before the end of the file`);
      }
      this.blocks.length = blocksAtStart;
    }
  }

  private read(absolutePath: string): Promise<string> {
    const prefetched = this.prefetched.get(absolutePath);
    if (prefetched === undefined) return readFile(absolutePath, "utf8");
    this.prefetched.delete(absolutePath);
    return prefetched;
  }

  /**
   * Starts reading the files `text` sources before parsing it: parsing must
   * stay in order (blocks span files), but waiting for ~1,500 reads one at a
   * time costs more than the parsing itself. A guess that turns out wrong
   * (a `source` inside help text) only costs a read.
   */
  private prefetchSources(text: string, absolutePath: string): void {
    if (!text.includes("source")) return;
    for (const match of text.matchAll(/^[ \t]*(o?r?source)[ \t]+"([^"\n]*)"/gm)) {
      const keyword = match[1] as string;
      const target = expandVariables(match[2] as string, this.variables);
      if (target === "") continue;
      const base = keyword.endsWith("rsource") ? path.dirname(absolutePath) : this.root;
      const file = path.resolve(base, target);
      if (this.prefetched.has(file)) continue;
      const reading = readFile(file, "utf8");
      // A missing optional file is only an error once the parser reaches it.
      reading.catch(() => undefined);
      this.prefetched.set(file, reading);
    }
  }

  private defineSymbol(name: string, at: string, isMenuconfig: boolean): CurrentEntry {
    if (!/^[A-Za-z0-9_-]+$/.test(name)) {
      this.warn(at, `invalid symbol name: ${JSON.stringify(name)}`);
      return { kind: "other" };
    }
    let symbol = this.symbols.get(name);
    if (symbol === undefined) {
      symbol = { name, type: "unknown", prompt: null, definedAt: at, dependsOn: [], selects: [] };
      this.symbols.set(name, symbol);
    }
    if (isMenuconfig) this.menuconfigs.add(name);
    for (const block of this.blocks) {
      for (const condition of block.conditions) addUnique(symbol.dependsOn, condition);
    }
    return { kind: "symbol", symbol };
  }

  private notePrompt(symbol: ScannedSymbol, rest: string): void {
    if (symbol.prompt !== null) return;
    const quoted = leadingQuotedString(rest);
    if (quoted !== null) symbol.prompt = expandVariables(quoted, this.variables);
  }

  private closeBlock(kind: BlockKind, blocksAtStart: number, at: string): void {
    const top = this.blocks[this.blocks.length - 1];
    // Like the kernel, a block must end in the file that opened it.
    if (this.blocks.length <= blocksAtStart || top === undefined) {
      this.warn(at, `"end${kind}" without a matching "${kind}" in this file`);
      return;
    }
    if (top.kind !== kind) {
      this.warn(at, `"end${kind}" closes "${top.kind}" opened at ${top.at}`);
    }
    this.blocks.pop();
  }

  private async source(keyword: string, rest: string, fromFile: string, chain: IncludeChain, at: string): Promise<void> {
    const quoted = leadingQuotedString(rest);
    const target = expandVariables(quoted ?? rest, this.variables);
    if (target === "") {
      this.warn(at, `${keyword} without a file name`);
      return;
    }
    if (!this.followSources) return;

    const relativeToCurrentFile = keyword === "rsource" || keyword === "orsource";
    const optional = keyword === "osource" || keyword === "orsource";
    const base = relativeToCurrentFile ? path.dirname(fromFile) : this.root;
    const absolutePath = path.resolve(base, target);

    for (let link: IncludeChain | null = chain; link !== null; link = link.parent) {
      if (link.file === absolutePath) {
        throw new Error(`${at}: recursive inclusion of ${this.relative(absolutePath)}`);
      }
    }
    try {
      await this.scanFile(absolutePath, chain);
    } catch (error) {
      if (isMissingFile(error)) {
        if (optional) return;
        // The kernel stops here too: a tree without a required file is not one we can describe.
        throw new Error(`${at}: ${keyword} "${target}": file not found (${absolutePath})`);
      }
      throw error;
    }
  }

  private warn(at: string, message: string): void {
    this.warnings.push({ at, message });
  }

  private relative(absolutePath: string): string {
    return path.relative(this.root, absolutePath).split(path.sep).join("/");
  }
}

interface HelpText {
  /** Indentation of the first text line; 0 until one is seen (the lexer's first_ts). */
  indent: number;
  /** The next line is the one right after `help`. */
  firstLine: boolean;
}

/**
 * Whether `line` is still help text, following scripts/kconfig/lexer.l
 * exactly: help ends at the first non-blank line indented less than the
 * first text line, or at any line starting in column 0 — except the line
 * right after `help`, which the lexer takes as text whatever its indentation.
 */
function continuesHelp(help: HelpText, line: string): boolean {
  const firstLine = help.firstLine;
  help.firstLine = false;
  if (isBlank(line)) return true;
  const indent = indentationOf(line);
  if (indent === 0) return firstLine;
  if (help.indent === 0) {
    help.indent = indent;
    return true;
  }
  return indent >= help.indent;
}

interface IncludeChain {
  file: string;
  parent: IncludeChain | null;
}

function isMissingFile(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

function addUnique(list: string[], item: string): void {
  if (!list.includes(item)) list.push(item);
}

function stripCarriageReturn(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}

function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) return false;
  }
  return true;
}

/** Leading-whitespace width, tabs to the next multiple of 8 (as the kernel's lexer counts). */
function indentationOf(line: string): number {
  let width = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x09) width = (width & ~7) + 8;
    else if (c === 0x20) width++;
    else break;
  }
  return width;
}

/** The line up to a `#` that is not inside a quoted string. */
function stripComment(line: string): string {
  const hash = line.indexOf("#");
  if (hash === -1) return line;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "#") return line.slice(0, i);
    if (c === '"' || c === "'") i = endOfQuoted(line, i);
  }
  return line;
}

/** The text of a quoted string at the start of `text` (escapes resolved), or null if it does not start with one. */
function leadingQuotedString(text: string): string | null {
  const quote = text[0];
  if (quote !== '"' && quote !== "'") return null;
  let value = "";
  for (let i = 1; i < text.length; i++) {
    const c = text[i] as string;
    if (c === quote) return value;
    if (c === "\\" && i + 1 < text.length) {
      value += text[++i];
    } else {
      value += c;
    }
  }
  return value; // Unterminated: the kernel's lexer also takes the rest of the line.
}

/** Whitespace runs outside quoted strings become one space, so equal expressions compare equal. */
function normalizeExpression(expr: string): string {
  let out = "";
  let pendingSpace = false;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i] as string;
    if (c === " " || c === "\t") {
      pendingSpace = out !== "";
      continue;
    }
    if (pendingSpace) out += " ";
    pendingSpace = false;
    if (c === '"' || c === "'") {
      const end = endOfQuoted(expr, i);
      out += expr.slice(i, end + 1);
      i = end;
    } else {
      out += c;
    }
  }
  return out;
}

/**
 * Expands `$(NAME)` from `variables`; unknown names, and function calls
 * (`$(shell,...)`, `$(cc-option,...)`), which this scanner cannot run,
 * expand to nothing.
 */
export function expandVariables(text: string, variables: Record<string, string>): string {
  if (!text.includes("$(")) return text;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "$" && text[i + 1] === "(") {
      const end = endOfMacro(text, i);
      const inner = text.slice(i + 2, end);
      if (!hasTopLevelComma(inner)) {
        const name = expandVariables(inner, variables);
        out += Object.hasOwn(variables, name) ? variables[name] : "";
      }
      i = end;
    } else {
      out += text[i];
    }
  }
  return out;
}

/** A comma outside nested `$(...)`: the mark of a function call. */
function hasTopLevelComma(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0) return true;
  }
  return false;
}
