import type { SerializedModel } from "@/lib/kconfig/engine/serialize";

/** Read-only questions about the serialized model that the page asks while rendering. */

export function menuLabel(model: SerializedModel, menu: number): string {
  const m = model.menus[menu]!;
  const prompt = m.p !== undefined ? model.props[m.p]!.x : undefined;
  if (prompt !== undefined) return prompt;
  const sym = m.s !== undefined && m.s >= 0 ? model.symbols[m.s] : undefined;
  return sym?.n ?? "";
}

export function menuSymbol(model: SerializedModel, menu: number): { index: number; name: string | undefined; type: string; choice: boolean } | null {
  const s = model.menus[menu]!.s;
  if (s === undefined || s < 0) return null;
  const sym = model.symbols[s]!;
  // Flag.Choice is 1 << 1.
  return { index: s, name: sym.n, type: sym.t, choice: (sym.f & 2) !== 0 };
}

export function children(model: SerializedModel, menu: number): number[] {
  const out: number[] = [];
  for (let c = model.menus[menu]!.l; c !== undefined; c = model.menus[c]!.x) out.push(c);
  return out;
}

/** The titles of the menus above an entry, outermost first. */
export function menuPath(model: SerializedModel, menu: number): string[] {
  const path: string[] = [];
  for (let m = model.menus[menu]!.up; m !== undefined && model.menus[m]!.up !== undefined; m = model.menus[m]!.up) {
    const p = model.menus[m]!.p;
    if (p !== undefined && model.props[p]!.x !== undefined) path.unshift(model.props[p]!.x!);
  }
  return path;
}

/** The first menu entry that defines a symbol, by name. */
export function menuOfSymbol(model: SerializedModel, name: string): number | null {
  const s = model.symbols.find((x) => x.n === name);
  return s?.m[0] ?? null;
}

export interface SearchHit {
  menu: number;
  name?: string;
  label: string;
  path: string[];
  /** Where the query matched. */
  field: "name" | "prompt" | "help";
}

/** Entries whose symbol name, prompt or help text holds the query (case-insensitive), names first. */
export function search(model: SerializedModel, query: string, help: Record<number, string> | null, limit = 200): SearchHit[] {
  const q = query.trim().toLowerCase().replace(/^config_/, "");
  if (!q) return [];
  const byField: Record<SearchHit["field"], SearchHit[]> = { name: [], prompt: [], help: [] };
  const seen = new Set<string>();
  model.menus.forEach((m, i) => {
    if (m.up === undefined) return;
    const sym = menuSymbol(model, i);
    const label = menuLabel(model, i);
    const key = sym?.name ?? `menu-${i}`;
    if (!label && !sym?.name) return;
    const field: SearchHit["field"] | null = sym?.name?.toLowerCase().includes(q)
      ? "name"
      : m.p !== undefined && label.toLowerCase().includes(q)
        ? "prompt"
        : help?.[i]?.toLowerCase().includes(q)
          ? "help"
          : null;
    if (!field || seen.has(key)) return;
    seen.add(key);
    byField[field].push({ menu: i, name: sym?.name, label, path: menuPath(model, i), field });
  });
  // Exact name first, then names, prompts, help.
  byField.name.sort((a, b) => Number(b.name?.toLowerCase() === q) - Number(a.name?.toLowerCase() === q));
  return [...byField.name, ...byField.prompt, ...byField.help].slice(0, limit);
}
