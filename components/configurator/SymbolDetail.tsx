"use client";

import { useEffect, useState } from "react";
import type { WhyNode } from "@/lib/kconfig/engine/explain";
import type { SessionView, SymbolDetail as Detail } from "@/lib/kconfig/engine/session";
import { ValueControl } from "./MenuTree";

interface Props {
  detail: Detail;
  view: SessionView;
  symbolIndex: number;
  helpUrl: (menus: number[]) => string;
  hasHelp: (menu: number) => boolean;
  onSelect(symbol: string): void;
  onSet(symbol: string, value: string): void;
  onUnset(symbol: string): void;
}

/** Everything about one symbol: value, where it is, what it needs and does, and why it cannot be set. */
export function SymbolDetail({ detail, view, symbolIndex, helpUrl, hasHelp, onSelect, onSet, onUnset }: Props) {
  const help = useHelp(detail.locations.map((l) => l.menu).filter(hasHelp), helpUrl);
  const link = (name: string) => (
    <button type="button" className="font-mono text-sky-700 hover:underline" onClick={() => onSelect(name)} data-testid={`link-${name}`}>
      {name}
    </button>
  );
  return (
    <div className="space-y-3" data-testid="symbol-detail" data-symbol={detail.name}>
      <div>
        <div className="flex flex-wrap items-center gap-2">
          <h2 className="font-mono text-base font-semibold">CONFIG_{detail.name}</h2>
          <span className="rounded bg-zinc-100 px-1.5 text-xs text-zinc-600" data-testid="detail-type">
            {detail.type}
          </span>
          <ValueControl view={view} name={detail.name} index={symbolIndex} type={detail.type} onSet={onSet} />
          {detail.type !== "bool" && detail.type !== "tristate" && detail.choices === "*" && <ValueEditor detail={detail} onSet={onSet} />}
          {detail.assigned && (
            <button type="button" className="text-xs text-sky-700 hover:underline" onClick={() => onUnset(detail.name)} data-testid="detail-unset">
              forget my value
            </button>
          )}
        </div>
        {detail.prompts.map((p) => (
          <div key={p.at} className="text-zinc-700">
            {p.text}
          </div>
        ))}
        <div className="text-xs text-zinc-500" data-testid="detail-value">
          value <span className="font-mono">{detail.value || '""'}</span> · default <span className="font-mono">{detail.defaultValue || '""'}</span>
          {detail.assigned ? " · set by you" : ""}
        </div>
      </div>

      <Section title="Where">
        {detail.locations.map((l) => (
          <div key={l.at} className="text-xs">
            <span data-testid="symbol-path">{[...l.path, detail.prompts[0]?.text ?? detail.name].join(" → ")}</span>
            <span className="ml-2 font-mono text-zinc-500" data-testid="symbol-location">
              {l.at}
            </span>
          </div>
        ))}
      </Section>

      {(detail.whyNotOn || detail.whyNotOff) && (
        <Section title={detail.whyNotOn ? "Why it cannot be switched on" : "Why it cannot be switched off"}>
          <div data-testid="why-not">
            <WhyTree node={(detail.whyNotOn ?? detail.whyNotOff)!} onSelect={onSelect} />
          </div>
        </Section>
      )}

      <Section title="Help">
        <div data-testid="symbol-help">
          {help === null ? (
            <span className="text-xs text-zinc-400">loading…</span>
          ) : Object.keys(help).length ? (
            Object.values(help).map((h, i) => (
              <pre key={i} className="text-xs whitespace-pre-wrap text-zinc-700">
                {h}
              </pre>
            ))
          ) : (
            <span className="text-xs text-zinc-400">no help text</span>
          )}
        </div>
      </Section>

      <Section title="Depends on">
        {detail.dependsOn ? <Expr text={detail.dependsOn.text} value={detail.dependsOn.value} testId="detail-depends" /> : <span className="text-xs text-zinc-400">nothing</span>}
      </Section>

      {(detail.selects.length > 0 || detail.implies.length > 0) && (
        <Section title="Selects and implies">
          <ul className="space-y-0.5 text-xs" data-testid="detail-selects">
            {[...detail.selects.map((r) => ({ ...r, kind: "select" })), ...detail.implies.map((r) => ({ ...r, kind: "imply" }))].map((r) => (
              <li key={`${r.kind}-${r.symbol}-${r.condition ?? ""}`}>
                <span className="text-zinc-500">{r.kind}</span> {link(r.symbol)} <Value v={r.value} />
                {r.condition && (
                  <span className="text-zinc-500">
                    {" "}
                    if <span className="font-mono">{r.condition}</span> <Value v={r.conditionValue!} />
                  </span>
                )}
              </li>
            ))}
          </ul>
        </Section>
      )}

      {(detail.selectedBy.length > 0 || detail.impliedBy.length > 0) && (
        <Section title="Selected or implied by">
          <ul className="space-y-0.5 text-xs" data-testid="detail-selected-by">
            {detail.selectedBy.map((s) => (
              <li key={`s-${s.text}`}>
                <span className="text-zinc-500">selected by</span> <Expr text={s.text} value={s.value} />
              </li>
            ))}
            {detail.impliedBy.map((s) => (
              <li key={`i-${s.text}`}>
                <span className="text-zinc-500">implied by</span> <Expr text={s.text} value={s.value} />
              </li>
            ))}
          </ul>
        </Section>
      )}

      {detail.defaults.length > 0 && (
        <Section title="Defaults">
          <ul className="space-y-0.5 text-xs">
            {detail.defaults.map((d) => (
              <li key={d.at + d.text}>
                <Expr text={`default ${d.text}`} value={d.value} />
                {d.source && <div className="pl-4 font-mono text-[11px] text-zinc-500">written as: {d.source}</div>}
              </li>
            ))}
          </ul>
        </Section>
      )}
    </div>
  );
}

function ValueEditor({ detail, onSet }: { detail: Detail; onSet(symbol: string, value: string): void }) {
  const [text, setText] = useState(detail.value);
  useEffect(() => setText(detail.value), [detail.value]);
  return (
    <form
      className="inline-flex gap-1"
      onSubmit={(e) => {
        e.preventDefault();
        onSet(detail.name, text);
      }}
    >
      <input className="w-40 rounded border border-zinc-300 px-1 font-mono text-xs" value={text} onChange={(e) => setText(e.target.value)} data-testid="detail-input" />
      <button type="submit" className="rounded border border-zinc-300 px-1.5 text-xs" data-testid="detail-input-set">
        set
      </button>
    </form>
  );
}

/** The why-not tree: failing terms, down to the root cause, with the macro's own words where there are some. */
export function WhyTree({ node, onSelect }: { node: WhyNode; onSelect(symbol: string): void }) {
  return (
    <ul className="ml-3 border-l border-zinc-200 pl-2 text-xs">
      <li data-testid="why-node" data-kind={node.kind}>
        {node.symbol ? (
          <button type="button" className="font-mono text-sky-700 hover:underline" onClick={() => onSelect(node.symbol!)}>
            {node.text}
          </button>
        ) : (
          <span className={node.kind === "macro" || node.kind === "user" ? "font-medium text-amber-800" : "text-zinc-700"}>{node.text}</span>
        )}
        {node.value && !node.symbol && <Value v={node.value} />}
        {node.at && <span className="ml-1 font-mono text-[10px] text-zinc-400">{node.at}</span>}
        {node.source && (
          <div className="font-mono text-[11px] text-zinc-600" data-testid="why-source">
            written as: {node.source}
          </div>
        )}
        {node.macros?.map((m) => (
          <div key={m.command} className="mt-0.5 rounded bg-amber-50 p-1 font-mono text-[11px] text-amber-900" data-testid="why-macro">
            <div className="truncate" title={m.command}>
              $ {m.command}
            </div>
            <div>→ {m.output || '""'}</div>
            {m.diagnostic && <pre className="mt-0.5 whitespace-pre-wrap text-amber-950" data-testid="why-diagnostic">{m.diagnostic}</pre>}
          </div>
        ))}
        {node.children.map((c, i) => (
          <WhyTree key={i} node={c} onSelect={onSelect} />
        ))}
      </li>
    </ul>
  );
}

function useHelp(menus: number[], helpUrl: (menus: number[]) => string): Record<number, string> | null {
  const [help, setHelp] = useState<Record<number, string> | null>(null);
  const key = menus.join(",");
  useEffect(() => {
    if (!key) {
      setHelp({});
      return;
    }
    let stopped = false;
    setHelp(null);
    fetch(helpUrl(key.split(",").map(Number)))
      .then((r) => (r.ok ? r.json() : { help: {} }))
      .then((b: { help: Record<number, string> }) => !stopped && setHelp(b.help))
      .catch(() => !stopped && setHelp({}));
    return () => {
      stopped = true;
    };
  }, [key, helpUrl]);
  return help;
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section>
      <h3 className="mb-1 text-[11px] font-semibold tracking-wide text-zinc-500 uppercase">{title}</h3>
      {children}
    </section>
  );
}

function Value({ v }: { v: string }) {
  const cls = v === "y" ? "bg-emerald-100 text-emerald-800" : v === "m" ? "bg-sky-100 text-sky-800" : v === "n" ? "bg-zinc-200 text-zinc-700" : "bg-zinc-100";
  return <span className={`ml-1 rounded px-1 font-mono text-[10px] ${cls}`}>{v}</span>;
}

function Expr({ text, value, testId }: { text: string; value: string; testId?: string }) {
  return (
    <span className="text-xs" data-testid={testId}>
      <span className="font-mono">{text}</span> <Value v={value} />
    </span>
  );
}
