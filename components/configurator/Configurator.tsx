"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Assignment, SessionView, SetResult, SymbolDetail as Detail } from "@/lib/kconfig/engine/session";
import { MODEL_BASES } from "@/lib/kconfig/model/types";
import type { BaseTarget, RustSamples } from "../buildRequest";
import { saveHandoff } from "./handoff";
import { MenuTree } from "./MenuTree";
import { menuOfSymbol, search, symbolIndexOf } from "./modelView";
import type { FromWorker, ToWorker } from "./protocol";
import { SymbolDetail } from "./SymbolDetail";
import { useModel } from "./useModel";

interface Props {
  source: string;
  version: string | null;
  profiles: { id: string; title: string }[];
  initialProfile: string;
  initialBase: BaseTarget;
  rustSamples: RustSamples;
}

type LastChange = SetResult & { action: string };

const HELP_FETCH_DELAY_MS = 400;

/**
 * menuconfig in the browser: the tree's model comes from the server (prepared
 * by a worker in the profile's sandbox), and a Web Worker evaluates it.
 */
export function Configurator(props: Props) {
  const router = useRouter();
  const [profile, setProfile] = useState(props.initialProfile);
  const [base, setBase] = useState<BaseTarget | "upload">(props.initialBase);
  // The user's own .config to start from (base "upload").
  const [upload, setUpload] = useState<{ fileName: string; text: string } | null>(null);
  const [baseWarnings, setBaseWarnings] = useState<{ line: number; text: string; message: string }[]>([]);
  const arch = "x86_64";
  const worker = useRef<Worker | null>(null);
  const selectedRef = useRef<string | null>(null);
  const [view, setView] = useState<SessionView | null>(null);
  const [options, setOptions] = useState<Assignment[]>([]);
  const [last, setLast] = useState<LastChange | null>(null);
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);

  // One Web Worker for the page's life, started by the first message: it holds the parsed tree and the session.
  const workerNow = useCallback((): Worker => {
    if (worker.current) return worker.current;
    const w = new Worker(new URL("./kconfig.worker.ts", import.meta.url), { type: "module" });
    worker.current = w;
    w.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      if (m.type === "state") {
        if (m.timings) performance.mark("kconfig:evaluated", { detail: m.timings });
        setView(m.view);
        setOptions(m.options);
        if (m.result) setLast(m.result);
        if (m.baseWarnings) setBaseWarnings(m.baseWarnings);
        setError(null);
        // The detail shows values: ask again after every change.
        if (selectedRef.current) w.postMessage({ type: "detail", symbol: selectedRef.current } satisfies ToWorker);
      } else if (m.type === "detail") setDetail(m.detail);
      else setError(m.message);
    };
    return w;
  }, []);
  useEffect(
    () => () => {
      worker.current?.terminate();
      worker.current = null;
    },
    [],
  );
  const send = useCallback((m: ToWorker) => workerNow().postMessage(m), [workerNow]);

  // The Web Worker fetches the whole model while the page reads its outline (see useModel).
  const loadIntoWorker = useCallback(
    (url: string) => {
      send({ type: "load", url });
      if (!performance.getEntriesByName("kconfig:worker-load-posted").length) performance.mark("kconfig:worker-load-posted");
    },
    [send],
  );
  const { load, retry } = useModel(props.source, arch, profile, loadIntoWorker);
  const model = load.status === "ready" ? load.model : null;

  const [selected, setSelected] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<Set<number>>(new Set());
  const [query, setQuery] = useState("");
  const [allHelp, setAllHelp] = useState<Record<number, string> | null>(null);
  const [showHidden, setShowHidden] = useState(false);
  selectedRef.current = selected;

  // A session for the base: after the model has loaded, and again when the base changes.
  useEffect(() => {
    if (!model) return;
    setBaseWarnings([]);
    setView(null);
    setDetail(null);
    setLast(null);
    if (base === "upload" && !upload) return;
    const text = base === "upload" ? upload!.text : model.bases[base];
    if (text === undefined) {
      setError(`the ${base} base could not be resolved: ${model.baseErrors[base as BaseTarget] ?? "unknown reason"}`);
      return;
    }
    send({ type: "init", base: text });
    performance.mark("kconfig:worker-init-posted");
  }, [model, base, upload, send]);

  const select = useCallback(
    (symbol: string) => {
      setSelected(symbol);
      send({ type: "detail", symbol });
      if (!model) return;
      // Open the menus down to it.
      const menu = menuOfSymbol(model.outline, symbol);
      if (menu === null) return;
      setExpanded((prev) => {
        const next = new Set(prev);
        for (let m = model.outline.menus[menu]!.up; m !== undefined; m = model.outline.menus[m]!.up) next.add(m);
        return next;
      });
    },
    [model, send],
  );
  const set = useCallback((symbol: string, value: string) => send({ type: "set", symbol, value }), [send]);
  const unset = useCallback((symbol: string) => send({ type: "unset", symbol }), [send]);
  const toggle = useCallback((menu: number) => setExpanded((prev) => {
    const next = new Set(prev);
    if (next.has(menu)) next.delete(menu);
    else next.add(menu);
    return next;
  }), []);

  // Help text is searched once someone searches: it is fetched then, all at once, after a pause
  // in typing, so that the first matches by name and prompt come without waiting on megabytes of help.
  const helpUrl = useCallback(
    (menus: number[] | "all") => `/api/v1/sources/${encodeURIComponent(props.source)}/kconfig/help?arch=${arch}&profile=${encodeURIComponent(profile)}&menus=${menus === "all" ? "all" : menus.join(",")}`,
    [props.source, profile],
  );
  useEffect(() => {
    if (!query.trim() || allHelp || !model) return;
    let stopped = false;
    const timer = setTimeout(() => {
      fetch(helpUrl("all"))
        .then((r) => (r.ok ? r.json() : null))
        .then((b) => !stopped && b && setAllHelp(b.help))
        .catch(() => {});
    }, HELP_FETCH_DELAY_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [query, allHelp, model, helpUrl]);
  const hits = useMemo(() => (model ? search(model.outline, query, allHelp) : []), [model, query, allHelp]);

  const symbolIndex = (name: string) => (model ? symbolIndexOf(model.outline, name) : -1);
  const valueOf = (name: string) => {
    const i = symbolIndex(name);
    return i >= 0 && view ? view.values[i] : undefined;
  };

  // Quick toggles: Rust support, and the tree's Rust samples with what they need.
  const rustOn = valueOf("RUST") === "y";
  const modulesOn = valueOf("MODULES") === "y";
  const samplesOn = props.rustSamples.samples.some((s) => (valueOf(s.symbol) ?? "n") !== "n");
  const toggleRust = (on: boolean) => {
    if (on) send({ type: "set", symbol: "RUST", value: "y" });
    else send({ type: "setMany", values: [...props.rustSamples.samples.map((s) => ({ symbol: s.symbol, value: "n" })), { symbol: "RUST", value: "n" }] });
    select("RUST");
  };
  const toggleSamples = (on: boolean) => {
    const values: Assignment[] = on
      ? [
          { symbol: "RUST", value: "y" },
          ...props.rustSamples.enable.map((symbol) => ({ symbol, value: "y" })),
          ...(props.rustSamples.menuSymbol && !props.rustSamples.enable.includes(props.rustSamples.menuSymbol) ? [{ symbol: props.rustSamples.menuSymbol, value: "y" }] : []),
          ...props.rustSamples.samples.map((s) => ({ symbol: s.symbol, value: s.type === "tristate" && modulesOn ? "m" : "y" })),
        ]
      : props.rustSamples.samples.map((s) => ({ symbol: s.symbol, value: "n" }));
    send({ type: "setMany", values });
    if (props.rustSamples.samples[0]) select(props.rustSamples.samples[0].symbol);
  };

  const useInBuild = () => {
    saveHandoff({ source: props.source, profile, base, ...(base === "upload" && upload ? { upload } : {}), options });
    router.push("/builds/new?from=configurator");
  };

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-4 rounded-md border border-zinc-200 bg-white p-3">
        <div>
          <div className="text-xs text-zinc-500">Kernel source</div>
          <div className="font-mono" data-testid="configurator-source">
            {props.source}
            {props.version ? ` — ${props.version}` : ""} · {arch}
          </div>
        </div>
        <label className="block">
          <span className="block text-xs text-zinc-500">Toolchain profile</span>
          <select className="rounded border border-zinc-300 bg-white px-1 py-0.5" value={profile} onChange={(e) => setProfile(e.target.value)} data-testid="configurator-profile">
            {props.profiles.map((p) => (
              <option key={p.id} value={p.id}>
                {p.title}
              </option>
            ))}
          </select>
        </label>
        <label className="block">
          <span className="block text-xs text-zinc-500">Start from</span>
          <select className="rounded border border-zinc-300 bg-white px-1 py-0.5" value={base} onChange={(e) => setBase(e.target.value as BaseTarget | "upload")} data-testid="configurator-base">
            {MODEL_BASES.map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
            <option value="upload">your own .config…</option>
          </select>
        </label>
        {base === "upload" && (
          <label className="block">
            <span className="block text-xs text-zinc-500">.config to start from{upload ? `: ${upload.fileName}` : ""}</span>
            <input
              type="file"
              className="text-xs"
              onChange={async (e) => {
                const file = e.target.files?.[0];
                if (file) setUpload({ fileName: file.name, text: await file.text() });
              }}
              data-testid="configurator-upload"
            />
          </label>
        )}
        <div className="ml-auto flex items-center gap-2">
          <span className="text-xs text-zinc-600" data-testid="configurator-option-count">
            {options.length} option{options.length === 1 ? "" : "s"} set
          </span>
          <button type="button" className="rounded border border-zinc-300 px-2 py-1 text-xs" onClick={() => send({ type: "clear" })} disabled={!view} data-testid="configurator-clear">
            Start over
          </button>
          <button
            type="button"
            className="rounded-md bg-emerald-700 px-3 py-1 font-medium text-white disabled:bg-zinc-300"
            onClick={useInBuild}
            disabled={!view}
            data-testid="configurator-use"
          >
            Use in a new build
          </button>
        </div>
      </div>

      {load.status !== "ready" && <ModelStatus load={load} retry={retry} />}
      {error && (
        <div className="rounded border border-red-300 bg-red-50 p-2 text-red-900" role="alert" data-testid="configurator-error">
          {error}
        </div>
      )}

      {model && !view && !error && (
        <div className="text-zinc-500" data-testid="configurator-evaluating">
          {base === "upload" && !upload ? "Choose the .config to start from." : "Evaluating the tree…"}
        </div>
      )}
      {base === "upload" && upload && baseWarnings.length > 0 && (
        <details className="rounded border border-amber-300 bg-amber-50 p-2 text-xs text-amber-900" data-testid="configurator-upload-warnings">
          <summary>
            {baseWarnings.length} line{baseWarnings.length === 1 ? "" : "s"} of {upload.fileName} could not be used as written
          </summary>
          <ul className="mt-1 font-mono">
            {baseWarnings.slice(0, 200).map((w) => (
              <li key={w.line}>
                line {w.line}: {w.message} <span className="text-amber-700">({w.text})</span>
              </li>
            ))}
          </ul>
        </details>
      )}

      {model && view && (
        <div className="grid gap-3 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
          <div className="space-y-2">
            <div className="flex flex-wrap items-center gap-4 rounded-md border border-zinc-200 bg-white p-2" data-testid="quick-toggles">
              <label className="inline-flex items-center gap-1.5">
                <input type="checkbox" className="accent-emerald-700" checked={rustOn} onChange={(e) => toggleRust(e.target.checked)} data-testid="quick-rust" />
                Rust support <span className="font-mono text-xs text-zinc-500">CONFIG_RUST</span>
              </label>
              {props.rustSamples.samples.length > 0 && (
                <label className="inline-flex items-center gap-1.5">
                  <input type="checkbox" className="accent-emerald-700" checked={samplesOn} onChange={(e) => toggleSamples(e.target.checked)} data-testid="quick-rust-samples" />
                  Rust samples <span className="text-xs text-zinc-500">({props.rustSamples.samples.map((s) => s.symbol).join(", ")})</span>
                </label>
              )}
              <label className="ml-auto inline-flex items-center gap-1 text-xs text-zinc-500">
                <input type="checkbox" checked={showHidden} onChange={(e) => setShowHidden(e.target.checked)} data-testid="show-hidden" />
                show hidden entries
              </label>
            </div>
            <input
              type="search"
              className="block w-full rounded border border-zinc-300 px-2 py-1"
              placeholder="Search names, prompts and help (e.g. RUST)"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              data-testid="kconfig-search"
            />
            <div className="max-h-[70vh] overflow-auto rounded-md border border-zinc-200 bg-white p-1">
              {query.trim() ? (
                <ul className="text-xs" data-testid="search-results">
                  {hits.length === 0 && <li className="p-2 text-zinc-500">nothing matches</li>}
                  {hits.map((h) => (
                    <li key={h.menu}>
                      <button
                        type="button"
                        className={`block w-full rounded px-1 py-0.5 text-left hover:bg-zinc-100 ${h.name === selected ? "bg-sky-50" : ""}`}
                        onClick={() => h.name && select(h.name)}
                        data-testid={h.name ? `result-${h.name}` : undefined}
                      >
                        <span className="font-mono">{h.name ?? ""}</span> <span>{h.label !== h.name ? h.label : ""}</span>
                        {h.name && <span className="ml-1 font-mono text-zinc-500">= {valueOf(h.name) || '""'}</span>}
                        {h.field === "help" && <span className="ml-1 text-zinc-400">(in help)</span>}
                        <span className="block text-[10px] text-zinc-400">{h.path.join(" → ") || "top level"}</span>
                      </button>
                    </li>
                  ))}
                </ul>
              ) : (
                <MenuTree model={model.outline} view={view} expanded={expanded} selected={selected} showHidden={showHidden} onToggle={toggle} onSelect={select} onSet={set} />
              )}
            </div>
          </div>

          <div className="space-y-3">
            {last && <LastChangePanel last={last} onSelect={select} />}
            <div className="rounded-md border border-zinc-200 bg-white p-3">
              {detail ? (
                <SymbolDetail
                  detail={detail}
                  view={view}
                  symbolIndex={symbolIndex(detail.name)}
                  helpUrl={helpUrl}
                  hasHelp={(m) => model.outline.menus[m]?.h === 1}
                  onSelect={select}
                  onSet={set}
                  onUnset={unset}
                />
              ) : (
                <p className="text-zinc-500">Choose an entry to see its value, dependencies and help.</p>
              )}
            </div>
            <div className="rounded-md border border-zinc-200 bg-white p-3">
              <div className="mb-1 text-xs font-semibold text-zinc-500 uppercase">Options for the build</div>
              {options.length ? (
                <pre className="max-h-48 overflow-auto font-mono text-xs" data-testid="configurator-options">
                  {options.map((o) => (o.value === "n" ? `# CONFIG_${o.symbol} is not set` : `CONFIG_${o.symbol}=${o.value}`)).join("\n")}
                </pre>
              ) : (
                <p className="text-xs text-zinc-500">None yet: the {base} base as it is.</p>
              )}
            </div>
          </div>
        </div>
      )}
    </div>
  );
}

function ModelStatus({ load, retry }: { load: Exclude<ReturnType<typeof useModel>["load"], { status: "ready" }>; retry: () => void }) {
  if (load.status === "failed") {
    return (
      <div className="rounded border border-red-300 bg-red-50 p-3 text-red-900" role="alert" data-testid="model-failed">
        <div>{load.error}</div>
        <button type="button" className="mt-2 rounded border border-red-400 px-2 py-0.5 text-xs" onClick={retry} data-testid="model-retry">
          Try again
        </button>
      </div>
    );
  }
  return (
    <div className="rounded border border-sky-200 bg-sky-50 p-3 text-sky-900" data-testid="model-progress" data-stage={load.status === "preparing" ? load.progress.stage : "loading"}>
      {load.status === "loading" ? (
        "Loading the Kconfig model…"
      ) : (
        <>
          Preparing this tree&apos;s Kconfig model for the toolchain: {load.progress.message}
          {load.progress.commands !== undefined ? ` (${load.progress.commands} commands so far)` : ""}. This happens once per source and profile.
        </>
      )}
    </div>
  );
}

function LastChangePanel({ last, onSelect }: { last: LastChange; onSelect(symbol: string): void }) {
  return (
    <div className={`rounded-md border p-3 ${last.ok ? "border-zinc-200 bg-white" : "border-amber-300 bg-amber-50"}`} data-testid="what-changed">
      <div className="text-xs">
        <span className="font-mono">{last.action}</span>
        {last.ok ? `: ${last.changes.length} value${last.changes.length === 1 ? "" : "s"} changed` : ""}
      </div>
      {!last.ok && last.error && (
        <div className="text-xs text-amber-900" data-testid="set-error">
          {last.error}
        </div>
      )}
      {last.changes.length > 0 && (
        <ul className="mt-1 max-h-40 overflow-auto font-mono text-xs">
          {last.changes.map((c) => (
            <li key={c.symbol} data-testid={`changed-${c.symbol}`}>
              <button type="button" className="text-sky-700 hover:underline" onClick={() => onSelect(c.symbol)}>
                {c.symbol}
              </button>{" "}
              {c.before || '""'} → {c.after || '""'}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
