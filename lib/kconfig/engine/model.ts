/**
 * The in-memory model of a Kconfig tree, shaped like scripts/kconfig's own
 * (struct symbol, struct property, struct menu, struct expr) so that the
 * evaluator can follow the kernel's C code step by step: agreeing with the
 * kernel byte for byte is the point, and the C code is the specification.
 */

/** n, m, y. Ordered, so `Math.min` is AND and `Math.max` is OR. */
export type Tri = 0 | 1 | 2;
export const NO: Tri = 0;
export const MOD: Tri = 1;
export const YES: Tri = 2;

export type SymbolType = "unknown" | "bool" | "tristate" | "int" | "hex" | "string";

/**
 * Kconfig's choice semantics changed in Linux 6.11 (choices became plain
 * menus of bool members chosen by priority); trees before it use the older rules.
 */
export type ChoiceRules = "pre-6.11" | "post-6.11";

export const enum Flag {
  Const = 1 << 0,
  Choice = 1 << 1,
  ChoiceValue = 1 << 2,
  Valid = 1 << 3,
  Optional = 1 << 4,
  Write = 1 << 5,
  /** `transitional` (6.18+): read from an old .config to feed a new symbol's default, never shown or written. */
  Transitional = 1 << 6,
  // Bits 7 and 11 are free; the others keep their values, which stored models carry.
  NoWrite = 1 << 8,
  DefUser = 1 << 9,
  NeedSetChoiceValues = 1 << 10,
}

/** The flags the tree's structure sets; everything else is evaluation state. */
export const STRUCTURAL_FLAGS = Flag.Const | Flag.Choice | Flag.ChoiceValue | Flag.Optional | Flag.NoWrite | Flag.Transitional;

export type CompareOp = "=" | "!=" | "<" | "<=" | ">" | ">=";

export type Expr =
  | { kind: "symbol"; symbol: KSymbol }
  | { kind: "and" | "or"; left: Expr; right: Expr }
  | { kind: "not"; operand: Expr }
  | { kind: "compare"; op: CompareOp; left: KSymbol; right: KSymbol };

export type PropertyType = "prompt" | "default" | "select" | "imply" | "range" | "symbol" | "menu" | "comment";

export interface Location {
  /** Relative to the source tree, as the kernel names it. */
  file: string;
  line: number;
}

export interface Property extends Location {
  type: PropertyType;
  /** The value (default), target (select/imply), or null for prompts. */
  expr: Expr | null;
  /** For `range`: the two bounds. */
  range?: [KSymbol, KSymbol];
  /** The condition, with every enclosing dependency once the tree is finalized. */
  visibleExpr: Expr | null;
  visibleTri: Tri;
  /** Prompt text of prompts, menus and comments. */
  text?: string;
  menu: MenuNode;
}

/** A tree the kernel's own tools would refuse, with where. */
export class KconfigSyntaxError extends Error {
  constructor(
    readonly at: Location,
    message: string,
  ) {
    super(`${at.file}:${at.line}: ${message}`);
  }
}

export interface SymbolValue {
  /** string symbols' text; for pre-6.11 choices, the chosen member. */
  val: string | KSymbol | null;
  tri: Tri;
}

export interface KSymbol {
  /** null for choices (always after 6.11, unnamed ones before). */
  name: string | null;
  type: SymbolType;
  flags: number;
  props: Property[];
  curr: SymbolValue;
  /** The user's value (S_DEF_USER), read from a .config or set by hand. */
  user: SymbolValue;
  visible: Tri;
  dirDep: { expr: Expr | null; tri: Tri };
  revDep: { expr: Expr | null; tri: Tri };
  implied: { expr: Expr | null; tri: Tri };
  /** Every menu node that defines the symbol, in reading order. */
  menus: MenuNode[];
  /** pre-6.11 choices: their members, in order. */
  choiceValues?: KSymbol[];
  /** pre-6.11 choice members: their choice. */
  choiceOf?: KSymbol;
  /** post-6.11 choice members: the choice menu whose priority list holds them. */
  memberOf?: MenuNode;
  /** Creation order, the order `for_all_symbols` walks in this engine. */
  index: number;
}

export interface MenuNode extends Location {
  sym: KSymbol | null;
  prompt: Property | null;
  dep: Expr | null;
  /** `visible if` of a menu. */
  visibility: Expr | null;
  parent: MenuNode | null;
  list: MenuNode | null;
  next: MenuNode | null;
  help: string | null;
  /** post-6.11 choices: members in priority order (reading a .config moves a member first). */
  choiceMembers?: KSymbol[];
}

export function newSymbol(name: string | null, flags: number, index: number): KSymbol {
  return {
    name,
    type: "unknown",
    flags,
    props: [],
    curr: { val: null, tri: NO },
    user: { val: null, tri: NO },
    visible: NO,
    dirDep: { expr: null, tri: NO },
    revDep: { expr: null, tri: NO },
    implied: { expr: null, tri: NO },
    menus: [],
    index,
  };
}

export function constantSymbol(name: string, tri: Tri | null): KSymbol {
  const sym = newSymbol(name, Flag.Const | Flag.Valid, -1);
  if (tri !== null) {
    sym.type = "tristate";
    sym.curr = { val: name, tri };
  }
  return sym;
}

export function newMenu(sym: KSymbol | null, parent: MenuNode | null, at: Location): MenuNode {
  return { sym, prompt: null, dep: null, visibility: null, parent, list: null, next: null, help: null, file: at.file, line: at.line };
}

export const and = (a: Expr | null, b: Expr | null): Expr | null => (a && b ? { kind: "and", left: a, right: b } : a ?? b);
export const or = (a: Expr | null, b: Expr | null): Expr | null => (a && b ? { kind: "or", left: a, right: b } : a ?? b);
export const symbolExpr = (symbol: KSymbol): Expr => ({ kind: "symbol", symbol });

export function isChoice(sym: KSymbol): boolean {
  return (sym.flags & Flag.Choice) !== 0;
}

export function hasValue(sym: KSymbol): boolean {
  return (sym.flags & Flag.DefUser) !== 0;
}

/** Every menu node below `root` in depth-first order (the order .config is written in). */
export function* walkMenus(root: MenuNode): Generator<MenuNode> {
  let menu = root.list;
  while (menu) {
    yield menu;
    if (menu.list) {
      menu = menu.list;
      continue;
    }
    while (menu && !menu.next) menu = menu.parent === root ? null : menu.parent;
    menu = menu?.next ?? null;
  }
}
