import { readFileSync } from "node:fs";
import path from "node:path";
import {
  and,
  or,
  constantSymbol,
  Flag,
  KconfigSyntaxError,
  MOD,
  newMenu,
  newSymbol,
  NO,
  symbolExpr,
  YES,
  type ChoiceRules,
  type CompareOp,
  type Expr,
  type KSymbol,
  type Location,
  type MenuNode,
  type Property,
  type PropertyType,
  type SymbolType,
} from "./model";
import { Preprocessor, type ShellRunner } from "./preprocess";

/**
 * Reads a Kconfig tree the way scripts/kconfig/lexer.l and parser.y do:
 * statements build menu nodes and symbol properties in reading order, with
 * `source` followed in place and macros expanded while reading.
 */

export interface ParseOptions {
  /** The kernel source tree; `source` paths are relative to it. */
  srctree: string;
  /** Environment visible to macros (ARCH, SRCARCH, srctree, CC, ...). */
  env: Record<string, string | undefined>;
  shell: ShellRunner;
  choiceRules: ChoiceRules;
  /** The top-level file, relative to srctree. */
  kconfig?: string;
}

export interface ParseWarning extends Location {
  message: string;
}

export { KconfigSyntaxError };

export interface ParsedTree {
  root: MenuNode;
  /** Non-constant symbols (choices included), in creation order. */
  symbols: KSymbol[];
  byName: Map<string, KSymbol>;
  constants: Map<string, KSymbol>;
  yes: KSymbol;
  mod: KSymbol;
  no: KSymbol;
  /** The symbol with the `modules` option, or `n`. */
  modulesSym: KSymbol;
  files: string[];
  warnings: ParseWarning[];
  preprocessor: Preprocessor;
  choiceRules: ChoiceRules;
}

type TokenType =
  | "word"
  | "string"
  | "eol"
  | "||"
  | "&&"
  | "="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "!"
  | "("
  | ")"
  | ":="
  | "+=";

interface Token {
  type: TokenType;
  text: string;
  /** A bare word that is one of the language's keywords. */
  keyword: boolean;
}

const KEYWORDS = new Set([
  "bool", "choice", "comment", "config", "def_bool", "def_tristate", "default", "depends", "endchoice", "endif",
  "endmenu", "help", "hex", "if", "imply", "int", "mainmenu", "menu", "menuconfig", "modules", "on", "optional",
  "prompt", "range", "select", "source", "string", "transitional", "tristate", "visible",
]);
const OPTION_KEYWORDS = new Set([
  "bool", "tristate", "int", "hex", "string", "prompt", "default", "def_bool", "def_tristate", "select", "imply",
  "range", "modules", "optional", "transitional", "depends", "visible", "help",
]);
const OPERATORS: TokenType[] = ["||", "&&", "!=", "<=", ">=", ":=", "+=", "=", "<", ">", "!", "(", ")"];
const WORD_CHAR = /[A-Za-z0-9_-]/;
/** [A-Za-z0-9_-] by character code: the lexer's `n` class. */
const WORD_CODES = Uint8Array.from({ length: 128 }, (_, c) => (WORD_CHAR.test(String.fromCharCode(c)) ? 1 : 0));
const ASSIGNMENT_OPS = new Set<TokenType>(["=", ":=", "+="]);
const [NEWLINE, SPACE, TAB, CR, BACKSLASH, HASH, DOUBLE_QUOTE, SINGLE_QUOTE, DOLLAR] = ["\n", " ", "\t", "\r", "\\", "#", '"', "'", "$"].map((c) => c.charCodeAt(0));

/** One source file being read: its text and a cursor. */
class Reader {
  pos = 0;
  line = 1;
  constructor(
    readonly name: string,
    readonly text: string,
  ) {}
  get done(): boolean {
    return this.pos >= this.text.length;
  }
}

export function parseKconfig(options: ParseOptions): ParsedTree {
  return new Parser(options).parse();
}

class Parser {
  private readonly symbols: KSymbol[] = [];
  private readonly byName = new Map<string, KSymbol>();
  private readonly constants = new Map<string, KSymbol>();
  private readonly yes = constantSymbol("y", YES);
  private readonly mod = constantSymbol("m", MOD);
  private readonly no = constantSymbol("n", NO);
  private readonly root: MenuNode;
  private readonly files: string[] = [];
  private readonly warnings: ParseWarning[] = [];
  private readonly pp: Preprocessor;
  private modulesSym: KSymbol | null = null;
  private currentMenu: MenuNode;
  private currentEntry: MenuNode;
  private appendTo: { node: MenuNode; field: "list" | "next" };
  private currentChoice: MenuNode | null = null;
  private readonly includeStack: string[] = [];
  private reader!: Reader;
  private statementLine = 1;

  constructor(private readonly options: ParseOptions) {
    this.root = newMenu(null, null, { file: options.kconfig ?? "Kconfig", line: 0 });
    this.currentMenu = this.currentEntry = this.root;
    this.appendTo = { node: this.root, field: "list" };
    this.pp = new Preprocessor(options.env, options.shell, { file: "", line: 0 });
  }

  parse(): ParsedTree {
    this.readFile(this.options.kconfig ?? "Kconfig");
    this.endEntry();
    if (this.currentMenu !== this.root) this.error("unexpected end of file: a block is still open");
    if (!this.root.prompt) {
      this.currentEntry = this.root;
      this.addPrompt("menu", "Main menu", null);
    }
    return {
      root: this.root,
      symbols: this.symbols,
      byName: this.byName,
      constants: this.constants,
      yes: this.yes,
      mod: this.mod,
      no: this.no,
      modulesSym: this.modulesSym ?? this.no,
      files: this.files,
      warnings: this.warnings,
      preprocessor: this.pp,
      choiceRules: this.options.choiceRules,
    };
  }

  // --- files -----------------------------------------------------------------

  private readFile(name: string): void {
    if (this.includeStack.includes(name)) {
      this.error(`Recursive inclusion detected: ${[...this.includeStack, name].join(" -> ")}`);
    }
    const full = path.isAbsolute(name) ? name : path.join(this.options.srctree, name);
    let text: string;
    try {
      text = readFileSync(full, "latin1");
    } catch {
      this.error(`can't open file "${name}"`);
    }
    const outer = this.reader;
    this.reader = new Reader(name, text);
    this.files.push(name);
    this.includeStack.push(name);
    try {
      this.readStatements();
    } finally {
      this.includeStack.pop();
      this.reader = outer;
    }
  }

  private readStatements(): void {
    for (;;) {
      const tokens = this.nextStatement();
      if (!tokens) return;
      if (tokens.length) this.statement(tokens);
    }
  }

  // --- lexer -----------------------------------------------------------------

  /** The tokens of the next statement (up to its end of line), or null at end of file. */
  private nextStatement(): Token[] | null {
    const r = this.reader;
    const text = r.text;
    const length = text.length;
    if (r.pos >= length) return null;
    const tokens: Token[] = [];
    this.statementLine = r.line;
    let first = true;
    while (r.pos < length) {
      const code = text.charCodeAt(r.pos);
      if (code === NEWLINE) {
        r.pos++;
        r.line++;
        if (tokens.length) return tokens;
        first = true;
        continue;
      }
      if (code === SPACE || code === TAB || code === CR) {
        r.pos++;
        continue;
      }
      if (code === BACKSLASH && text.charCodeAt(r.pos + 1) === NEWLINE) {
        r.pos += 2;
        r.line++;
        continue;
      }
      if (code === HASH) {
        const eol = text.indexOf("\n", r.pos);
        r.pos = eol < 0 ? length : eol;
        continue;
      }
      if (first) {
        this.statementLine = r.line;
        this.pp.context.line = r.line;
        this.pp.context.file = r.name;
        first = false;
      }
      // `NAME =`, `NAME :=`, `NAME +=` at a statement's start: the rest of the line is the value.
      if (tokens.length === 2 && tokens[0]!.type === "word" && ASSIGNMENT_OPS.has(tokens[1]!.type)) {
        const eol = text.indexOf("\n", r.pos);
        const stop = eol < 0 ? length : eol;
        tokens.push({ type: "word", text: text.slice(r.pos, stop), keyword: false });
        r.pos = stop;
        continue;
      }
      if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) {
        tokens.push({ type: "string", text: this.readString(text.charAt(r.pos)), keyword: false });
        continue;
      }
      if (code < 128 && (WORD_CODES[code] || code === DOLLAR)) {
        let end = r.pos;
        let hasDollar = false;
        for (; end < length; end++) {
          const c = text.charCodeAt(end);
          if (c === DOLLAR) hasDollar = true;
          else if (c >= 128 || !WORD_CODES[c]) break;
        }
        if (!hasDollar) {
          const word = text.slice(r.pos, end);
          r.pos = end;
          tokens.push({ type: "word", text: word, keyword: KEYWORDS.has(word) });
          continue;
        }
        const eol = text.indexOf("\n", r.pos);
        const expanded = this.pp.expandToken(text.slice(r.pos, eol < 0 ? length : eol), 0);
        r.pos += expanded.end;
        if (expanded.out) tokens.push({ type: "word", text: expanded.out, keyword: false });
        continue;
      }
      const op = OPERATORS.find((o) => text.startsWith(o, r.pos));
      if (op) {
        r.pos += op.length;
        tokens.push({ type: op, text: op, keyword: false });
        continue;
      }
      this.warn(`ignoring unsupported character '${text.charAt(r.pos)}'`);
      r.pos++;
    }
    return tokens.length ? tokens : null;
  }

  private readString(quote: string): string {
    const r = this.reader;
    r.pos++;
    let out = "";
    while (!r.done) {
      const c = r.text.charAt(r.pos);
      if (c === quote) {
        r.pos++;
        return out;
      }
      if (c === "\n") {
        this.warn("multi-line strings not supported");
        return out;
      }
      if (c === "\\") {
        const next = r.text.charAt(r.pos + 1);
        if (next !== undefined && next !== "\n") {
          out += next;
          r.pos += 2;
        } else r.pos++;
        continue;
      }
      if (c === "$") {
        const lineEnd = r.text.indexOf("\n", r.pos);
        const lineText = r.text.slice(r.pos + 1, lineEnd < 0 ? r.text.length : lineEnd);
        const expanded = this.pp.expandDollar(lineText, 0);
        out += expanded.out;
        r.pos += 1 + expanded.end;
        continue;
      }
      out += c;
      r.pos++;
    }
    return out;
  }

  /** Help text after `help`: the indented block that follows, de-indented (lexer.l's HELP state). */
  private readHelp(): string {
    const r = this.reader;
    const lines: string[] = [];
    let firstIndent = 0;
    while (!r.done) {
      const end = r.text.indexOf("\n", r.pos);
      const stop = end < 0 ? r.text.length : end;
      const line = r.text.slice(r.pos, stop);
      let width = 0;
      let i = 0;
      for (; i < line.length && (line.charAt(i) === " " || line.charAt(i) === "\t"); i++) width = line.charAt(i) === "\t" ? (width & ~7) + 8 : width + 1;
      const blank = i === line.length;
      if (!blank && (width === 0 || (firstIndent && width < firstIndent))) break;
      if (blank) lines.push("");
      else {
        if (!firstIndent) firstIndent = width;
        lines.push(" ".repeat(width - firstIndent) + line.slice(i).replace(/[ \t]+$/, ""));
      }
      r.pos = end < 0 ? r.text.length : end + 1;
      r.line++;
    }
    while (lines.length && lines[lines.length - 1] === "") lines.pop();
    while (lines.length && lines[0] === "") lines.shift();
    return lines.length ? `${lines.join("\n")}\n` : "";
  }

  // --- statements --------------------------------------------------------------

  private statement(tokens: Token[]): void {
    const head = tokens[0]!;
    const rest = new TokenStream(tokens, 1, this);
    const assign = tokens[1]?.type;
    if (head.type === "word" && !head.keyword && (assign === "=" || assign === ":=" || assign === "+=")) {
      this.pp.addVariable(head.text, tokens[2]?.text ?? "", assign);
      return;
    }
    if (head.type !== "word" || !head.keyword) this.error(head.type === "word" ? `unknown statement "${head.text}"` : "invalid statement");
    if (!OPTION_KEYWORDS.has(head.text)) this.endEntry();
    switch (head.text) {
      case "mainmenu":
        this.addPrompt("menu", rest.string(), null);
        rest.end();
        return;
      case "config":
      case "menuconfig": {
        const sym = this.lookup(rest.word());
        rest.end();
        if (this.options.choiceRules === "pre-6.11") sym.flags |= Flag.Optional;
        this.addEntry(sym);
        if (head.text === "menuconfig") this.pendingMenuconfig = this.currentEntry;
        if (this.currentChoice && this.options.choiceRules === "post-6.11") {
          const members = this.currentChoice.choiceMembers!;
          if (!members.includes(sym)) members.push(sym);
          sym.memberOf = this.currentChoice;
        }
        return;
      }
      case "choice": {
        const name = rest.atEnd() ? null : rest.word();
        rest.end();
        let sym: KSymbol;
        if (this.options.choiceRules === "pre-6.11") {
          const existing = name ? this.symbols.find((s) => s.name === name && s.flags & Flag.Choice) : undefined;
          sym = existing ?? this.createSymbol(name, Flag.Choice);
          sym.flags |= Flag.NoWrite;
          sym.choiceValues ??= [];
        } else {
          sym = this.createSymbol(null, Flag.Choice);
          sym.type = "bool";
        }
        this.addEntry(sym);
        if (this.options.choiceRules === "post-6.11") this.currentEntry.choiceMembers = [];
        this.addMenu();
        this.currentChoice = this.currentMenu;
        return;
      }
      case "endchoice":
      case "endmenu":
      case "endif": {
        rest.end();
        const kind = head.text.slice(3);
        this.endBlock(kind);
        return;
      }
      case "comment":
        this.addEntry(null);
        this.addPrompt("comment", rest.string(), null);
        rest.end();
        return;
      case "menu":
        this.addEntry(null);
        this.addPrompt("menu", rest.string(), null);
        rest.end();
        this.addMenu();
        this.blockKinds.set(this.currentMenu, "menu");
        return;
      case "if": {
        const cond = rest.expr();
        rest.end();
        this.addEntry(null);
        this.currentEntry.dep = and(this.currentEntry.dep, cond);
        this.addMenu();
        this.blockKinds.set(this.currentMenu, "if");
        return;
      }
      case "source": {
        const file = rest.string();
        rest.end();
        this.readFile(file);
        return;
      }
      default:
        this.option(head.text, rest);
    }
  }

  /** A `menuconfig` entry's prompt becomes a menu prompt when its option lines end. */
  private pendingMenuconfig: MenuNode | null = null;
  private readonly blockKinds = new Map<MenuNode, string>();

  private option(keyword: string, rest: TokenStream): void {
    const entry = this.currentEntry;
    const sym = entry.sym;
    switch (keyword) {
      case "bool":
      case "tristate":
      case "int":
      case "hex":
      case "string": {
        if (!rest.atEnd()) {
          const text = rest.string();
          this.addPrompt("prompt", text, rest.ifExpr());
        }
        rest.end();
        this.setType(keyword);
        return;
      }
      case "prompt": {
        const text = rest.string();
        this.addPrompt("prompt", text, rest.ifExpr());
        rest.end();
        return;
      }
      case "default":
      case "def_bool":
      case "def_tristate": {
        const value = rest.expr();
        this.addProperty("default", value, rest.ifExpr());
        rest.end();
        if (keyword !== "default") this.setType(keyword === "def_bool" ? "bool" : "tristate");
        return;
      }
      case "select":
      case "imply": {
        const target = this.lookup(rest.word());
        this.addProperty(keyword, symbolExpr(target), rest.ifExpr());
        rest.end();
        return;
      }
      case "range": {
        const low = rest.symbol();
        const high = rest.symbol();
        const prop = this.addProperty("range", null, rest.ifExpr());
        prop.range = [low, high];
        rest.end();
        return;
      }
      case "modules":
        rest.end();
        if (this.modulesSym) this.error(`symbol '${sym?.name}' redefines option 'modules' already defined by symbol '${this.modulesSym.name}'`);
        if (sym) this.modulesSym = sym;
        return;
      case "optional":
        rest.end();
        if (sym) sym.flags |= Flag.Optional;
        return;
      case "transitional":
        rest.end();
        if (sym) sym.flags |= Flag.Transitional;
        return;
      case "depends": {
        rest.keyword("on");
        const dep = rest.expr();
        // 7.x: `depends on X if Y` is X when Y is set, nothing when it is not: X || (Y = n).
        const cond = rest.ifExpr();
        rest.end();
        entry.dep = and(entry.dep, cond ? or(dep, this.equalsNo(cond, true)) : dep);
        return;
      }
      case "visible": {
        const cond = rest.ifExpr();
        rest.end();
        entry.visibility = and(entry.visibility, cond);
        return;
      }
      case "help": {
        rest.end();
        const help = this.readHelp();
        entry.help = help;
        return;
      }
      default:
        this.error(`unknown statement "${keyword}"`);
    }
  }

  // --- menu building (menu.c) ----------------------------------------------------

  private endEntry(): void {
    if (this.pendingMenuconfig) {
      if (this.pendingMenuconfig.prompt) this.pendingMenuconfig.prompt.type = "menu";
      else this.warn("menuconfig statement without prompt");
      this.pendingMenuconfig = null;
    }
  }

  private addEntry(sym: KSymbol | null): void {
    const at = { file: this.reader.name, line: this.statementLine };
    const menu = newMenu(sym, this.currentMenu, at);
    this.appendTo.node[this.appendTo.field] = menu;
    this.appendTo = { node: menu, field: "next" };
    this.currentEntry = menu;
    if (sym) {
      sym.menus.push(menu);
      this.addProperty("symbol", symbolExpr(sym), null);
    }
  }

  private addMenu(): void {
    this.appendTo = { node: this.currentEntry, field: "list" };
    this.currentMenu = this.currentEntry;
  }

  private endBlock(kind: string): void {
    const open = this.currentMenu;
    const openKind = open.sym && open.sym.flags & Flag.Choice ? "choice" : this.blockKinds.get(open);
    if (open === this.root || openKind !== kind) this.error(`unexpected 'end${kind}'${openKind ? ` within ${openKind} block` : ""}`);
    if (open.file !== this.reader.name) this.error(`'end${kind}' in different file than '${kind}'`);
    if (kind === "choice") this.currentChoice = null;
    this.appendTo = { node: open, field: "next" };
    this.currentMenu = open.parent!;
  }

  private addProperty(type: PropertyType, expr: Expr | null, cond: Expr | null): Property {
    const prop: Property = {
      type,
      expr,
      visibleExpr: cond,
      visibleTri: NO,
      menu: this.currentEntry,
      file: this.reader?.name ?? this.root.file,
      line: this.statementLine,
    };
    this.currentEntry.sym?.props.push(prop);
    return prop;
  }

  private addPrompt(type: "prompt" | "menu" | "comment", text: string, cond: Expr | null): void {
    const entry = this.currentEntry;
    if (/^\s/.test(text)) {
      this.warn("leading whitespace ignored");
      text = text.replace(/^\s+/, "");
    }
    if (entry.prompt) this.warn("prompt redefined");
    const prop = this.addProperty(type, null, cond);
    if (type === "prompt") {
      // Every enclosing menu's `visible if` limits the prompt.
      for (let menu = entry.parent; menu; menu = menu.parent) {
        if (menu.visibility) prop.visibleExpr = and(prop.visibleExpr, menu.visibility);
      }
    }
    prop.text = text;
    entry.prompt = prop;
  }

  private setType(type: SymbolType): void {
    const sym = this.currentEntry.sym;
    if (!sym || sym.type === type) return;
    if (sym.type === "unknown") sym.type = type;
    else this.warn(`ignoring type redefinition of '${sym.name ?? "<choice>"}' from '${sym.type}' to '${type}'`);
  }

  // --- symbols ---------------------------------------------------------------------

  private createSymbol(name: string | null, flags: number): KSymbol {
    const sym = newSymbol(name, flags, this.symbols.length);
    this.symbols.push(sym);
    return sym;
  }

  /** sym_lookup(name, 0): a plain symbol, created on first use; y, m and n are the constants. */
  lookup(name: string): KSymbol {
    const constant = this.tristateConstant(name);
    if (constant) return constant;
    let sym = this.byName.get(name);
    if (!sym) {
      sym = this.createSymbol(name, 0);
      this.byName.set(name, sym);
    }
    return sym;
  }

  /** sym_lookup(text, SYMBOL_CONST): a quoted value. */
  constant(text: string): KSymbol {
    const constant = this.tristateConstant(text);
    if (constant) return constant;
    let sym = this.constants.get(text);
    if (!sym) {
      sym = newSymbol(text, Flag.Const, -1);
      this.constants.set(text, sym);
    }
    return sym;
  }

  private tristateConstant(name: string): KSymbol | null {
    return name === "y" ? this.yes : name === "m" ? this.mod : name === "n" ? this.no : null;
  }

  warn(message: string): void {
    this.warnings.push({ file: this.reader?.name ?? "", line: this.statementLine, message });
  }

  /** expr_trans_compare(e, E_EQUAL or E_UNEQUAL, n): `e = n` (or `e != n`) rewritten over e's structure. */
  private equalsNo(e: Expr, equal: boolean): Expr {
    const negate = (x: Expr): Expr => ({ kind: "not", operand: x });
    switch (e.kind) {
      case "and":
      case "or": {
        const both: Expr = { kind: e.kind === "and" ? "or" : "and", left: this.equalsNo(e.left, true), right: this.equalsNo(e.right, true) };
        return equal ? both : negate(both);
      }
      case "not":
        return this.equalsNo(e.operand, !equal);
      case "compare":
        return equal ? negate(e) : e;
      case "symbol":
        return { kind: "compare", op: equal ? "=" : "!=", left: e.symbol, right: this.no };
    }
  }

  error(message: string): never {
    throw new KconfigSyntaxError({ file: this.reader?.name ?? "", line: this.statementLine }, message);
  }
}

/** The tokens of one statement after its keyword, read by the grammar's rules. */
class TokenStream {
  constructor(
    private readonly tokens: Token[],
    private i: number,
    private readonly parser: Parser,
  ) {}

  atEnd(): boolean {
    return this.i >= this.tokens.length;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  end(): void {
    if (!this.atEnd()) this.parser.error(`syntax error near '${this.peek()!.text}'`);
  }

  keyword(word: string): void {
    const t = this.tokens[this.i++];
    if (!t || t.type !== "word" || t.text !== word) this.parser.error(`expected '${word}'`);
  }

  word(): string {
    const t = this.tokens[this.i++];
    if (!t || t.type !== "word") this.parser.error("expected a symbol name");
    return t.text;
  }

  string(): string {
    const t = this.tokens[this.i++];
    if (!t || t.type !== "string") this.parser.error("expected a quoted string");
    return t.text;
  }

  symbol(): KSymbol {
    const t = this.tokens[this.i++];
    if (t?.type === "word") return this.parser.lookup(t.text);
    if (t?.type === "string") return this.parser.constant(t.text);
    this.parser.error("expected a symbol");
  }

  ifExpr(): Expr | null {
    const t = this.peek();
    if (!t || !(t.type === "word" && t.text === "if")) return null;
    this.i++;
    return this.expr();
  }

  /** expr: `||` binds loosest, then `&&`, then `!` and comparisons. */
  expr(): Expr {
    let left = this.andExpr();
    while (this.peek()?.type === "||") {
      this.i++;
      left = { kind: "or", left, right: this.andExpr() };
    }
    return left;
  }

  private andExpr(): Expr {
    let left = this.unary();
    while (this.peek()?.type === "&&") {
      this.i++;
      left = { kind: "and", left, right: this.unary() };
    }
    return left;
  }

  private unary(): Expr {
    const t = this.peek();
    if (t?.type === "!") {
      this.i++;
      return { kind: "not", operand: this.unary() };
    }
    if (t?.type === "(") {
      this.i++;
      const inner = this.expr();
      if (this.peek()?.type !== ")") this.parser.error("missing ')'");
      this.i++;
      return inner;
    }
    const left = this.symbol();
    const op = this.peek()?.type;
    if (op === "=" || op === "!=" || op === "<" || op === "<=" || op === ">" || op === ">=") {
      this.i++;
      return { kind: "compare", op: op as CompareOp, left, right: this.symbol() };
    }
    return symbolExpr(left);
  }
}
