import { strtoll } from "./cint";
import {
  Flag,
  hasValue,
  isChoice,
  walkMenus,
  type Expr,
  type KSymbol,
  type MenuNode,
  type Property,
  type SymbolType,
  type Tri,
} from "./model";
import { ComponentQueue, dependencyOrder, sameState, stateOf, type DependencyOrder } from "./dependencies";
import type { ParsedTree } from "./parser";

// Module-local copies: values read on every evaluation step stay local constants.
const NO: Tri = 0;
const MOD: Tri = 1;
const YES: Tri = 2;
const F_CHOICEVALUE = Flag.ChoiceValue;
const F_DEFUSER = Flag.DefUser;
const F_NEEDSETCHOICEVALUES = Flag.NeedSetChoiceValues;
const F_NOWRITE = Flag.NoWrite;
const F_TRANSITIONAL = Flag.Transitional;
const F_VALID = Flag.Valid;
const F_WRITE = Flag.Write;

const AND = (a: Tri, b: Tri): Tri => (a < b ? a : b);
const OR = (a: Tri, b: Tri): Tri => (a > b ? a : b);
const NOT = (a: Tri): Tri => (2 - a) as Tri;
const TRI_TEXT = ["n", "m", "y"] as const;

/**
 * Symbol values, as scripts/kconfig/symbol.c computes them: lazily, cached
 * until invalidated (SYMBOL_VALID), with the same order of evaluation so that
 * the same inputs give the same `.config`. Both choice rules are here; the
 * differences are marked where they are.
 */
export class Evaluator {
  readonly legacy: boolean;
  /** Value of the `modules` symbol as last computed (modules_val). */
  private modulesVal: Tri = NO;
  /** conf_get_changed(): whether the in-memory config differs from what was read. */
  changed = false;

  /** Whether any symbol is `transitional` (6.18+), so older trees skip the check. */
  private readonly hasTransitional: boolean;

  constructor(readonly tree: ParsedTree) {
    this.legacy = tree.choiceRules === "pre-6.11";
    this.hasTransitional = tree.symbols.some((s) => (s.flags & F_TRANSITIONAL) !== 0);
  }

  resetModules(): void {
    this.modulesVal = NO;
  }

  // --- expressions ---------------------------------------------------------------

  calcExpr(e: Expr | null): Tri {
    if (!e) return YES;
    switch (e.kind) {
      case "symbol":
        this.calcValue(e.symbol);
        return e.symbol.curr.tri;
      case "and":
        return AND(this.calcExpr(e.left), this.calcExpr(e.right));
      case "or":
        return OR(this.calcExpr(e.left), this.calcExpr(e.right));
      case "not":
        return NOT(this.calcExpr(e.operand));
      case "compare":
        return this.compare(e.op, e.left, e.right);
    }
  }

  private compare(op: string, left: KSymbol, right: KSymbol): Tri {
    this.calcValue(left);
    this.calcValue(right);
    const s1 = this.stringValue(left);
    const s2 = this.stringValue(right);
    let res: number;
    const v1 = left.type !== "string" || right.type !== "string" ? parseForCompare(s1, left.type) : null;
    const v2 = v1 ? parseForCompare(s2, right.type) : null;
    if (!v1 || !v2) res = s1 < s2 ? -1 : s1 > s2 ? 1 : 0;
    else if (v1.unsigned || v2.unsigned) {
      const a = BigInt.asUintN(64, v1.value);
      const b = BigInt.asUintN(64, v2.value);
      res = a > b ? 1 : a < b ? -1 : 0;
    } else res = v1.value > v2.value ? 1 : v1.value < v2.value ? -1 : 0;
    switch (op) {
      case "=":
        return res ? NO : YES;
      case "!=":
        return res ? YES : NO;
      case "<":
        return res < 0 ? YES : NO;
      case "<=":
        return res <= 0 ? YES : NO;
      case ">":
        return res > 0 ? YES : NO;
      default:
        return res >= 0 ? YES : NO;
    }
  }

  // --- types and values -----------------------------------------------------------

  getType(sym: KSymbol): SymbolType {
    if (sym.type !== "tristate") return sym.type;
    if (this.legacy && sym.flags & F_CHOICEVALUE && sym.visible === YES) return "bool";
    return this.modulesVal === NO ? "bool" : "tristate";
  }

  stringValue(sym: KSymbol): string {
    if (sym.type === "bool" || sym.type === "tristate") return TRI_TEXT[sym.curr.tri];
    return typeof sym.curr.val === "string" ? sym.curr.val : "";
  }

  isChoiceValue(sym: KSymbol): boolean {
    return this.legacy ? (sym.flags & F_CHOICEVALUE) !== 0 : sym.memberOf !== undefined;
  }

  private defaultProp(sym: KSymbol): Property | null {
    for (const prop of sym.props) {
      if (prop.type !== "default") continue;
      prop.visibleTri = this.calcExpr(prop.visibleExpr);
      if (prop.visibleTri !== NO) return prop;
    }
    return null;
  }

  rangeProp(sym: KSymbol): Property | null {
    for (const prop of sym.props) {
      if (prop.type !== "range") continue;
      prop.visibleTri = this.calcExpr(prop.visibleExpr);
      if (prop.visibleTri !== NO) return prop;
    }
    return null;
  }

  private rangeValue(sym: KSymbol, base: number): bigint {
    this.calcValue(sym);
    if (sym.type === "int") base = 10;
    else if (sym.type === "hex") base = 16;
    return strtoll(this.stringValue(sym), base).value;
  }

  private validateRange(sym: KSymbol): void {
    const base = sym.type === "int" ? 10 : sym.type === "hex" ? 16 : 0;
    if (!base) return;
    const prop = this.rangeProp(sym);
    if (!prop) return;
    const val = strtoll(this.stringValue(sym), base).value;
    let bound = prop.range![0];
    if (val >= this.rangeValue(bound, base)) {
      bound = prop.range![1];
      if (val <= this.rangeValue(bound, base)) return;
    }
    sym.curr.val = bound.curr.val;
  }

  calcVisibility(sym: KSymbol): void {
    // A transitional symbol takes the value an old .config gives it, with no prompt.
    if (sym.flags & F_TRANSITIONAL) {
      sym.visible = YES;
      return;
    }
    let tri: Tri = NO;
    const choiceSym = this.legacy && sym.flags & F_CHOICEVALUE ? sym.choiceOf! : null;
    // for_all_prompts: every property with text (menuconfig prompts are menu prompts).
    for (const prop of sym.props) {
      if (prop.text === undefined) continue;
      prop.visibleTri = this.calcExpr(prop.visibleExpr);
      // pre-6.11: tristate values at visibility m are hidden while their choice is y.
      if (choiceSym && sym.type === "tristate" && prop.visibleTri === MOD && choiceSym.curr.tri === YES) prop.visibleTri = NO;
      tri = OR(tri, prop.visibleTri);
    }
    if (tri === MOD && (sym.type !== "tristate" || this.modulesVal === NO)) tri = YES;
    sym.visible = tri;
    if (this.isChoiceValue(sym)) return;
    sym.dirDep.tri = this.boolClamp(sym, sym.dirDep.expr ? this.calcExpr(sym.dirDep.expr) : YES);
    sym.revDep.tri = this.boolClamp(sym, sym.revDep.expr ? this.calcExpr(sym.revDep.expr) : NO);
    sym.implied.tri = this.boolClamp(sym, sym.implied.expr ? this.calcExpr(sym.implied.expr) : NO);
  }

  /** m is y for a symbol that is bool now. */
  private boolClamp(sym: KSymbol, t: Tri): Tri {
    return t === MOD && this.getType(sym) === "bool" ? YES : t;
  }

  calcValue(sym: KSymbol): void {
    if (sym.flags & F_VALID) return;
    if (this.legacy && sym.flags & F_CHOICEVALUE && sym.flags & F_NEEDSETCHOICEVALUES) {
      sym.flags &= ~F_NEEDSETCHOICEVALUES;
      this.calcValue(sym.choiceOf!);
    }
    sym.flags |= F_VALID;

    let newVal: string | KSymbol | null;
    let newTri: Tri = NO;
    switch (sym.type) {
      case "int":
        newVal = this.legacy ? "" : "0";
        break;
      case "hex":
        newVal = this.legacy ? "" : "0x0";
        break;
      case "string":
        newVal = "";
        break;
      case "bool":
      case "tristate":
        newVal = "n";
        break;
      default:
        sym.curr = { val: sym.name, tri: NO };
        return;
    }
    sym.flags &= ~F_WRITE;
    this.calcVisibility(sym);
    if (sym.visible !== NO) sym.flags |= F_WRITE;
    // The value seen by recursive evaluation.
    sym.curr = { val: newVal, tri: NO };

    const type = this.getType(sym);
    if (type === "bool" || type === "tristate") {
      newTri = this.calcTristate(sym);
      if (newTri === MOD && this.getType(sym) === "bool") newTri = YES;
    } else if (type === "string" || type === "hex" || type === "int") {
      if (sym.visible !== NO && hasValue(sym)) newVal = sym.user.val as string;
      else {
        const prop = this.defaultProp(sym);
        const ds = prop?.expr?.kind === "symbol" ? prop.expr.symbol : null;
        if (ds) {
          sym.flags |= F_WRITE;
          this.calcValue(ds);
          newVal = ds.curr.val;
        }
      }
    }

    if (!hasValue(sym) && this.defaultsFromTransitional(sym)) {
      // Its value comes from an old .config: it counts as the user's, so nobody is asked again.
      sym.user = { val: newVal, tri: newTri };
      sym.flags |= F_DEFUSER;
    }
    sym.curr = { val: newVal, tri: newTri };
    if (this.legacy && isChoice(sym) && newTri === YES) sym.curr.val = this.calcLegacyChoice(sym);
    this.validateRange(sym);
    if (sym === this.tree.modulesSym) this.modulesVal = sym.curr.tri;

    if (this.legacy && isChoice(sym)) {
      for (const value of sym.choiceValues!) if (sym.flags & F_WRITE && value.visible !== NO) value.flags |= F_WRITE;
    }
    if ((!this.legacy && isChoice(sym)) || sym.flags & F_TRANSITIONAL) sym.flags &= ~F_WRITE;
    if (sym.flags & F_NOWRITE) sym.flags &= ~F_WRITE;
    if (sym.flags & F_NEEDSETCHOICEVALUES) this.setAllChoiceValues(sym);
  }

  /**
   * 6.18+: whether the default sym_calc_value() took for a symbol without a
   * value is a single transitional symbol that has one. Only symbols that
   * looked for a default count (not choices nor choice members).
   */
  private defaultsFromTransitional(sym: KSymbol): boolean {
    if (!this.hasTransitional || isChoice(sym) || sym.memberOf) return false;
    const prop = this.defaultProp(sym);
    const ds = prop?.expr?.kind === "symbol" ? prop.expr.symbol : null;
    return ds !== null && (ds.flags & F_TRANSITIONAL) !== 0 && hasValue(ds);
  }

  /** The bool/tristate branch of sym_calc_value. */
  private calcTristate(sym: KSymbol): Tri {
    if (this.legacy && sym.flags & F_CHOICEVALUE && sym.visible === YES) {
      return sym.choiceOf!.curr.val === sym ? YES : NO;
    }
    if (!this.legacy && sym.memberOf) {
      this.calcChoice(sym.memberOf);
      return sym.curr.tri;
    }
    let tri: Tri = NO;
    if (sym.visible !== NO && hasValue(sym)) tri = AND(sym.user.tri, sym.visible);
    else {
      if (sym.revDep.tri !== NO) sym.flags |= F_WRITE;
      if (!isChoice(sym)) {
        const prop = this.defaultProp(sym);
        if (prop) {
          tri = AND(this.calcExpr(prop.expr), prop.visibleTri);
          if (tri !== NO) sym.flags |= F_WRITE;
        }
        if (sym.implied.tri !== NO) {
          sym.flags |= F_WRITE;
          tri = AND(OR(tri, sym.implied.tri), sym.dirDep.tri);
        }
      }
    }
    return OR(tri, sym.revDep.tri);
  }

  // --- choices before 6.11: the choice is a symbol whose value is its chosen member ---

  choiceDefault(choice: KSymbol): KSymbol | null {
    for (const prop of choice.props) {
      if (prop.type !== "default") continue;
      prop.visibleTri = this.calcExpr(prop.visibleExpr);
      if (prop.visibleTri === NO) continue;
      const def = (prop.expr as { symbol: KSymbol }).symbol;
      if (def.visible !== NO) return def;
    }
    const members = this.legacy ? choice.choiceValues! : [...walkMenus(choice.menus[0]!)].flatMap((m) => (m.sym ? [m.sym] : []));
    return members.find((m) => m.visible !== NO) ?? null;
  }

  private calcLegacyChoice(choice: KSymbol): KSymbol | null {
    let flags = choice.flags;
    for (const value of choice.choiceValues!) {
      this.calcVisibility(value);
      if (value.visible !== NO) flags &= value.flags;
    }
    choice.flags &= flags | ~F_DEFUSER;
    const user = choice.user.val;
    if (user && typeof user !== "string" && user.visible !== NO) return user;
    const def = this.choiceDefault(choice);
    if (!def) choice.curr.tri = NO;
    return def;
  }

  /** set_all_choice_values(): members without a value become n, the choice gets one. */
  setAllChoiceValues(choice: KSymbol): void {
    for (const value of choice.choiceValues!) if (!hasValue(value)) value.user.tri = NO;
    choice.flags |= F_DEFUSER;
    choice.flags &= ~(F_VALID | F_NEEDSETCHOICEVALUES);
  }

  // --- choices from 6.11: members chosen by priority --------------------------------

  /** sym_calc_choice(): the chosen member of a choice menu, setting every visible member's value. */
  calcChoice(choice: MenuNode): KSymbol | null {
    const members = choice.choiceMembers!;
    let res: KSymbol | null = null;
    for (const sym of members) {
      this.calcVisibility(sym);
      if (sym.visible === NO) continue;
      if (hasValue(sym) && sym.user.tri === YES) {
        res = sym;
        break;
      }
    }
    if (!res) {
      res = this.choiceDefault(choice.sym!);
      if (res && hasValue(res) && res.user.tri === NO) res = null;
    }
    const entries = [...walkMenus(choice)].flatMap((m) => (m.sym ? [m.sym] : []));
    if (!res) res = entries.find((s) => s.visible !== NO && !hasValue(s)) ?? null;
    if (!res) res = [...members].reverse().find((s) => s.visible !== NO) ?? null;
    for (const sym of entries) {
      if (sym.visible === NO) continue;
      sym.curr.tri = sym === res ? YES : NO;
      sym.flags |= F_VALID | F_WRITE;
    }
    return res;
  }

  // --- invalidation and assignment --------------------------------------------------

  clearAllValid(): void {
    for (const sym of this.tree.symbols) sym.flags &= ~F_VALID;
    this.changed = true;
    this.calcValue(this.tree.modulesSym);
  }

  /** Who reads whom, in dependency order (built on the first interactive change). */
  private dependencies: DependencyOrder | null = null;

  /** Builds what interactive changes need (tens of milliseconds), so that an interactive session can do it before the first change. */
  prepareForChanges(): DependencyOrder {
    return (this.dependencies ??= dependencyOrder(this.tree.symbols));
  }

  /**
   * After a user's change to `seeds`: what sym_clear_all_valid() does, limited
   * to what the change actually alters. Symbols are recomputed in dependency
   * order (a cycle, such as a choice and its members, as one unit), and the
   * readers of a symbol are visited only when its state changed: toggling a
   * driver that selects an already-enabled subsystem stops at the subsystem
   * instead of recomputing everything that could read it. A change of the
   * `modules` symbol (which retypes every tristate) clears everything.
   */
  invalidateFrom(seeds: KSymbol[]): void {
    const order = this.prepareForChanges();
    const modules = this.tree.modulesSym;
    if (seeds.includes(modules)) return this.clearAllValid();
    this.changed = true;
    const pending = new ComponentQueue();
    for (const seed of seeds) pending.add(order.componentOf[seed.index]!);
    const forced = new Set(pending.items());
    for (let c = pending.next(); c !== undefined; c = pending.next()) {
      const members = order.components[c]!;
      const before = members.map(stateOf);
      for (const sym of members) sym.flags &= ~F_VALID;
      for (const sym of members) this.calcValue(sym);
      if (!forced.has(c) && members.every((sym, i) => sameState(before[i]!, sym))) continue;
      if (members.includes(modules)) return this.clearAllValid();
      for (const sym of members) for (const reader of order.readers[sym.index]!) pending.add(order.componentOf[reader.index]!);
    }
  }

  stringValid(sym: KSymbol, text: string): boolean {
    switch (sym.type) {
      case "string":
        return true;
      case "int":
        return /^-?(0|[1-9][0-9]*)$/.test(text);
      case "hex":
        return /^(0[xX])?[0-9a-fA-F]+$/.test(text);
      case "bool":
      case "tristate":
        return /^[yYmMnN]/.test(text);
      default:
        return false;
    }
  }

  tristateWithinRange(sym: KSymbol, val: Tri): boolean {
    const type = this.getType(sym);
    if (sym.visible === NO) return false;
    if (type !== "bool" && type !== "tristate") return false;
    if (type === "bool" && val === MOD) return false;
    if (sym.visible <= sym.revDep.tri) return false;
    if (this.legacy && sym.flags & F_CHOICEVALUE && sym.visible === YES) return val === YES;
    return val >= sym.revDep.tri && val <= sym.visible;
  }

  stringWithinRange(sym: KSymbol, text: string): boolean {
    switch (sym.type) {
      case "string":
        return true;
      case "int":
      case "hex": {
        if (!this.stringValid(sym, text)) return false;
        const prop = this.rangeProp(sym);
        if (!prop) return true;
        const base = sym.type === "int" ? 10 : 16;
        const val = strtoll(text, base).value;
        return val >= this.rangeValue(prop.range![0], base) && val <= this.rangeValue(prop.range![1], base);
      }
      case "bool":
      case "tristate": {
        const c = text.charAt(0)?.toLowerCase();
        return c === "y" ? this.tristateWithinRange(sym, YES) : c === "m" ? this.tristateWithinRange(sym, MOD) : c === "n" ? this.tristateWithinRange(sym, NO) : false;
      }
      default:
        return false;
    }
  }

  /** sym_set_tristate_value(): what a user's toggle does. Returns false when the value is not allowed. */
  setTristate(sym: KSymbol, val: Tri): boolean {
    const old = sym.curr.tri;
    if (this.legacy) {
      if (old !== val && !this.tristateWithinRange(sym, val)) return false;
      sym.flags |= F_DEFUSER;
      if (sym.flags & F_CHOICEVALUE && val === YES) {
        const choice = sym.choiceOf!;
        choice.user.val = sym;
        choice.flags |= F_DEFUSER;
        for (const value of choice.choiceValues!) if (value.visible !== NO) value.flags |= F_DEFUSER;
      }
      sym.user.tri = val;
    } else {
      if (!this.tristateWithinRange(sym, val)) return false;
      sym.user.tri = val;
      sym.flags |= F_DEFUSER;
      // A member set by hand becomes its choice's first priority.
      if (sym.memberOf) moveToFront(sym.memberOf.choiceMembers!, sym);
    }
    if (old !== val) this.invalidateFrom(this.relatedByChoice(sym));
    return true;
  }

  /** A symbol with the choice it belongs to and that choice's members: a member's change moves them all. */
  private relatedByChoice(sym: KSymbol): KSymbol[] {
    if (this.legacy && sym.choiceOf) return [sym, sym.choiceOf, ...sym.choiceOf.choiceValues!];
    if (!this.legacy && sym.memberOf) return [sym, ...sym.memberOf.choiceMembers!];
    return [sym];
  }

  /** sym_set_string_value(): what typing a value does. */
  setString(sym: KSymbol, text: string): boolean {
    if (sym.type === "bool" || sym.type === "tristate") {
      const c = text.charAt(0)?.toLowerCase();
      const tri = c === "y" ? YES : c === "m" ? MOD : c === "n" ? NO : null;
      return tri === null ? false : this.setTristate(sym, tri);
    }
    if (!this.stringWithinRange(sym, text)) return false;
    sym.flags |= F_DEFUSER;
    const value = sym.type === "hex" && !/^0[xX]/.test(text) ? `0x${text}` : text;
    if (sym.user.val === value) return true;
    sym.user.val = value;
    this.invalidateFrom([sym]);
    return true;
  }

  /** sym_get_string_default(): the value the symbol would have with no user value. */
  stringDefault(sym: KSymbol): string {
    this.calcVisibility(sym);
    this.calcValue(this.tree.modulesSym);
    let val: Tri = NO;
    let str = "";
    const prop = this.defaultProp(sym);
    if (prop) {
      if (sym.type === "bool" || sym.type === "tristate") val = AND(this.calcExpr(prop.expr), prop.visibleTri);
      else if (prop.expr?.kind === "symbol") {
        this.calcValue(prop.expr.symbol);
        str = this.stringValue(prop.expr.symbol);
      }
    }
    val = OR(val, sym.revDep.tri);
    if (val === MOD && !this.isChoiceValue(sym) && this.tree.modulesSym.curr.tri === NO) val = YES;
    if (sym.type === "bool" && val === MOD) val = YES;
    if (val < sym.implied.tri) val = sym.implied.tri;
    switch (sym.type) {
      case "bool":
      case "tristate":
        return TRI_TEXT[val];
      case "int":
        return !this.legacy && !str ? "0" : str;
      case "hex":
        return !this.legacy && !str ? "0x0" : str;
      default:
        return str;
    }
  }

  isChangeable(sym: KSymbol): boolean {
    return (this.legacy || !isChoice(sym)) && sym.visible > sym.revDep.tri;
  }

  /** menu_is_visible(). */
  menuIsVisible(menu: MenuNode): boolean {
    if (!menu.prompt) return false;
    if (menu.visibility && this.calcExpr(menu.visibility) === NO) return false;
    const sym = menu.sym;
    let visible: Tri;
    if (sym) {
      this.calcValue(sym);
      visible = menu.prompt.visibleTri;
    } else visible = menu.prompt.visibleTri = this.calcExpr(menu.prompt.visibleExpr);
    if (visible !== NO) return true;
    if (!sym || sym.curr.tri === NO) return false;
    for (let child = menu.list; child; child = child.next) {
      if (this.menuIsVisible(child)) {
        if (this.legacy) sym.flags |= F_DEFUSER;
        return true;
      }
    }
    return false;
  }
}

function moveToFront<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i > 0) {
    list.splice(i, 1);
    list.unshift(item);
  }
}

/** expr_parse_string(): a value as a number of the symbol's type, or null to compare as strings. */
function parseForCompare(text: string, type: SymbolType): { value: bigint; unsigned: boolean } | null {
  if (type === "bool" || type === "tristate") {
    return { value: text === "n" ? 0n : text === "m" ? 1n : text === "y" ? 2n : -1n, unsigned: false };
  }
  const base = type === "int" ? 10 : type === "hex" ? 16 : 0;
  const parsed = strtoll(text, base, type === "hex");
  const ok = !parsed.overflow && parsed.end === text.length && parsed.end > 0 && /[0-9a-fA-F]/.test(text.charAt(parsed.end - 1));
  return ok ? { value: parsed.value, unsigned: type === "hex" } : null;
}

