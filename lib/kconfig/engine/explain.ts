import type { Kconfig } from "./kconfig";
import { Flag, hasValue, isChoice, NO, YES, type Expr, type KSymbol, type MenuNode, type Property, type Tri } from "./model";

/**
 * Explanations over an evaluated tree, for people: an expression as Kconfig
 * text, where a menu entry sits, why a symbol cannot be set (down to the
 * root cause), and what a change did to the other symbols.
 */

const TRI = ["n", "m", "y"] as const;

/** An expression as it would be written in a Kconfig file. */
export function exprText(e: Expr | null): string {
  return e ? render(e, 0) : "y";
}

function render(e: Expr, outer: number): string {
  // Precedence: || 1, && 2, ! and comparisons 3.
  const wrap = (prec: number, text: string) => (prec < outer ? `(${text})` : text);
  switch (e.kind) {
    case "symbol":
      return symText(e.symbol);
    case "or":
      return wrap(1, `${render(e.left, 1)} || ${render(e.right, 1)}`);
    case "and":
      return wrap(2, `${render(e.left, 2)} && ${render(e.right, 2)}`);
    case "not":
      return `!${render(e.operand, 3)}`;
    case "compare":
      return `${symText(e.left)}${e.op}${symText(e.right)}`;
  }
}

function symText(s: KSymbol): string {
  if (s.flags & Flag.Const && !["y", "m", "n"].includes(s.name ?? "")) return JSON.stringify(s.name ?? "");
  return s.name ?? "<choice>";
}

/** The menu titles above an entry, outermost first: Kernel hacking → Sample kernel code → Rust samples. */
export function menuPath(menu: MenuNode): string[] {
  const path: string[] = [];
  for (let m = menu.parent; m && m.parent; m = m.parent) {
    if (m.prompt?.text !== undefined) path.unshift(m.prompt.text);
  }
  return path;
}

/** A symbol's current value as .config writes it (without quotes). */
export function valueOf(kc: Kconfig, sym: KSymbol): string {
  kc.eval.calcValue(sym);
  return kc.eval.stringValue(sym);
}

// --- values before and after --------------------------------------------------------

export type ValueSnapshot = Map<string, string>;

/** Every named symbol's value. */
export function snapshotValues(kc: Kconfig): ValueSnapshot {
  const out: ValueSnapshot = new Map();
  for (const sym of kc.tree.symbols) {
    if (!sym.name || isChoice(sym) || sym.type === "unknown") continue;
    out.set(sym.name, valueOf(kc, sym));
  }
  return out;
}

export interface ValueChange {
  symbol: string;
  before: string;
  after: string;
}

/** The symbols whose value differs, in the order of the first snapshot. */
export function diffValues(before: ValueSnapshot, after: ValueSnapshot): ValueChange[] {
  const changes: ValueChange[] = [];
  for (const [symbol, value] of before) {
    const now = after.get(symbol) ?? "";
    if (now !== value) changes.push({ symbol, before: value, after: now });
  }
  for (const [symbol, value] of after) if (!before.has(symbol)) changes.push({ symbol, before: "", after: value });
  return changes;
}

// --- why not ---------------------------------------------------------------------------

/** What a macro answered while the tree was parsed, and what its command printed when it failed. */
export interface MacroCall {
  command: string;
  output: string;
  /** The command's own messages (standard output and error), recorded when it answered n. */
  diagnostic?: string;
}

export interface WhyNode {
  /** What this node says, e.g. "RUST_IS_AVAILABLE = n" or "depends on HAVE_RUST && RUST_IS_AVAILABLE". */
  text: string;
  kind: "symbol" | "expr" | "user" | "default" | "select" | "macro" | "note";
  /** The symbol this node is about, for links. */
  symbol?: string;
  /** The value it has now (n/m/y or text). */
  value?: string;
  /** file:line of the statement this node comes from. */
  at?: string;
  /** The statement as written, when its value came from macros. */
  source?: string;
  macros?: MacroCall[];
  children: WhyNode[];
}

export interface ExplainOptions {
  /** The statement text and macro answers of a property, when the model carries them. */
  annotation?: (prop: Property) => { source?: string; macros?: MacroCall[] } | undefined;
  /** How deep the tree goes before it stops (the root cause is usually within a few levels). */
  maxDepth?: number;
}

/**
 * Why `sym` cannot be set to `want` (y by default, or n): null when it can.
 * The tree follows only the terms that fail, down to a symbol whose value is
 * a fact: set by the user, a constant, or a default (perhaps from a macro).
 */
export function whyNot(kc: Kconfig, sym: KSymbol, want: "y" | "m" | "n" = "y", options: ExplainOptions = {}): WhyNode | null {
  const ev = kc.eval;
  ev.calcValue(sym);
  const target: Tri = want === "y" ? YES : want === "m" ? 1 : NO;
  if (sym.curr.tri === target) return null;
  if (sym.type !== "bool" && sym.type !== "tristate") {
    return sym.visible !== NO ? null : new Explainer(kc, options).hidden(sym, 0);
  }
  if (ev.tristateWithinRange(sym, target)) return null;
  return new Explainer(kc, options).symbol(sym, target > sym.curr.tri ? "up" : "down", 0, new Set());
}

type Direction = "up" | "down";

class Explainer {
  private readonly maxDepth: number;
  constructor(
    private readonly kc: Kconfig,
    private readonly options: ExplainOptions,
  ) {
    this.maxDepth = options.maxDepth ?? 12;
  }

  private tri(e: Expr | null): Tri {
    return this.kc.eval.calcExpr(e);
  }

  private at(p: { file: string; line: number }): string {
    return `${p.file}:${p.line}`;
  }

  private node(sym: KSymbol, children: WhyNode[], extra: Partial<WhyNode> = {}): WhyNode {
    const value = valueOf(this.kc, sym);
    return { kind: "symbol", text: `${sym.name ?? "<choice>"} = ${value || '""'}`, symbol: sym.name ?? undefined, value, children, ...extra };
  }

  /** Why a symbol's value is lower ("up": it should be higher) or higher ("down") than wanted. */
  symbol(sym: KSymbol, dir: Direction, depth: number, seen: Set<KSymbol>): WhyNode {
    if (sym.flags & Flag.Const) return { kind: "note", text: `${symText(sym)} is a constant`, value: valueOf(this.kc, sym), children: [] };
    if (depth >= this.maxDepth || seen.has(sym)) return this.node(sym, [{ kind: "note", text: "explained above", children: [] }]);
    seen = new Set(seen).add(sym);
    const ev = this.kc.eval;
    ev.calcValue(sym);
    const at = sym.menus[0] ? this.at(sym.menus[0]) : undefined;
    if (dir === "down") {
      // Higher than wanted: something forces it (select), or it is set, or a default gives it.
      if (sym.revDep.tri !== NO) {
        return this.node(sym, [this.selectedBy(sym, depth, seen)], { at });
      }
      if (sym.visible !== NO && hasValue(sym)) {
        return this.node(sym, [{ kind: "user", text: `set to ${TRI[sym.user.tri]} in the configuration`, children: [] }], { at });
      }
      return this.node(sym, this.defaults(sym, "down", depth, seen), { at });
    }
    // Lower than wanted.
    if (sym.visible === NO) return this.hidden(sym, depth, seen);
    if (hasValue(sym)) {
      return this.node(sym, [{ kind: "user", text: `set to ${TRI[sym.user.tri]} in the configuration`, children: [] }], { at });
    }
    if (sym.visible < YES && sym.type === "tristate") {
      return this.node(sym, this.prompts(sym, depth, seen), { at });
    }
    return this.node(sym, this.defaults(sym, "up", depth, seen), { at });
  }

  /** A symbol nobody can set: its prompt's conditions fail, or it has no prompt at all. */
  hidden(sym: KSymbol, depth: number, seen = new Set<KSymbol>()): WhyNode {
    seen = new Set(seen).add(sym);
    const at = sym.menus[0] ? this.at(sym.menus[0]) : undefined;
    const prompts = sym.props.filter((p) => p.text !== undefined);
    if (!prompts.length) {
      const children: WhyNode[] = [{ kind: "note", text: "has no prompt: only defaults and selects give it a value", children: [] }];
      children.push(...this.defaults(sym, "up", depth, seen));
      return this.node(sym, children, { at });
    }
    return this.node(sym, this.prompts(sym, depth, seen), { at });
  }

  private prompts(sym: KSymbol, depth: number, seen: Set<KSymbol>): WhyNode[] {
    return sym.props
      .filter((p) => p.text !== undefined)
      .map((p) => ({
        kind: "expr" as const,
        text: `prompt "${p.text}" needs ${exprText(p.visibleExpr)}`,
        value: TRI[this.tri(p.visibleExpr)],
        at: this.at(p),
        children: this.failing(p.visibleExpr, "up", depth + 1, seen),
      }));
  }

  /** The defaults that decide the value, with the statements (and macros) they come from. */
  private defaults(sym: KSymbol, dir: Direction, depth: number, seen: Set<KSymbol>): WhyNode[] {
    const out: WhyNode[] = [];
    const defaults = sym.props.filter((p) => p.type === "default");
    const active = defaults.find((p) => this.tri(p.visibleExpr) !== NO);
    if (!active) {
      out.push({
        kind: "default",
        text: defaults.length ? "no default applies" : "has no default",
        children: defaults.map((p) => this.condition(p, depth, seen)),
      });
    } else {
      const note = this.options.annotation?.(active);
      const value = this.tri(active.expr);
      out.push({
        kind: note?.macros?.length ? "macro" : "default",
        text: `default ${exprText(active.expr)}${active.visibleExpr ? ` if ${exprText(active.visibleExpr)}` : ""}`,
        value: TRI[value],
        at: this.at(active),
        source: note?.source,
        macros: note?.macros,
        children: note?.macros?.length ? [] : this.failing(active.expr, dir, depth + 1, seen),
      });
    }
    if (dir === "up" && sym.revDep.expr) {
      out.push({ kind: "select", text: `not selected: ${exprText(sym.revDep.expr)}`, value: TRI[this.tri(sym.revDep.expr)], children: [] });
    }
    return out;
  }

  private condition(p: Property, depth: number, seen: Set<KSymbol>): WhyNode {
    return {
      kind: "expr",
      text: `default ${exprText(p.expr)} if ${exprText(p.visibleExpr)}`,
      value: TRI[this.tri(p.visibleExpr)],
      at: this.at(p),
      children: this.failing(p.visibleExpr, "up", depth + 1, seen),
    };
  }

  private selectedBy(sym: KSymbol, depth: number, seen: Set<KSymbol>): WhyNode {
    const terms = disjuncts(sym.revDep.expr).filter((t) => this.tri(t) !== NO);
    return {
      kind: "select",
      text: `selected by ${terms.map((t) => exprText(t)).join(", ")}`,
      value: TRI[sym.revDep.tri],
      children: terms.flatMap((t) => {
        const selector = conjuncts(t)[0];
        return selector?.kind === "symbol" ? [this.symbol(selector.symbol, "down", depth + 1, seen)] : [];
      }),
    };
  }

  /**
   * The terms of `e` that keep it from going `dir`: for && going up, the
   * terms that are too low; for || going up, every term; a ! flips the direction.
   */
  private failing(e: Expr | null, dir: Direction, depth: number, seen: Set<KSymbol>): WhyNode[] {
    if (!e || depth >= this.maxDepth) return [];
    const bad = (x: Expr) => (dir === "up" ? this.tri(x) !== YES : this.tri(x) !== NO);
    switch (e.kind) {
      case "and":
      case "or": {
        // Going up, an && fails by its low terms; going down, an || fails by its high terms.
        const spread = (e.kind === "and") === (dir === "up");
        const terms = e.kind === "and" ? conjuncts(e) : disjuncts(e);
        const chosen = spread ? terms.filter(bad) : terms;
        if (!spread && chosen.length > 1) {
          return [{ kind: "expr", text: exprText(e), value: TRI[this.tri(e)], children: chosen.flatMap((t) => this.failing(t, dir, depth + 1, seen)) }];
        }
        return chosen.flatMap((t) => this.failing(t, dir, depth, seen));
      }
      case "not":
        return this.failing(e.operand, dir === "up" ? "down" : "up", depth, seen);
      case "symbol":
        return bad(e) ? [this.symbol(e.symbol, dir, depth, seen)] : [];
      case "compare": {
        const sides = [e.left, e.right].filter((s) => !(s.flags & Flag.Const));
        return [
          {
            kind: "expr",
            text: `${exprText(e)} (${sides.map((s) => `${s.name} = ${valueOf(this.kc, s) || '""'}`).join(", ")})`,
            value: TRI[this.tri(e)],
            children: [],
          },
        ];
      }
    }
  }
}

function conjuncts(e: Expr | null): Expr[] {
  if (!e) return [];
  return e.kind === "and" ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

function disjuncts(e: Expr | null): Expr[] {
  if (!e) return [];
  return e.kind === "or" ? [...disjuncts(e.left), ...disjuncts(e.right)] : [e];
}

export { conjuncts, disjuncts };
