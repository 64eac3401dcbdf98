import { Evaluator } from "./evaluate";
import { finalizeMenus } from "./finalize";
import { Flag, hasValue, STRUCTURAL_FLAGS, isChoice, MOD, NO, walkMenus, YES, type KSymbol, type MenuNode, type Tri } from "./model";
import type { ParseOptions, ParsedTree } from "./parser";

export interface ConfigReadWarning {
  line: number;
  text: string;
  message: string;
}

/** What conf_set_all_new_symbols() gives every symbol that has no value yet. */
export type NewSymbolMode = "no" | "yes" | "mod" | "default";

/**
 * A parsed and finalized Kconfig tree with its current configuration: the
 * operations of scripts/kconfig/confdata.c and conf.c (read a .config, set
 * new symbols, write .config and a minimal defconfig).
 */
export class Kconfig {
  readonly eval: Evaluator;
  readonly legacy: boolean;

  private readonly memberOrder = new Map<MenuNode, KSymbol[]>();

  readonly srctree: string;
  readonly arch: string;
  readonly srcarch: string;

  private constructor(
    readonly tree: ParsedTree,
    options: Pick<ParseOptions, "srctree" | "env">,
    finalized = false,
  ) {
    this.srctree = options.srctree;
    this.arch = options.env.ARCH ?? "";
    this.srcarch = options.env.SRCARCH ?? "";
    if (!finalized) finalizeMenus(tree);
    this.eval = new Evaluator(tree);
    this.legacy = tree.choiceRules === "pre-6.11";
    for (const menu of walkMenus(tree.root)) if (menu.choiceMembers) this.memberOrder.set(menu, [...menu.choiceMembers]);
    this.reset();
  }

  /**
   * Back to the state of a freshly parsed tree, as a new run of the kernel's
   * `conf` would start: each `make` target is a new process.
   */
  reset(): void {
    for (const sym of this.tree.symbols) {
      sym.flags &= STRUCTURAL_FLAGS;
      sym.curr = { val: null, tri: NO };
      sym.user = { val: null, tri: NO };
      sym.visible = NO;
      sym.dirDep.tri = sym.revDep.tri = sym.implied.tri = NO;
    }
    for (const [menu, order] of this.memberOrder) menu.choiceMembers = [...order];
    this.eval.resetModules();
    this.eval.changed = true;
  }

  /**
   * A tree as the parser left it, finalized here. Parsing itself (which reads
   * files) lives in parser.ts, so that this class also loads in a browser.
   */
  static fromParsed(tree: ParsedTree, options: Pick<ParseOptions, "srctree" | "env">): Kconfig {
    return new Kconfig(tree, options);
  }

  /** A tree that is already finalized, such as one rebuilt from its serialized form. */
  static fromFinalized(tree: ParsedTree, options: Pick<ParseOptions, "srctree" | "env">): Kconfig {
    return new Kconfig(tree, options, true);
  }

  symbol(name: string): KSymbol | undefined {
    return this.tree.byName.get(name);
  }

  // --- reading ----------------------------------------------------------------

  /** conf_read_simple(name, S_DEF_USER): loads user values, never computes. */
  readSimple(text: string): ConfigReadWarning[] {
    const warnings: ConfigReadWarning[] = [];
    for (const sym of this.tree.symbols) {
      sym.flags &= ~(Flag.DefUser | Flag.Valid);
      // pre-6.11: every choice counts as having a value once a file is read.
      if (this.legacy && isChoice(sym)) sym.flags |= Flag.DefUser;
      sym.user = { val: null, tri: NO };
    }
    const lines = text.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    lines.forEach((raw, index) => {
      const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
      const warn = (message: string) => warnings.push({ line: index + 1, text: line, message });
      let name: string;
      let value: string;
      if (line.startsWith("#")) {
        const m = /^# CONFIG_([^ ]*) (.*)$/.exec(line);
        if (!m) return;
        const rest = m[2] ?? "";
        if (this.legacy ? !rest.startsWith("is not set") : rest !== "is not set") return;
        [name, value] = [m[1] ?? "", "n"];
      } else if (line.startsWith("CONFIG_")) {
        const eq = line.indexOf("=");
        if (eq < 0) {
          if (!this.legacy) warn("unexpected data");
          return;
        }
        [name, value] = [line.slice(7, eq), line.slice(eq + 1)];
      } else {
        if (line !== "") warn("unexpected data");
        return;
      }
      const sym = this.tree.byName.get(name);
      if (!sym) {
        warnings.push({ line: index + 1, text: line, message: `unknown symbol: ${name}` });
        this.eval.changed = true;
        return;
      }
      if (hasValue(sym) && !(this.legacy && isChoice(sym))) warn(`override: reassigning to symbol ${name}`);
      const problem = this.setUserValue(sym, value);
      if (problem) {
        warn(problem);
        return;
      }
      this.noteChoiceMember(sym, warn);
    });
    return warnings;
  }

  /** conf_set_sym_val(): stores a value read from a file; returns why it was refused. */
  private setUserValue(sym: KSymbol, value: string): string | null {
    const invalid = `symbol value '${value}' invalid for ${sym.name}`;
    switch (sym.type) {
      case "tristate":
      case "bool": {
        const c = value[0];
        const tri: Tri | null = c === "m" && sym.type === "tristate" ? MOD : c === "y" ? YES : c === "n" ? NO : null;
        if (tri === null) return invalid;
        sym.user.tri = tri;
        sym.flags |= Flag.DefUser;
        return null;
      }
      case "string": {
        if (!value.startsWith('"')) {
          // conf_set_sym_val accepts the line and sets nothing.
          return null;
        }
        let out = "";
        let i = 1;
        for (; i < value.length; i++) {
          const c = value[i];
          if (c === '"') break;
          if (c === "\\") i++;
          if (i < value.length) out += value[i];
        }
        if (i >= value.length) return "invalid string found";
        value = out;
      }
      // falls through
      case "int":
      case "hex":
        if (!this.eval.stringValid(sym, value)) return invalid;
        sym.user.val = value;
        sym.flags |= Flag.DefUser;
        return null;
      default:
        return null;
    }
  }

  private noteChoiceMember(sym: KSymbol, warn: (message: string) => void): void {
    if (this.legacy) {
      if (!(sym.flags & Flag.ChoiceValue)) return;
      const choice = sym.choiceOf!;
      if (sym.user.tri === MOD && choice.user.tri === YES) {
        warn(`${sym.name} creates inconsistent choice state`);
        choice.flags &= ~Flag.DefUser;
      } else if (sym.user.tri === YES) {
        if (choice.user.tri !== NO) warn(`override: ${sym.name} changes choice state`);
        choice.user.val = sym;
      }
      choice.user.tri = Math.max(choice.user.tri, sym.user.tri) as Tri;
    } else if (sym.memberOf) {
      // The member read last has the highest priority.
      const members = sym.memberOf.choiceMembers!;
      members.splice(members.indexOf(sym), 1);
      members.unshift(sym);
    }
  }

  /** conf_read(): reads a .config and computes every symbol. */
  read(text: string): ConfigReadWarning[] {
    this.eval.changed = false;
    const warnings = this.readSimple(text);
    const ev = this.eval;
    ev.calcValue(this.tree.modulesSym);
    let unsaved = 0;
    for (const sym of this.tree.symbols) {
      ev.calcValue(sym);
      if (isChoice(sym) || (this.legacy && sym.flags & Flag.NoWrite)) continue;
      if (hasValue(sym) && sym.flags & Flag.Write) {
        const same = sym.type === "bool" || sym.type === "tristate" ? sym.user.tri === sym.curr.tri : sym.curr.val === sym.user.val;
        if (same) continue;
      } else if (!hasValue(sym) && !(sym.flags & Flag.Write)) continue;
      unsaved++;
    }
    if (this.legacy) {
      for (const sym of this.tree.symbols) {
        if (!hasValue(sym) || sym.flags & Flag.ChoiceValue) continue;
        if (sym.visible === NO && !unsaved) sym.flags &= ~Flag.DefUser;
        if (sym.type === "string" || sym.type === "int" || sym.type === "hex") {
          // A value out of its range is dropped.
          if (ev.stringWithinRange(sym, sym.user.val as string)) continue;
          sym.flags &= ~(Flag.Valid | Flag.DefUser);
          unsaved++;
        }
      }
    }
    if (warnings.some((w) => !w.message.startsWith("unknown symbol")) || unsaved) ev.changed = true;
    return warnings;
  }

  // --- new symbols (conf.c) ------------------------------------------------------

  setAllNewSymbols(mode: NewSymbolMode): void {
    const ev = this.eval;
    if (this.legacy) {
      for (const sym of this.tree.symbols) {
        if (hasValue(sym) || sym.flags & Flag.Valid) continue;
        const type = ev.getType(sym);
        if (type !== "bool" && type !== "tristate") continue;
        if (mode === "default") continue;
        sym.user.tri = mode === "yes" ? YES : mode === "mod" ? MOD : NO;
        sym.flags |= Flag.DefUser;
      }
      ev.clearAllValid();
      for (const sym of this.tree.symbols) {
        if ((isChoice(sym) && !hasValue(sym)) || sym.flags & Flag.ChoiceValue) sym.flags |= Flag.NeedSetChoiceValues;
      }
      for (const sym of this.tree.symbols) {
        if (hasValue(sym) || !isChoice(sym)) continue;
        ev.calcValue(sym);
        ev.setAllChoiceValues(sym);
      }
      return;
    }
    for (const menu of walkMenus(this.tree.root)) {
      const sym = menu.sym;
      if (!sym || !menu.prompt || hasValue(sym) || (sym.type !== "bool" && sym.type !== "tristate") || sym.memberOf) continue;
      if (isChoice(sym) || mode === "default") continue;
      sym.user.tri = mode === "yes" ? YES : mode === "mod" ? MOD : NO;
      sym.flags |= Flag.DefUser;
    }
    ev.clearAllValid();
  }

  // --- writing -------------------------------------------------------------------

  private formatSymbol(sym: KSymbol): string {
    if (sym.type === "unknown") return "";
    const value = this.eval.stringValue(sym);
    if ((sym.type === "bool" || sym.type === "tristate") && value === "n") return `# CONFIG_${sym.name} is not set\n`;
    const text = sym.type === "string" ? `"${value.replace(/["\\]/g, "\\$&")}"` : value;
    return `CONFIG_${sym.name}=${text}\n`;
  }

  heading(): string {
    return `#\n# Automatically generated file; DO NOT EDIT.\n# ${this.tree.root.prompt?.text ?? "Main menu"}\n#\n`;
  }

  /** conf_write(): the whole .config, in menu order with menu comments. */
  write(): string {
    const ev = this.eval;
    let out = this.heading();
    if (!ev.changed) ev.clearAllValid();
    const written = new Set<KSymbol>();
    let needNewline = false;
    const root = this.tree.root;
    let menu = root.list;
    while (menu) {
      const sym = menu.sym;
      if (!sym) {
        if (ev.menuIsVisible(menu)) {
          out += `\n#\n# ${menu.prompt!.text}\n#\n`;
          needNewline = false;
        }
      } else if (!isChoice(sym) && !written.has(sym)) {
        ev.calcValue(sym);
        if (sym.flags & Flag.Write) {
          if (needNewline) {
            out += "\n";
            needNewline = false;
          }
          written.add(sym);
          out += this.formatSymbol(sym);
        }
      }
      if (menu.list) {
        menu = menu.list;
        continue;
      }
      let m: typeof menu | null = menu;
      for (;;) {
        if (!m.sym && m !== root && ev.menuIsVisible(m) && m.prompt!.type === "menu") {
          out += `# end of ${m.prompt!.text}\n`;
          needNewline = true;
        }
        if (m.next) {
          m = m.next;
          break;
        }
        m = m.parent;
        if (!m) break;
      }
      menu = m;
    }
    ev.changed = false;
    return out;
  }

  /** conf_write_defconfig(): the minimal config (savedefconfig). */
  writeMinimal(): string {
    const ev = this.eval;
    ev.clearAllValid();
    let out = "";
    for (const menu of walkMenus(this.tree.root)) {
      const sym = menu.sym;
      // Menus and comments print nothing here, visible or not, and their entries are still visited.
      if (!sym || isChoice(sym)) continue;
      ev.calcValue(sym);
      if (!(sym.flags & Flag.Write)) continue;
      sym.flags &= ~Flag.Write;
      if (!ev.isChangeable(sym)) continue;
      if (ev.stringValue(sym) === ev.stringDefault(sym)) continue;
      if (ev.isChoiceValue(sym)) {
        const choice = this.legacy ? sym.choiceOf! : sym.memberOf!.sym!;
        const def = ev.choiceDefault(choice);
        const optional = this.legacy && (choice.flags & Flag.Optional) !== 0;
        if (!optional && sym === def && (this.legacy ? sym.type === "bool" : true) && sym.curr.tri === YES) continue;
      }
      out += this.formatSymbol(sym);
    }
    return out;
  }
}
