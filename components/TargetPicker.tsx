"use client";

import { type TargetInfo, targetHints, toggleTarget } from "./buildRequest";

/**
 * One checkbox per build target. Checking a target checks what it depends on;
 * unchecking one unchecks what depends on it. None checked: configure only.
 */
export function TargetPicker({
  catalogue,
  selected,
  onChange,
}: {
  catalogue: readonly TargetInfo[];
  selected: readonly string[];
  onChange: (next: string[]) => void;
}) {
  return (
    <div>
      <div className="grid gap-2 sm:grid-cols-2">
        {catalogue.map((t) => {
          const checked = selected.includes(t.name);
          const hints = targetHints(catalogue, t);
          return (
            <label
              key={t.name}
              className={`flex cursor-pointer items-start gap-2 rounded border p-2 ${
                checked ? "border-emerald-500 bg-emerald-50/60 ring-1 ring-emerald-500" : "border-zinc-200 hover:border-zinc-300"
              }`}
            >
              <input
                type="checkbox"
                data-testid={`target-${t.name}`}
                className="mt-0.5 h-4 w-4 accent-emerald-700"
                checked={checked}
                onChange={(e) => onChange(toggleTarget(catalogue, selected, t.name, e.target.checked))}
              />
              <span className="min-w-0">
                <span className="block">
                  <span className="font-medium">{t.title}</span>
                  <span className="ml-1.5 font-mono text-[11px] text-zinc-500">{t.name}</span>
                </span>
                <span className="block text-xs text-zinc-600">{t.description}</span>
                {hints.length > 0 && (
                  <span className="mt-1 flex flex-wrap gap-1">
                    {hints.map((h) => (
                      <span key={h} className="rounded bg-zinc-100 px-1.5 py-px font-mono text-[11px] text-zinc-700">
                        {h}
                      </span>
                    ))}
                  </span>
                )}
              </span>
            </label>
          );
        })}
      </div>
      {selected.length === 0 && (
        <p className="mt-3 rounded border border-sky-200 bg-sky-50 p-2 text-xs text-sky-900" data-testid="configure-only-note">
          <span className="font-medium">Configure-only build:</span> no target is checked, so the build resolves the .config (and reports
          which requested options took effect) without compiling anything.
        </p>
      )}
    </div>
  );
}
