import type { ModelOutline } from "@/lib/kconfig/model/types";

/** Read-only questions about the serialized model that the page asks while rendering. */

export function menuLabel(model: ModelOutline, menu: number): string {
  const m = model.menus[menu]!;
  const prompt = m.p !== undefined ? model.props[m.p]!.x : undefined;
  if (prompt !== undefined) return prompt;
  const sym = m.s !== undefined && m.s >= 0 ? model.symbols[m.s] : undefined;
  return sym?.n ?? "";
}

export function menuSymbol(model: ModelOutline, menu: number): { index: number; name: string | undefined; type: string; choice: boolean } | null {
  const s = model.menus[menu]!.s;
  if (s === undefined || s < 0) return null;
  const sym = model.symbols[s]!;
  // Flag.Choice is 1 << 1.
  return { index: s, name: sym.n, type: sym.t, choice: (sym.f & 2) !== 0 };
}

export function children(model: ModelOutline, menu: number): number[] {
  const out: number[] = [];
  for (let c = model.menus[menu]!.l; c !== undefined; c = model.menus[c]!.x) out.push(c);
  return out;
}

/** The titles of the menus above an entry, outermost first. */
export function menuPath(model: ModelOutline, menu: number): string[] {
  const path: string[] = [];
  for (let m = model.menus[menu]!.up; m !== undefined && model.menus[m]!.up !== undefined; m = model.menus[m]!.up) {
    const p = model.menus[m]!.p;
    if (p !== undefined && model.props[p]!.x !== undefined) path.unshift(model.props[p]!.x!);
  }
  return path;
}

/** The first menu entry that defines a symbol, by name. */
export function menuOfSymbol(model: ModelOutline, name: string): number | null {
  const i = symbolIndexOf(model, name);
  return i < 0 ? null : (model.symbols[i]!.m[0] ?? null);
}

export interface SearchHit {
  menu: number;
  name?: string;
  label: string;
  path: string[];
  /** Where the query matched. */
  field: "name" | "prompt" | "help";
}

interface SearchEntry {
  menu: number;
  name?: string;
  label: string;
  nameLower?: string;
  /** Lower-cased prompt; absent for entries without one. */
  promptLower?: string;
}

// Built once per outline: typing a query then only compares strings.
const searchIndexes = new WeakMap<ModelOutline, SearchEntry[]>();

function searchIndex(model: ModelOutline): SearchEntry[] {
  let index = searchIndexes.get(model);
  if (index) return index;
  index = [];
  model.menus.forEach((m, i) => {
    if (m.up === undefined) return;
    const sym = menuSymbol(model, i);
    const label = menuLabel(model, i);
    if (!label && !sym?.name) return;
    index!.push({ menu: i, name: sym?.name, label, nameLower: sym?.name?.toLowerCase(), promptLower: m.p !== undefined ? label.toLowerCase() : undefined });
  });
  searchIndexes.set(model, index);
  return index;
}

/** Entries whose symbol name, prompt or help text holds the query (case-insensitive), names first. */
export function search(model: ModelOutline, query: string, help: Record<number, string> | null, limit = 200): SearchHit[] {
  const q = query.trim().toLowerCase().replace(/^config_/, "");
  if (!q) return [];
  const byField: Record<SearchHit["field"], SearchHit[]> = { name: [], prompt: [], help: [] };
  const seen = new Set<string>();
  for (const e of searchIndex(model)) {
    const field: SearchHit["field"] | null = e.nameLower?.includes(q) ? "name" : e.promptLower?.includes(q) ? "prompt" : help?.[e.menu]?.toLowerCase().includes(q) ? "help" : null;
    const key = e.name ?? `menu-${e.menu}`;
    if (!field || seen.has(key)) continue;
    seen.add(key);
    byField[field].push({ menu: e.menu, name: e.name, label: e.label, path: [], field });
  }
  // Exact name first, then names, prompts, help; paths only for what is shown.
  byField.name.sort((a, b) => Number(b.name?.toLowerCase() === q) - Number(a.name?.toLowerCase() === q));
  return [...byField.name, ...byField.prompt, ...byField.help].slice(0, limit).map((hit) => ({ ...hit, path: menuPath(model, hit.menu) }));
}

// Symbol indices by name, once per outline.
const symbolIndexes = new WeakMap<ModelOutline, Map<string, number>>();

/** A symbol's index by name, or -1. */
export function symbolIndexOf(model: ModelOutline, name: string): number {
  let index = symbolIndexes.get(model);
  if (!index) {
    index = new Map();
    model.symbols.forEach((s, i) => s.n !== undefined && !index!.has(s.n) && index!.set(s.n, i));
    symbolIndexes.set(model, index);
  }
  return index.get(name) ?? -1;
}
