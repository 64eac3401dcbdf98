import { and, Flag, isChoice, KconfigSyntaxError, or, symbolExpr, walkMenus, type Expr, type KSymbol, type MenuNode, type Property } from "./model";
import type { ParsedTree } from "./parser";

/**
 * menu_finalize() of scripts/kconfig/menu.c: propagates every enclosing
 * dependency into entries and properties, turns selects and implies into
 * reverse dependencies, builds the automatic submenus below symbols, flattens
 * `if` blocks, and sets up choices by the tree's choice rules.
 *
 * Expressions are combined without the C code's simplifications (expr_transform,
 * expr_eliminate_dups): those never change a value, only where the structure
 * of a dependency is inspected, and there `dependsOnSymbol` looks through them.
 */
export function finalizeMenus(tree: ParsedTree): void {
  new Finalizer(tree).run();
}

class Finalizer {
  private readonly legacy: boolean;

  constructor(private readonly tree: ParsedTree) {
    this.legacy = tree.choiceRules === "pre-6.11";
  }

  run(): void {
    this.finalize(this.tree.root, false);
    this.checkTransitional();
  }

  /** transitional_check_sanity(): a transitional symbol has a type and help, nothing else. */
  private checkTransitional(): void {
    for (const menu of walkMenus(this.tree.root)) {
      const sym = menu.sym;
      if (!sym || !(sym.flags & Flag.Transitional)) continue;
      const yes = (e: Expr | null) => !e || (e.kind === "symbol" && e.symbol === this.tree.yes);
      const extra = sym.props.find((p) => p.type !== "symbol" && p.type !== "comment");
      if (!yes(menu.dep) || !yes(menu.visibility) || extra) {
        throw new KconfigSyntaxError(extra && yes(menu.dep) && yes(menu.visibility) ? extra : menu, "transitional symbols can only have help sections");
      }
    }
  }

  /** `m` in a dependency means `m && MODULES`, so it is n without module support. */
  private rewriteM(e: Expr | null): Expr | null {
    if (!e) return e;
    switch (e.kind) {
      case "not":
        return { kind: "not", operand: this.rewriteM(e.operand)! };
      case "and":
      case "or":
        return { kind: e.kind, left: this.rewriteM(e.left)!, right: this.rewriteM(e.right)! };
      case "symbol":
        return e.symbol === this.tree.mod ? { kind: "and", left: e, right: symbolExpr(this.tree.modulesSym) } : e;
      default:
        return e;
    }
  }

  private finalize(parent: MenuNode, insideChoice: boolean): void {
    const sym = parent.sym;
    const choice = sym !== null && isChoice(sym);
    if (parent.list) {
      let parentDep: Expr | null = parent.dep;
      if (choice && this.legacy) {
        if (sym.type === "unknown") {
          for (let m: MenuNode | null = parent.list; m; m = m.next) {
            if (m.sym && m.sym.type !== "unknown") {
              sym.type = m.sym.type;
              break;
            }
          }
        }
        for (let m: MenuNode | null = parent.list; m; m = m.next) if (m.sym && m.sym.type === "unknown") m.sym.type = sym.type;
        // The choice's mode bounds the visibility of its values.
        parentDep = symbolExpr(sym);
      }
      for (let menu: MenuNode | null = parent.list; menu; menu = menu.next) {
        const baseDep = and(parentDep, this.rewriteM(menu.dep));
        menu.dep = baseDep;
        const props: Property[] = menu.sym ? menu.sym.props : menu.prompt ? [menu.prompt] : [];
        for (const prop of props) {
          if (prop.menu !== menu) continue;
          const dep = and(baseDep, this.rewriteM(prop.visibleExpr));
          prop.visibleExpr = dep;
          if (prop.type === "select" || prop.type === "imply") {
            const target = (prop.expr as { symbol: KSymbol }).symbol;
            const term = and(symbolExpr(menu.sym!), dep)!;
            if (prop.type === "select") target.revDep.expr = or(target.revDep.expr, term);
            else target.implied.expr = or(target.implied.expr, term);
          }
        }
      }
      for (let menu: MenuNode | null = parent.list; menu; menu = menu.next) this.finalize(menu, choice);
    } else if (sym && (this.legacy || !insideChoice)) {
      this.buildSubmenu(parent, sym);
      sym.dirDep.expr = or(sym.dirDep.expr, parent.dep);
    }

    for (let menu: MenuNode | null = parent.list; menu; menu = menu.next) {
      if (this.legacy && choice && menu.sym && !(menu.sym.flags & Flag.ChoiceValue)) this.addLegacyChoiceValue(sym, menu);
      // Flatten `if` blocks and undo submenus below promptless symbols.
      if (menu.list && (!menu.prompt || menu.prompt.text === undefined)) {
        let last = menu.list;
        for (;;) {
          last.parent = parent;
          if (!last.next) break;
          last = last.next;
        }
        last.next = menu.next;
        menu.next = menu.list;
        menu.list = null;
      }
    }


    // A visible non-optional choice cannot be n: a reverse dependency `<visibility> && m`.
    if (this.legacy && sym && !(sym.flags & Flag.Optional) && parent.prompt) {
      sym.revDep.expr = or(sym.revDep.expr, and(parent.prompt.visibleExpr, symbolExpr(this.tree.mod)));
    }
  }

  private addLegacyChoiceValue(choiceSym: KSymbol, menu: MenuNode): void {
    const value = menu.sym!;
    value.flags |= Flag.ChoiceValue;
    // Non-tristate values of a tristate choice need the choice to be y.
    if (choiceSym.type === "tristate" && value.type !== "tristate") {
      const isYes: Expr = { kind: "compare", op: "=", left: choiceSym, right: this.tree.yes };
      menu.dep = and(isYes, menu.dep);
      for (const prop of value.props) if (prop.menu === menu) prop.visibleExpr = and(isYes, prop.visibleExpr);
    }
    value.choiceOf = choiceSym;
    choiceSym.choiceValues!.push(value);
  }

  /**
   * Automatic submenus: the entries right after a symbol that depend on it
   * become its children (menu.c's "absolute dependency" or "superset" test).
   */
  private buildSubmenu(parent: MenuNode, sym: KSymbol): void {
    const symDeps = conjuncts(parent.prompt ? parent.prompt.visibleExpr : null);
    let last: MenuNode | null = null;
    for (let menu = parent.next; menu; menu = menu.next) {
      const dep = menu.prompt ? menu.prompt.visibleExpr : menu.dep;
      if (!containsSymbol(dep, sym)) break;
      if (!dependsOnSymbol(dep, sym)) {
        // A superset of sym's own dependencies, e.g. '(sym || Q) && R' when sym depends on R.
        const terms = conjuncts(dep).map(exprKey);
        if (!symDeps.every((d) => terms.includes(exprKey(d)))) break;
      }
      this.finalize(menu, false);
      menu.parent = parent;
      last = menu;
    }
    if (last) {
      parent.list = parent.next;
      parent.next = last.next;
      last.next = null;
    }
  }
}

function containsSymbol(e: Expr | null, sym: KSymbol): boolean {
  if (!e) return false;
  switch (e.kind) {
    case "and":
    case "or":
      return containsSymbol(e.left, sym) || containsSymbol(e.right, sym);
    case "not":
      return containsSymbol(e.operand, sym);
    case "symbol":
      return e.symbol === sym;
    case "compare":
      return e.left === sym || e.right === sym;
  }
}

/** expr_depends_symbol: some `&&` term is `sym`, `sym=y`, `sym=m` or `sym!=n`. */
function dependsOnSymbol(e: Expr | null, sym: KSymbol): boolean {
  if (!e) return false;
  switch (e.kind) {
    case "and":
      return dependsOnSymbol(e.left, sym) || dependsOnSymbol(e.right, sym);
    case "symbol":
      return e.symbol === sym;
    case "compare":
      if (e.left !== sym) return false;
      if (e.op === "=") return e.right.name === "y" || e.right.name === "m";
      if (e.op === "!=") return e.right.name === "n" && (e.right.flags & Flag.Const) !== 0;
      return false;
    default:
      return false;
  }
}

function conjuncts(e: Expr | null): Expr[] {
  if (!e) return [];
  if (e.kind === "and") return [...conjuncts(e.left), ...conjuncts(e.right)];
  return [e];
}

function exprKey(e: Expr): string {
  switch (e.kind) {
    case "symbol":
      return symKey(e.symbol);
    case "not":
      return `!(${exprKey(e.operand)})`;
    case "compare":
      return `${symKey(e.left)}${e.op}${symKey(e.right)}`;
    default:
      return `(${exprKey(e.left)} ${e.kind} ${exprKey(e.right)})`;
  }
}

function symKey(s: KSymbol): string {
  return s.flags & Flag.Const ? `"${s.name}"` : `${s.name ?? `<choice ${s.index}>`}`;
}
