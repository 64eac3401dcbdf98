import type { Expr, KSymbol, SymbolValue, Tri } from "./model";

/**
 * Who reads whom among a tree's symbols, for recomputing after a user's
 * change: the readers of each symbol, and the symbols grouped into strongly
 * connected components (a choice and its members read each other) numbered in
 * dependency order — a component's inputs all have smaller numbers.
 */
export interface DependencyOrder {
  /** By symbol index: the symbols whose value may read it. */
  readers: KSymbol[][];
  /** By symbol index: its component. */
  componentOf: number[];
  /** Components in dependency order. */
  components: KSymbol[][];
}

export function dependencyOrder(symbols: KSymbol[]): DependencyOrder {
  const readers = readersOf(symbols);
  const { componentOf, components } = componentsInOrder(symbols, readers);
  return { readers, componentOf, components };
}

/** Edges from every symbol an expression of S mentions to S, plus choices and their members both ways. */
function readersOf(symbols: KSymbol[]): KSymbol[][] {
  const readers: KSymbol[][] = symbols.map(() => []);
  const mentions = (e: Expr | null, out: Set<KSymbol>): void => {
    if (!e) return;
    switch (e.kind) {
      case "symbol":
        out.add(e.symbol);
        return;
      case "not":
        return mentions(e.operand, out);
      case "compare":
        out.add(e.left).add(e.right);
        return;
      default:
        mentions(e.left, out);
        mentions(e.right, out);
    }
  };
  for (const sym of symbols) {
    const read = new Set<KSymbol>();
    for (const prop of sym.props) {
      // A select's or imply's condition is its target's input (through the target's reverse dependencies), not the selector's.
      if (prop.type === "select" || prop.type === "imply") continue;
      mentions(prop.visibleExpr, read);
      if (prop.type === "default" || prop.type === "prompt") mentions(prop.expr, read);
      if (prop.range) read.add(prop.range[0]).add(prop.range[1]);
    }
    mentions(sym.dirDep.expr, read);
    mentions(sym.revDep.expr, read);
    mentions(sym.implied.expr, read);
    if (sym.choiceOf) read.add(sym.choiceOf);
    for (const value of sym.choiceValues ?? []) read.add(value);
    for (const member of sym.memberOf?.choiceMembers ?? []) read.add(member);
    if (sym.memberOf?.sym) read.add(sym.memberOf.sym);
    // Constants (index -1) never change: nobody needs to hear from them.
    for (const r of read) if (r !== sym && r.index >= 0) readers[r.index]!.push(sym);
  }
  return readers;
}

/**
 * Tarjan's algorithm, iteratively (reader chains run thousands deep). It
 * finishes a component after everything that reads it, so the reverse of its
 * finishing order is dependency order.
 */
function componentsInOrder(symbols: KSymbol[], readers: KSymbol[][]): { componentOf: number[]; components: KSymbol[][] } {
  const n = symbols.length;
  const indexOf = new Int32Array(n).fill(-1);
  const lowLink = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const finished: number[][] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (indexOf[root] !== -1) continue;
    // Each frame: a symbol and how many of its readers have been visited.
    const frames: [number, number][] = [[root, 0]];
    indexOf[root] = lowLink[root] = counter++;
    stack.push(root), (onStack[root] = 1);
    while (frames.length) {
      const frame = frames[frames.length - 1]!;
      const [v, next] = frame;
      const out = readers[v]!;
      if (next < out.length) {
        frame[1]++;
        const w = out[next]!.index;
        if (indexOf[w] === -1) {
          indexOf[w] = lowLink[w] = counter++;
          stack.push(w), (onStack[w] = 1);
          frames.push([w, 0]);
        } else if (onStack[w]) lowLink[v] = Math.min(lowLink[v]!, indexOf[w]!);
        continue;
      }
      frames.pop();
      if (frames.length) {
        const parent = frames[frames.length - 1]![0];
        lowLink[parent] = Math.min(lowLink[parent]!, lowLink[v]!);
      }
      if (lowLink[v] !== indexOf[v]) continue;
      const component: number[] = [];
      let w: number;
      do {
        w = stack.pop()!;
        onStack[w] = 0;
        component.push(w);
      } while (w !== v);
      // Members in creation order: the order a full recomputation meets them.
      finished.push(component.sort((a, b) => a - b));
    }
  }
  const componentOf: number[] = new Array(n);
  const components = finished.reverse().map((members, c) => {
    for (const i of members) componentOf[i] = c;
    return members.map((i) => symbols[i]!);
  });
  return { componentOf, components };
}

/** Components waiting to be recomputed, taken lowest number (earliest in dependency order) first. */
export class ComponentQueue {
  private readonly heap: number[] = [];
  private readonly queued = new Set<number>();

  add(component: number): void {
    if (this.queued.has(component)) return;
    this.queued.add(component);
    const heap = this.heap;
    let i = heap.push(component) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]! <= component) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = component;
  }

  items(): number[] {
    return [...this.heap];
  }

  next(): number | undefined {
    const heap = this.heap;
    if (!heap.length) return undefined;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= heap.length) break;
        const child = l + 1 < heap.length && heap[l + 1]! < heap[l]! ? l + 1 : l;
        if (heap[child]! >= last) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}

/** Everything of a symbol that its readers (and the symbol's own later evaluation) can see. */
export interface SymbolState {
  curr: SymbolValue;
  user: SymbolValue;
  flags: number;
  visible: Tri;
  dirDep: Tri;
  revDep: Tri;
  implied: Tri;
}

export function stateOf(sym: KSymbol): SymbolState {
  return { curr: { ...sym.curr }, user: { ...sym.user }, flags: sym.flags, visible: sym.visible, dirDep: sym.dirDep.tri, revDep: sym.revDep.tri, implied: sym.implied.tri };
}

export function sameState(a: SymbolState, sym: KSymbol): boolean {
  return (
    a.curr.tri === sym.curr.tri &&
    a.curr.val === sym.curr.val &&
    a.user.tri === sym.user.tri &&
    a.user.val === sym.user.val &&
    a.flags === sym.flags &&
    a.visible === sym.visible &&
    a.dirDep === sym.dirDep.tri &&
    a.revDep === sym.revDep.tri &&
    a.implied === sym.implied.tri
  );
}
