import type { MacroCall } from "./explain";
import { Kconfig } from "./kconfig";
import { constantSymbol, Flag, MOD, STRUCTURAL_FLAGS, NO, newMenu, newSymbol, YES, type ChoiceRules, type Expr, type KSymbol, type MenuNode, type Property, type PropertyType, type SymbolType } from "./model";
import type { ParsedTree } from "./parser";
import { Preprocessor } from "./preprocess";

/**
 * A parsed and finalized Kconfig tree as compact JSON, and back. The rebuilt
 * tree has the same symbols, properties, expressions and menus, so the same
 * Evaluator and Kconfig operations give the same values; building it reads no
 * files, so it runs in a browser. Help texts travel separately (they are most
 * of the bytes and are wanted one symbol at a time).
 *
 * References are indices: symbols by their position in `symbols` (constants
 * are negative: -1 y, -2 m, -3 n, -4-i the i-th quoted constant), expressions
 * by their position in `exprs` (shared sub-expressions are stored once, as the
 * finalized tree shares them), menus by their position in `menus` (root first).
 */

// 2: models are stored with their outline (the page's part) beside them.
export const MODEL_FORMAT = 2;

/** An expression node: ["s", sym] | ["&"|"|", a, b] | ["!", a] | [compare op, sym, sym]. */
export type SerializedExpr = [string, number, number?];

export interface SerializedSymbol {
  /** Name; absent for choices. */
  n?: string;
  t: SymbolType;
  /** The flags that survive a reset (Const, Choice, ChoiceValue, Optional, NoWrite, Warned). */
  f: number;
  /** Properties, by index. */
  p: number[];
  /** Menu nodes that define it. */
  m: number[];
  dd?: number;
  rd?: number;
  im?: number;
  /** pre-6.11 choices: their values. */
  cv?: number[];
  /** pre-6.11 choice values: their choice. */
  co?: number;
  /** post-6.11 members: their choice menu. */
  mo?: number;
}

export interface SerializedProperty {
  t: PropertyType;
  e?: number;
  r?: [number, number];
  v?: number;
  x?: string;
  m: number;
  f: number;
  l: number;
  /** The statement as written, when it holds macros (the parsed value is their result). */
  src?: string;
  /** The macro commands run for the statement: command, answer, and the command's messages when it failed. */
  mac?: { c: string; o: string; d?: string }[];
}

export interface SerializedMenu {
  s?: number;
  p?: number;
  d?: number;
  vis?: number;
  /** Parent, first child and next sibling. */
  up?: number;
  l?: number;
  x?: number;
  f: number;
  ln: number;
  /** Has help text (fetched separately). */
  h?: 1;
  cm?: number[];
}

export interface SerializedModel {
  format: typeof MODEL_FORMAT;
  arch: string;
  srcarch: string;
  choiceRules: ChoiceRules;
  files: string[];
  constants: string[];
  exprs: SerializedExpr[];
  symbols: SerializedSymbol[];
  props: SerializedProperty[];
  menus: SerializedMenu[];
  modules: number;
}

/** Help texts by menu index. */
export type SerializedHelp = Record<number, string>;

export interface SerializeOptions {
  /** A property's statement text and macro answers, when it holds macros; given by whoever can read the tree. */
  annotate?: (prop: Property) => PropertyAnnotation | undefined;
}

/** Where a property's value came from when the statement held macros. */
export interface PropertyAnnotation {
  source?: string;
  macros?: MacroCall[];
}

const annotations = new WeakMap<Property, PropertyAnnotation>();

/** The annotation a rebuilt tree's property carries, if any. */
export function annotationOf(prop: Property): PropertyAnnotation | undefined {
  return annotations.get(prop);
}


export function serializeKconfig(kc: Kconfig, options: SerializeOptions = {}): { model: SerializedModel; help: SerializedHelp } {
  // Back to the freshly parsed state: choice member order is part of the tree.
  kc.reset();
  const tree = kc.tree;
  const fileIndex = new Map<string, number>();
  const files: string[] = [];
  const file = (name: string) => {
    let i = fileIndex.get(name);
    if (i === undefined) {
      i = files.length;
      files.push(name);
      fileIndex.set(name, i);
    }
    return i;
  };

  const symIndex = new Map<KSymbol, number>(tree.symbols.map((s, i) => [s, i]));
  symIndex.set(tree.yes, -1);
  symIndex.set(tree.mod, -2);
  symIndex.set(tree.no, -3);
  const constants: string[] = [];
  const sym = (s: KSymbol): number => {
    let i = symIndex.get(s);
    if (i === undefined) {
      if (!(s.flags & Flag.Const)) throw new Error(`symbol ${s.name} is in no table of the tree`);
      i = -4 - constants.length;
      constants.push(s.name ?? "");
      symIndex.set(s, i);
    }
    return i;
  };

  const exprs: SerializedExpr[] = [];
  const exprIndex = new Map<Expr, number>();
  const expr = (e: Expr | null): number | undefined => {
    if (!e) return undefined;
    const known = exprIndex.get(e);
    if (known !== undefined) return known;
    let node: SerializedExpr;
    switch (e.kind) {
      case "symbol":
        node = ["s", sym(e.symbol)];
        break;
      case "and":
      case "or":
        node = [e.kind === "and" ? "&" : "|", expr(e.left)!, expr(e.right)!];
        break;
      case "not":
        node = ["!", expr(e.operand)!];
        break;
      case "compare":
        node = [e.op, sym(e.left), sym(e.right)];
        break;
    }
    const i = exprs.length;
    exprs.push(node);
    exprIndex.set(e, i);
    return i;
  };

  // Menus in depth-first order, root first.
  const menuList: MenuNode[] = [];
  const menuIndex = new Map<MenuNode, number>();
  const visit = (m: MenuNode) => {
    menuIndex.set(m, menuList.length);
    menuList.push(m);
    for (let c = m.list; c; c = c.next) visit(c);
  };
  visit(tree.root);

  const props: SerializedProperty[] = [];
  const propIndex = new Map<Property, number>();
  const prop = (p: Property): number => {
    const known = propIndex.get(p);
    if (known !== undefined) return known;
    const out: SerializedProperty = { t: p.type, m: menuIndex.get(p.menu) ?? -1, f: file(p.file), l: p.line };
    if (p.expr) out.e = expr(p.expr);
    if (p.range) out.r = [sym(p.range[0]), sym(p.range[1])];
    if (p.visibleExpr) out.v = expr(p.visibleExpr);
    if (p.text !== undefined) out.x = p.text;
    const note = options.annotate?.(p);
    if (note?.source) out.src = note.source;
    if (note?.macros?.length) out.mac = note.macros.map((m) => ({ c: m.command, o: m.output, ...(m.diagnostic ? { d: m.diagnostic } : {}) }));
    const i = props.length;
    props.push(out);
    propIndex.set(p, i);
    return i;
  };

  const symbols: SerializedSymbol[] = tree.symbols.map((s) => {
    const out: SerializedSymbol = { t: s.type, f: s.flags & STRUCTURAL_FLAGS, p: s.props.map(prop), m: s.menus.map((m) => menuIndex.get(m)!) };
    if (s.name !== null) out.n = s.name;
    if (s.dirDep.expr) out.dd = expr(s.dirDep.expr);
    if (s.revDep.expr) out.rd = expr(s.revDep.expr);
    if (s.implied.expr) out.im = expr(s.implied.expr);
    if (s.choiceValues) out.cv = s.choiceValues.map(sym);
    if (s.choiceOf) out.co = sym(s.choiceOf);
    if (s.memberOf) out.mo = menuIndex.get(s.memberOf);
    return out;
  });

  const help: SerializedHelp = {};
  const menus: SerializedMenu[] = menuList.map((m, i) => {
    const out: SerializedMenu = { f: file(m.file), ln: m.line };
    if (m.sym) out.s = sym(m.sym);
    if (m.prompt) out.p = prop(m.prompt);
    if (m.dep) out.d = expr(m.dep);
    if (m.visibility) out.vis = expr(m.visibility);
    if (m.parent) out.up = menuIndex.get(m.parent);
    if (m.list) out.l = menuIndex.get(m.list);
    if (m.next) out.x = menuIndex.get(m.next);
    if (m.help) {
      out.h = 1;
      help[i] = m.help;
    }
    if (m.choiceMembers) out.cm = m.choiceMembers.map(sym);
    return out;
  });

  return {
    model: {
      format: MODEL_FORMAT,
      arch: kc.arch,
      srcarch: kc.srcarch,
      choiceRules: tree.choiceRules,
      files,
      constants,
      exprs,
      symbols,
      props,
      menus,
      modules: sym(tree.modulesSym),
    },
    help,
  };
}

/** The tree back from JSON: a Kconfig in its freshly parsed state. Reads no files. */
export function deserializeKconfig(model: SerializedModel, help: SerializedHelp = {}): Kconfig {
  if (model.format !== MODEL_FORMAT) throw new Error(`Kconfig model format ${model.format} is not ${MODEL_FORMAT}; prepare the model again`);
  const yes = constantSymbol("y", YES);
  const mod = constantSymbol("m", MOD);
  const no = constantSymbol("n", NO);
  const constants = new Map<string, KSymbol>();
  const constList = model.constants.map((text) => {
    const s = newSymbol(text, Flag.Const, -1);
    constants.set(text, s);
    return s;
  });
  const symbols = model.symbols.map((s, i) => {
    const out = newSymbol(s.n ?? null, s.f, i);
    out.type = s.t;
    return out;
  });
  const sym = (i: number): KSymbol => {
    if (i >= 0) return symbols[i]!;
    if (i === -1) return yes;
    if (i === -2) return mod;
    if (i === -3) return no;
    return constList[-4 - i]!;
  };

  const exprs: Expr[] = [];
  for (const [op, a, b] of model.exprs) {
    let e: Expr;
    if (op === "s") e = { kind: "symbol", symbol: sym(a) };
    else if (op === "&" || op === "|") e = { kind: op === "&" ? "and" : "or", left: exprs[a]!, right: exprs[b!]! };
    else if (op === "!") e = { kind: "not", operand: exprs[a]! };
    else e = { kind: "compare", op: op as Extract<Expr, { kind: "compare" }>["op"], left: sym(a), right: sym(b!) };
    exprs.push(e);
  }
  const expr = (i: number | undefined): Expr | null => (i === undefined ? null : exprs[i]!);

  const menus = model.menus.map((m) => newMenu(null, null, { file: model.files[m.f]!, line: m.ln }));
  const props: Property[] = model.props.map((p) => {
    const out: Property = {
      type: p.t,
      expr: expr(p.e),
      visibleExpr: expr(p.v),
      visibleTri: NO,
      menu: menus[p.m]!,
      file: model.files[p.f]!,
      line: p.l,
    };
    if (p.r) out.range = [sym(p.r[0]), sym(p.r[1])];
    if (p.x !== undefined) out.text = p.x;
    if (p.src || p.mac) {
      annotations.set(out, { source: p.src, macros: p.mac?.map((m) => ({ command: m.c, output: m.o, ...(m.d ? { diagnostic: m.d } : {}) })) });
    }
    return out;
  });
  model.menus.forEach((m, i) => {
    const out = menus[i]!;
    if (m.s !== undefined) out.sym = sym(m.s);
    if (m.p !== undefined) out.prompt = props[m.p]!;
    out.dep = expr(m.d);
    out.visibility = expr(m.vis);
    out.parent = m.up === undefined ? null : menus[m.up]!;
    out.list = m.l === undefined ? null : menus[m.l]!;
    out.next = m.x === undefined ? null : menus[m.x]!;
    out.help = help[i] ?? null;
    if (m.cm) out.choiceMembers = m.cm.map(sym);
  });
  model.symbols.forEach((s, i) => {
    const out = symbols[i]!;
    out.props = s.p.map((p) => props[p]!);
    out.menus = s.m.map((m) => menus[m]!);
    out.dirDep.expr = expr(s.dd);
    out.revDep.expr = expr(s.rd);
    out.implied.expr = expr(s.im);
    if (s.cv) out.choiceValues = s.cv.map(sym);
    if (s.co !== undefined) out.choiceOf = sym(s.co);
    if (s.mo !== undefined) out.memberOf = menus[s.mo]!;
  });

  const byName = new Map<string, KSymbol>();
  for (const s of symbols) if (s.name !== null && !(s.flags & Flag.Choice)) byName.set(s.name, s);
  const env = { ARCH: model.arch, SRCARCH: model.srcarch };
  const tree: ParsedTree = {
    root: menus[0]!,
    symbols,
    byName,
    constants,
    yes,
    mod,
    no,
    modulesSym: sym(model.modules),
    files: model.files,
    warnings: [],
    // Nothing is expanded any more: every macro was answered when the tree was parsed.
    preprocessor: new Preprocessor(env, () => {
      throw new Error("a rebuilt Kconfig tree runs no macros");
    }, { file: "", line: 0 }),
    choiceRules: model.choiceRules,
  };
  // The server's path of the tree is never part of the model.
  return Kconfig.fromFinalized(tree, { srctree: "", env });
}
