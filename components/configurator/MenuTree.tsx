"use client";

import { memo } from "react";
import type { ModelOutline } from "@/lib/kconfig/model/types";
import type { SessionView } from "@/lib/kconfig/engine/session";
import { children, menuLabel, menuSymbol } from "./modelView";

interface TreeProps {
  model: ModelOutline;
  view: SessionView;
  expanded: Set<number>;
  selected: string | null;
  showHidden: boolean;
  onToggle(menu: number): void;
  onSelect(symbol: string): void;
  onSet(symbol: string, value: string): void;
}

/** The menu tree as menuconfig shows it: visible entries, collapsible, with their values. */
export function MenuTree(props: TreeProps) {
  return (
    <ul className="font-mono text-xs" data-testid="menu-tree" role="tree">
      {children(props.model, 0).map((c) => (
        <MenuNode key={c} menu={c} depth={0} {...props} />
      ))}
    </ul>
  );
}

const MenuNode = memo(function MenuNode(props: TreeProps & { menu: number; depth: number }) {
  const { model, view, menu, depth } = props;
  const visible = view.menuVisible[menu];
  if (!visible && !props.showHidden) return null;
  const m = model.menus[menu]!;
  const sym = menuSymbol(model, menu);
  const label = menuLabel(model, menu);
  const kids = children(model, menu);
  const open = props.expanded.has(menu);
  const isComment = !sym && m.p !== undefined && m.l === undefined && model.props[m.p]!.t === "comment";
  if (!label && !sym?.name) return null;
  return (
    <li role="treeitem" aria-expanded={kids.length ? open : undefined} data-testid={`menu-${menu}`}>
      <div
        className={`flex items-center gap-1 rounded px-1 py-0.5 hover:bg-zinc-100 ${sym?.name && sym.name === props.selected ? "bg-sky-50 ring-1 ring-sky-300" : ""} ${visible ? "" : "opacity-50"}`}
        style={{ paddingLeft: depth * 14 + 4 }}
      >
        {kids.length ? (
          <button type="button" className="w-4 text-zinc-500" onClick={() => props.onToggle(menu)} aria-label={open ? "collapse" : "expand"} data-testid={`expand-${menu}`}>
            {open ? "▾" : "▸"}
          </button>
        ) : (
          <span className="w-4" />
        )}
        {sym?.name && !sym.choice ? <ValueControl {...props} name={sym.name} index={sym.index} type={sym.type} /> : null}
        <button
          type="button"
          className={`min-w-0 flex-1 truncate text-left ${isComment ? "text-zinc-500 italic" : ""}`}
          onClick={() => (sym?.name ? props.onSelect(sym.name) : kids.length && props.onToggle(menu))}
          data-testid={sym?.name ? `entry-${sym.name}` : undefined}
        >
          <span className="font-sans">{isComment ? `*** ${label} ***` : label}</span>
          {sym?.name && <span className="ml-2 text-zinc-400">{sym.name}</span>}
          {sym?.name && view.assigned.includes(sym.name) && <span className="ml-1 text-sky-700" title="set by you">●</span>}
        </button>
      </div>
      {open && kids.length > 0 && (
        <ul role="group">
          {kids.map((c) => (
            <MenuNode key={c} {...props} menu={c} depth={depth + 1} />
          ))}
        </ul>
      )}
    </li>
  );
});

/** The value: a selector where the user may choose, the value as text where not. */
export function ValueControl(props: { view: SessionView; name: string; index: number; type: string; onSet(symbol: string, value: string): void }) {
  const value = props.view.values[props.index] ?? "";
  const choices = props.view.choices[props.index] ?? "";
  if ((props.type === "bool" || props.type === "tristate") && choices.length > 1) {
    return (
      <select
        className="rounded border border-zinc-300 bg-white px-0.5 text-xs"
        value={value}
        onChange={(e) => props.onSet(props.name, e.target.value)}
        data-testid={`value-${props.name}`}
        data-value={value}
        aria-label={`CONFIG_${props.name}`}
      >
        {choices.split("").map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    );
  }
  const shown = props.type === "bool" || props.type === "tristate" ? `[${value}]` : `(${value})`;
  return (
    <span className="shrink-0 text-zinc-600" data-testid={`value-${props.name}`} data-value={value}>
      {shown}
    </span>
  );
}
