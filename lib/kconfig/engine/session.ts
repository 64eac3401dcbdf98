import { exprText, menuPath, snapshotValues, valueOf, whyNot, disjuncts, type ValueChange, type WhyNode } from "./explain";
import type { Kconfig } from "./kconfig";
import { hasValue, isChoice, MOD, NO, YES, type KSymbol, type MenuNode } from "./model";
import { annotationOf } from "./serialize";
import { checkFragment } from "./check";

/**
 * One person's configuration of one tree, as the configurator page keeps it:
 * a base .config, then the values they set, in order. The values they set are
 * what a build asks for (its options); everything else follows from them.
 */

const TRI = ["n", "m", "y"] as const;

export interface Assignment {
  symbol: string;
  value: string;
}

export interface SetResult {
  ok: boolean;
  /** Why the value was refused. */
  error?: string;
  /** Every symbol whose value changed, the one set included. */
  changes: ValueChange[];
}

/** What the menu tree shows, indexed like the model's symbols and menus. */
export interface SessionView {
  values: string[];
  /** Values the user may choose for a bool/tristate (e.g. "ny"), "" when none; for others "*" when it can be typed. */
  choices: string[];
  menuVisible: boolean[];
  /** Symbols the user set, by name. */
  assigned: string[];
}

export interface SymbolRef {
  symbol: string;
  value: string;
  /** The condition of the select/imply, with its value. */
  condition?: string;
  conditionValue?: string;
}

export interface SymbolDetail {
  name: string;
  type: string;
  value: string;
  /** The value the symbol would have if the user had set nothing. */
  defaultValue: string;
  assigned: boolean;
  choices: string;
  prompts: { text: string; at: string; condition: string; value: string }[];
  locations: { at: string; path: string[]; menu: number; hasHelp: boolean }[];
  dependsOn: { text: string; value: string } | null;
  selects: SymbolRef[];
  implies: SymbolRef[];
  selectedBy: { text: string; value: string }[];
  impliedBy: { text: string; value: string }[];
  defaults: { text: string; at: string; value: string; source?: string }[];
  ranges: { text: string; at: string }[];
  /** Why it cannot be switched on (y, or m where y is not possible), when it cannot. */
  whyNotOn: WhyNode | null;
  /** Why it cannot be switched off, when it cannot. */
  whyNotOff: WhyNode | null;
}

export class ConfigSession {
  private readonly assignments = new Map<string, string>();
  /** The base's own values, so that setting a value back to it asks for nothing. */
  private readonly baseValues: Map<string, string>;
  readonly baseWarnings: { line: number; text: string; message: string }[];

  constructor(
    readonly kc: Kconfig,
    private readonly base: string,
  ) {
    this.baseWarnings = checkFragment(kc, base);
    this.reload();
    this.baseValues = snapshotValues(kc);
    this.values = this.valuesNow();
  }

  /**
   * Every symbol's value by index as of the last change (what the view shows):
   * a change is compared with it, so each change reads the tree once.
   */
  private values: string[];

  private valuesNow(): string[] {
    return this.kc.tree.symbols.map((sym) => (sym.type === "unknown" || (isChoice(sym) && !this.kc.legacy) ? "" : valueOf(this.kc, sym)));
  }

  /** Records the values after a change and says which named symbols' values changed, in symbol order. */
  private changesSinceLast(): ValueChange[] {
    const before = this.values;
    const after = (this.values = this.valuesNow());
    const changes: ValueChange[] = [];
    this.kc.tree.symbols.forEach((sym, i) => {
      if (sym.name && !isChoice(sym) && sym.type !== "unknown" && before[i] !== after[i]) changes.push({ symbol: sym.name, before: before[i]!, after: after[i]! });
    });
    return changes;
  }

  /** The base again, then every assignment in order. */
  private reload(): void {
    this.kc.reset();
    this.kc.read(this.base);
    for (const [symbol, value] of this.assignments) {
      const sym = this.kc.symbol(symbol);
      if (sym) this.kc.eval.setString(sym, value);
    }
  }

  symbol(name: string): KSymbol {
    const sym = this.kc.symbol(name);
    if (!sym || sym.type === "unknown") throw new Error(`no symbol ${name} in this tree`);
    return sym;
  }

  /** Sets a value as a person would in menuconfig, and says what else changed. */
  set(name: string, value: string): SetResult {
    const sym = this.symbol(name);
    const ok = this.kc.eval.setString(sym, value);
    if (!ok) {
      const allowed = this.choices(sym);
      return {
        ok: false,
        error: sym.type === "bool" || sym.type === "tristate" ? `CONFIG_${name} can only be ${allowed.split("").join(" or ") || "left as it is"} now` : `'${value}' is not a valid value for CONFIG_${name} here`,
        changes: [],
      };
    }
    this.assignments.delete(name);
    this.assignments.set(name, sym.type === "bool" || sym.type === "tristate" ? TRI[sym.user.tri] : String(sym.user.val ?? value));
    return { ok: true, changes: this.changesSinceLast() };
  }

  /** Forgets what the user set for `name`: the base and the other assignments decide again. */
  unset(name: string): SetResult {
    this.assignments.delete(name);
    this.reload();
    return { ok: true, changes: this.changesSinceLast() };
  }

  /** Starts over from the base. */
  clear(): SetResult {
    this.assignments.clear();
    this.reload();
    return { ok: true, changes: this.changesSinceLast() };
  }

  /**
   * What a build asks for: the assignments that still differ from the base's
   * value, in the order they were made.
   */
  options(): Assignment[] {
    return [...this.assignments]
      .filter(([symbol, value]) => this.baseValues.get(symbol) !== value)
      .map(([symbol, value]) => ({ symbol, value: this.configValue(symbol, value) }));
  }

  /** A value as a CONFIG_ line carries it (strings quoted). */
  private configValue(symbol: string, value: string): string {
    return this.kc.symbol(symbol)?.type === "string" ? `"${value.replace(/["\\]/g, "\\$&")}"` : value;
  }

  choices(sym: KSymbol): string {
    const ev = this.kc.eval;
    ev.calcValue(sym);
    if (sym.type === "bool" || sym.type === "tristate") {
      // Built by hand: this runs for every symbol after every change.
      const bool = ev.getType(sym) === "bool";
      let out = "";
      for (const t of [NO, MOD, YES] as const) if ((sym.curr.tri === t || ev.tristateWithinRange(sym, t)) && !(t === MOD && bool)) out += TRI[t];
      return out;
    }
    return sym.visible !== NO ? "*" : "";
  }

  view(): SessionView {
    const ev = this.kc.eval;
    const choices = this.kc.tree.symbols.map((sym) => (sym.type === "unknown" || isChoice(sym) ? "" : this.choices(sym)));
    const menuVisible: boolean[] = [];
    const visit = (m: MenuNode) => {
      menuVisible.push(m.parent === null || ev.menuIsVisible(m));
      for (let c = m.list; c; c = c.next) visit(c);
    };
    visit(this.kc.tree.root);
    return { values: this.values, choices, menuVisible, assigned: [...this.assignments.keys()] };
  }

  detail(name: string): SymbolDetail {
    const sym = this.symbol(name);
    const kc = this.kc;
    const ev = kc.eval;
    const value = valueOf(kc, sym);
    const tri = (e: Parameters<typeof ev.calcExpr>[0]) => TRI[ev.calcExpr(e)];
    const at = (p: { file: string; line: number }) => `${p.file}:${p.line}`;
    const menuIndex = indexMenus(kc.tree.root);
    const refs = (type: "select" | "imply"): SymbolRef[] =>
      sym.props
        .filter((p) => p.type === type)
        .map((p) => {
          const target = (p.expr as { symbol: KSymbol }).symbol;
          const own = p.menu.dep;
          // The condition written on the statement: what the finalized one adds to the entry's own dependencies.
          const cond = p.visibleExpr && p.visibleExpr !== own ? p.visibleExpr : null;
          return { symbol: target.name ?? "", value: valueOf(kc, target), ...(cond ? { condition: exprText(cond), conditionValue: tri(cond) } : {}) };
        });
    const on: "y" | "m" = sym.type === "tristate" && ev.getType(sym) === "tristate" && !ev.tristateWithinRange(sym, YES) && ev.tristateWithinRange(sym, MOD) ? "m" : "y";
    const explain = { annotation: annotationOf };
    return {
      name,
      type: sym.type,
      value,
      defaultValue: ev.stringDefault(sym),
      assigned: this.assignments.has(name),
      choices: this.choices(sym),
      prompts: sym.props
        .filter((p) => p.text !== undefined)
        .map((p) => ({ text: p.text!, at: at(p), condition: exprText(p.visibleExpr), value: tri(p.visibleExpr) })),
      locations: sym.menus.map((m) => ({ at: at(m), path: menuPath(m), menu: menuIndex.get(m) ?? -1, hasHelp: !!m.help })),
      dependsOn: sym.dirDep.expr ? { text: exprText(sym.dirDep.expr), value: tri(sym.dirDep.expr) } : null,
      selects: refs("select"),
      implies: refs("imply"),
      selectedBy: disjuncts(sym.revDep.expr).map((e) => ({ text: exprText(e), value: tri(e) })),
      impliedBy: disjuncts(sym.implied.expr).map((e) => ({ text: exprText(e), value: tri(e) })),
      defaults: sym.props
        .filter((p) => p.type === "default")
        .map((p) => ({
          text: `${exprText(p.expr)}${p.visibleExpr ? ` if ${exprText(p.visibleExpr)}` : ""}`,
          at: at(p),
          value: tri(p.visibleExpr),
          ...(annotationOf(p)?.source ? { source: annotationOf(p)!.source } : {}),
        })),
      ranges: sym.props.filter((p) => p.type === "range").map((p) => ({ text: `${p.range![0].name} ${p.range![1].name}`, at: at(p) })),
      whyNotOn: sym.type === "bool" || sym.type === "tristate" ? (sym.curr.tri === NO || (sym.curr.tri === MOD && on === "y") ? whyNot(kc, sym, on, explain) : null) : whyNot(kc, sym, "y", explain),
      whyNotOff: (sym.type === "bool" || sym.type === "tristate") && sym.curr.tri !== NO ? whyNot(kc, sym, "n", explain) : null,
    };
  }

  /** Per-line warnings for a .config someone uploads, against this tree. */
  check(text: string) {
    return checkFragment(this.kc, text);
  }

  /** Whether the user (or the base) gave `name` a value. */
  hasValue(name: string): boolean {
    const sym = this.kc.symbol(name);
    return !!sym && hasValue(sym);
  }
}

function indexMenus(root: MenuNode): Map<MenuNode, number> {
  const out = new Map<MenuNode, number>();
  const visit = (m: MenuNode) => {
    out.set(m, out.size);
    for (let c = m.list; c; c = c.next) visit(c);
  };
  visit(root);
  return out;
}
