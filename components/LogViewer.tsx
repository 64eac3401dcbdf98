"use client";

import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from "react";
import { type AnsiStyle, parseAnsi, segments } from "@/lib/logs/view/ansi";
import { LogLayout, type Row, WrappedPrefix, sectionOfLine } from "@/lib/logs/view/layout";
import { LineStore, searchInSlices } from "@/lib/logs/view/line-store";
import { formatDuration } from "./format";

/**
 * A build's live log. Lines arrive over Server-Sent Events
 * (/api/v1/builds/<id>/log) into a LineStore (compact text + offsets, see
 * lib/logs/view/line-store.ts); incoming events are coalesced for FLUSH_MS.
 *
 * Up to FULL_RENDER_LINES lines every row is in the DOM: a few thousand rows
 * cost little, and the browser's own find-in-page still sees the whole log.
 * Past that the log is virtualized: only the rows in view (± OVERSCAN_PX) are
 * rendered, placed by a LogLayout (lib/logs/view/layout.ts). Without wrap
 * every line is LINE_PX high. With wrap, heights are estimated from line
 * lengths rather than measured: the font is monospaced and lines wrap
 * anywhere, so the estimate is right for almost every line, it costs one pass
 * over a million lengths instead of rendering them, and rows on screen are
 * laid out in normal flow so a wrong estimate shifts the rows below it
 * instead of overlapping them.
 */

const FLUSH_MS = 80;
const LINE_PX = 20;
const HEADER_PX = 24;
const FULL_RENDER_LINES = 5_000;
const OVERSCAN_PX = 800;
/** Browsers cap an element's height (Chromium near 33.5 million px); taller logs map scroll positions proportionally. */
const MAX_SCROLL_PX = 15_000_000;
/** Width of the line-number gutter (.log-ln) and of the time column (.log-time), for the wrap estimate. */
const GUTTER_PX = 72;
const TIME_PX = 80;
/** How long to wait before reconnecting when the server refused the stream (EventSource gives up by itself then). */
const RETRY_MS = 5000;

type ConnState = "connecting" | "live" | "reconnecting" | "ended" | "unavailable";

/** What the viewer knows of a step: its name, and where the build recorded them its status and times. */
export interface LogStep {
  name: string;
  status?: string;
  startedAt?: string | null;
  finishedAt?: string | null;
}

export interface LogViewerProps {
  buildId: string;
  /** Steps by step index, for section headers. Keep its identity stable while they do not change. */
  steps: Record<number, LogStep>;
  /** Called once when the server says the build has ended. */
  onEnd?: (status: string) => void;
  /** The log's URL when it is not the build's own (a boot test's console). */
  logUrl?: string;
  /** Where the gzip-compressed log is downloaded from; no gzip download without it. */
  gzipUrl?: string;
  /** When the build started (ISO time): line times are shown relative to it (else to the first line). */
  startedAt?: string | null;
}

/** Gives the page a turn (input, paint) before a long task goes on: a message is not throttled like setTimeout(0). */
function yieldToPage(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(null);
  });
}

export function LogViewer({ buildId, steps, onEnd, logUrl, gzipUrl, startedAt }: LogViewerProps) {
  const url = logUrl ?? `/api/v1/builds/${encodeURIComponent(buildId)}/log`;
  const storeRef = useRef(new LineStore());
  const store = storeRef.current;
  /** Bumped whenever lines were added: the store itself is mutable. */
  const [rev, setRev] = useState(0);
  const [conn, setConn] = useState<ConnState>("connecting");
  const [endStatus, setEndStatus] = useState<string | null>(null);
  const [following, setFollowing] = useState(true);
  const [query, setQuery] = useState("");
  const [matches, setMatches] = useState<number[]>([]);
  const [searching, setSearching] = useState(false);
  /** The match shown, or -1 before the first since the query changed. */
  const [current, setCurrent] = useState(-1);
  const [wrap, setWrap] = useState(true);
  const [showTimes, setShowTimes] = useState(false);
  /** Sections (by index in store.sections) whose lines are hidden. Every section starts expanded, a failed step's included. */
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(new Set());
  /** The marked line (permalink, search match, diagnostic link). */
  const [target, setTarget] = useState<number | null>(null);
  const [view, setView] = useState({ top: 0, height: 600, width: 800 });
  const [charPx, setCharPx] = useState(7.2);
  const [, forceRender] = useReducer((n: number) => n + 1, 0);

  const scrollRef = useRef<HTMLDivElement>(null);
  const measureRef = useRef<HTMLSpanElement>(null);
  const followingRef = useRef(true);
  const lastTopRef = useRef(0);
  const targetSeqRef = useRef<number | null>(null);
  const targetStepRef = useRef<number | null>(null);
  /** A line to bring into view: first by the layout's estimate, then exactly once its row exists. */
  const pendingScrollRef = useRef<{ line: number; exact: boolean } | null>(null);
  const searchedUpToRef = useRef(0);
  const onEndRef = useRef(onEnd);
  useEffect(() => {
    onEndRef.current = onEnd;
  }, [onEnd]);

  const setFollow = useCallback((value: boolean) => {
    if (followingRef.current === value) return;
    followingRef.current = value;
    setFollowing(value);
  }, []);

  const virtual = store.length > FULL_RENDER_LINES;
  // Wrapped heights grow with the log (one store per viewer): each flush measures only its new lines.
  const wrappedPrefixRef = useRef<WrappedPrefix | null>(null);
  wrappedPrefixRef.current ??= new WrappedPrefix(LINE_PX);
  const textPx = Math.max(100, view.width - GUTTER_PX - (showTimes ? TIME_PX : 0) - 16);
  const columns = Math.floor(textPx / charPx);
  const layout = useMemo(
    () =>
      new LogLayout({
        sections: store.sections,
        collapsed,
        headerPx: HEADER_PX,
        linePx: LINE_PX,
        prefix: virtual && wrap ? wrappedPrefixRef.current!.update(store.length, (i) => store.textLength(i), columns) : undefined,
      }),
    // rev: the store grew.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [store, rev, collapsed, virtual, wrap, columns],
  );
  const scrollPx = Math.min(layout.total, MAX_SCROLL_PX);
  /** Layout pixels per scrolled pixel: 1 unless the log is taller than MAX_SCROLL_PX. */
  const ratio = layout.total > MAX_SCROLL_PX ? (layout.total - view.height) / (MAX_SCROLL_PX - view.height) : 1;

  /** Shows a line: expands its section, marks it and scrolls it to the middle. */
  const showLine = useCallback(
    (line: number) => {
      const section = sectionOfLine(store.sections, line);
      if (section < 0) return;
      setFollow(false);
      setCollapsed((c) => {
        if (!c.has(section)) return c;
        const next = new Set(c);
        next.delete(section);
        return next;
      });
      setTarget(line);
      pendingScrollRef.current = { line, exact: false };
      forceRender();
    },
    [store, setFollow],
  );

  const showStep = useCallback(
    (step: number) => {
      const section = store.sections.findIndex((s) => s.step === step);
      if (section < 0) return false;
      setFollow(false);
      const header = document.getElementById(`log-step-${step}`);
      const el = scrollRef.current;
      if (header) header.scrollIntoView({ block: "start" });
      else if (el) el.scrollTop = layout.top({ kind: "header", section }) / ratio;
      return true;
    },
    [store, layout, ratio, setFollow],
  );

  // A permalink (#L123) or a step's anchor (#log-step-2), on opening the page or followed from it
  // (a diagnostic's link): the line is marked and scrolled to, or jumped to when it arrives.
  const jumpToHash = useCallback(() => {
    const line = /^#L(\d+)$/.exec(window.location.hash);
    const step = /^#log-step-(\d+)$/.exec(window.location.hash);
    if (line) {
      const seq = Number(line[1]);
      const index = store.indexOfSeq(seq);
      setFollow(false);
      if (index < 0) targetSeqRef.current = seq;
      else showLine(index);
    } else if (step && !showStep(Number(step[1]))) {
      targetStepRef.current = Number(step[1]);
    }
  }, [store, showLine, showStep, setFollow]);
  const jumpToHashRef = useRef(jumpToHash);
  useEffect(() => {
    jumpToHashRef.current = jumpToHash;
  }, [jumpToHash]);
  useEffect(() => {
    const onHash = () => jumpToHashRef.current();
    onHash();
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);

  useEffect(() => {
    let es: EventSource | null = null;
    let flushTimer: ReturnType<typeof setTimeout> | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    let stopped = false;
    let pending = false;

    const flush = () => {
      flushTimer = null;
      if (!pending) return;
      pending = false;
      setRev((r) => r + 1);
    };

    const connect = () => {
      // A new EventSource starts without Last-Event-ID, so say where to resume.
      const after = store.length ? store.lastSeq : 0;
      es = new EventSource(`${url}${after ? `?after=${after}` : ""}`);
      es.onopen = () => setConn((c) => (c === "ended" ? c : "live"));
      es.addEventListener("lines", (ev) => {
        let tuples: [number, number, number, string][];
        try {
          tuples = JSON.parse((ev as MessageEvent<string>).data);
        } catch {
          return;
        }
        for (const [seq, t, step, text] of tuples) if (store.append(seq, t, step, text)) pending = true;
        if (flushTimer === null) flushTimer = setTimeout(flush, FLUSH_MS);
      });
      es.addEventListener("end", (ev) => {
        es?.close();
        stopped = true;
        if (flushTimer !== null) clearTimeout(flushTimer);
        flush();
        let status = "ended";
        try {
          status = (JSON.parse((ev as MessageEvent<string>).data) as { status: string }).status;
        } catch {
          // keep "ended"
        }
        setEndStatus(status);
        setConn("ended");
        onEndRef.current?.(status);
      });
      es.onerror = () => {
        if (stopped) return;
        if (es?.readyState === EventSource.CLOSED) {
          // The server refused the stream (e.g. an error status): EventSource will not retry by itself.
          setConn("unavailable");
          retryTimer = setTimeout(() => {
            if (!stopped) connect();
          }, RETRY_MS);
        } else {
          setConn("reconnecting");
        }
      };
    };

    connect();
    return () => {
      stopped = true;
      es?.close();
      if (flushTimer !== null) clearTimeout(flushTimer);
      if (retryTimer !== null) clearTimeout(retryTimer);
    };
  }, [url, store]);

  // The viewport's size, and the width of one character of the log's font (for the wrap estimate).
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const measure = () => {
      setView((v) => (v.height === el.clientHeight && v.width === el.clientWidth ? v : { top: el.scrollTop, height: el.clientHeight, width: el.clientWidth }));
      const m = measureRef.current;
      if (m && m.getBoundingClientRect().width > 0) setCharPx(m.getBoundingClientRect().width / 100);
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // After each render: bring a wanted line into view, or stay at the bottom while following.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const seq = targetSeqRef.current;
    if (seq !== null && store.indexOfSeq(seq) >= 0) {
      targetSeqRef.current = null;
      showLine(store.indexOfSeq(seq));
      return;
    }
    if (targetStepRef.current !== null && showStep(targetStepRef.current)) targetStepRef.current = null;
    const pending = pendingScrollRef.current;
    if (pending) {
      const row = document.getElementById(`L${store.seq(pending.line)}`);
      if (row) {
        pendingScrollRef.current = null;
        row.scrollIntoView({ block: "center" });
      } else if (!pending.exact) {
        // Not rendered yet: scroll to where the layout puts it; the next render has its row.
        pending.exact = true;
        const section = sectionOfLine(store.sections, pending.line);
        const r: Row = { kind: "line", section, line: pending.line };
        el.scrollTop = (layout.top(r) - el.clientHeight / 2) / ratio;
        setView((v) => ({ ...v, top: el.scrollTop }));
      } else {
        pendingScrollRef.current = null;
      }
      lastTopRef.current = el.scrollTop;
      return;
    }
    if (followingRef.current) {
      el.scrollTop = el.scrollHeight;
      lastTopRef.current = el.scrollTop;
      if (Math.abs(view.top - el.scrollTop) > 1) setView((v) => ({ ...v, top: el.scrollTop }));
    }
  });

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
    // Only the user scrolls up (scroll anchoring is off), so moving up pauses following.
    if (atBottom) setFollow(true);
    else if (el.scrollTop < lastTopRef.current - 2) setFollow(false);
    lastTopRef.current = el.scrollTop;
    if (virtual) setView((v) => (v.top === el.scrollTop ? v : { ...v, top: el.scrollTop }));
  };

  // Search: every line holding the query (case-insensitive), in log order, a slice at a time so that the page
  // never freezes; lines that arrive later are searched as they come.
  const needle = query.trim().toLowerCase();
  useEffect(() => {
    if (!needle) {
      setMatches([]);
      setSearching(false);
      return;
    }
    const abort = new AbortController();
    const upTo = store.length;
    setSearching(true);
    void searchInSlices(store, needle, { signal: abort.signal, yieldToPage }).then((found) => {
      if (!found) return;
      searchedUpToRef.current = upTo;
      const kept = found.filter((i) => i < upTo).concat(store.searchFrom(upTo, needle));
      searchedUpToRef.current = store.length;
      setMatches(kept);
      setSearching(false);
    });
    return () => abort.abort();
  }, [needle, store]);
  useEffect(() => {
    if (!needle || searching || searchedUpToRef.current >= store.length) return;
    const added = store.searchFrom(searchedUpToRef.current, needle);
    searchedUpToRef.current = store.length;
    if (added.length) setMatches((m) => m.concat(added));
  }, [rev, needle, searching, store]);

  const showMatch = (index: number) => {
    if (!matches.length) return;
    const i = ((index % matches.length) + matches.length) % matches.length;
    setCurrent(i);
    showLine(matches[i]!);
  };
  const nextMatch = () => showMatch(current + 1);
  const previousMatch = () => showMatch(current < 0 ? -1 : current - 1);

  const follow = () => {
    setFollow(true);
    const el = scrollRef.current;
    if (el) {
      el.scrollTop = el.scrollHeight;
      lastTopRef.current = el.scrollTop;
    }
  };

  const toggleSection = useCallback((section: number) => {
    setCollapsed((c) => {
      const next = new Set(c);
      if (!next.delete(section)) next.add(section);
      return next;
    });
  }, []);

  // The rows to render: all of them for a small log, else those in view and a margin around them.
  const viewTop = view.top * ratio;
  const rows = virtual ? layout.rowsBetween(viewTop - OVERSCAN_PX, viewTop + view.height + OVERSCAN_PX) : layout.rowsBetween(0, Infinity);
  const offset = virtual && rows.length ? view.top + (layout.top(rows[0]!) - viewTop) : 0;
  const origin = startedAt ? Date.parse(startedAt) : store.length ? store.time(0) : 0;
  const lineCount = store.length;

  return (
    <section className="overflow-hidden rounded-md border border-zinc-800 bg-zinc-950" data-testid="log-viewer" data-state={conn} data-virtual={virtual}>
      <div className="flex flex-wrap items-center gap-3 border-b border-zinc-800 bg-zinc-900 px-3 py-1.5 text-xs text-zinc-300">
        <span className="font-semibold text-zinc-100">Log</span>
        <ConnIndicator conn={conn} endStatus={endStatus} />
        <span className="text-zinc-500" data-testid="log-line-count">
          {lineCount.toLocaleString("en-US")} line{lineCount === 1 ? "" : "s"}
        </span>
        <span className="ml-auto flex flex-wrap items-center gap-3">
          <span className="flex items-center gap-1">
            <input
              type="search"
              value={query}
              onChange={(e) => {
                setQuery(e.target.value);
                setCurrent(-1);
              }}
              onKeyDown={(e) => {
                if (e.key === "Enter") (e.shiftKey ? previousMatch : nextMatch)();
              }}
              placeholder="Search the log"
              aria-label="Search the log"
              data-testid="log-search"
              className="w-44 rounded border border-zinc-700 bg-zinc-950 px-1.5 py-0.5 text-zinc-100 placeholder:text-zinc-500"
            />
            {needle && (
              <>
                <span className="w-20 text-right text-zinc-400" data-testid="log-search-count">
                  {searching ? "searching…" : current >= 0 && matches.length ? `${Math.min(current + 1, matches.length)}/${matches.length}` : `${matches.length} found`}
                </span>
                <button type="button" onClick={previousMatch} disabled={!matches.length} data-testid="log-search-prev" aria-label="Previous match" className="rounded px-1 hover:bg-zinc-800 disabled:opacity-40">
                  ↑
                </button>
                <button type="button" onClick={nextMatch} disabled={!matches.length} data-testid="log-search-next" aria-label="Next match" className="rounded px-1 hover:bg-zinc-800 disabled:opacity-40">
                  ↓
                </button>
              </>
            )}
          </span>
          <label className="flex items-center gap-1 text-zinc-400">
            <input type="checkbox" checked={wrap} onChange={(e) => setWrap(e.target.checked)} data-testid="log-wrap" />
            wrap
          </label>
          <label className="flex items-center gap-1 text-zinc-400">
            <input type="checkbox" checked={showTimes} onChange={(e) => setShowTimes(e.target.checked)} data-testid="log-times" />
            times
          </label>
          {!following && (
            <button type="button" onClick={follow} data-testid="log-follow" className="rounded bg-sky-600 px-2 py-0.5 font-medium text-white hover:bg-sky-500">
              Follow ↓
            </button>
          )}
          <a href={`${url}?format=text`} target="_blank" rel="noreferrer" className="text-sky-400 hover:underline" data-testid="raw-log">
            Raw log
          </a>
          <a href={`${url}?format=text`} download={`build-${buildId}.log`} className="text-sky-400 hover:underline" data-testid="log-download">
            .log
          </a>
          {gzipUrl && (
            <a href={gzipUrl} download={`build-${buildId}.log.gz`} className="text-sky-400 hover:underline" data-testid="log-download-gz">
              .log.gz
            </a>
          )}
        </span>
      </div>
      <div
        ref={scrollRef}
        onScroll={onScroll}
        onClick={(e) => {
          if ((e.target as HTMLElement).classList.contains("log-ln")) setFollow(false);
        }}
        className={`relative h-[65vh] min-h-64 overflow-auto font-mono text-xs text-zinc-200 [overflow-anchor:none] ${wrap ? "" : "log-nowrap"}`}
        role="log"
        aria-live="off"
      >
        <span ref={measureRef} aria-hidden className="pointer-events-none invisible absolute top-0 left-0 whitespace-pre">
          {"0".repeat(100)}
        </span>
        {lineCount === 0 ? (
          <div className="px-4 py-3 text-zinc-500" data-testid="log-empty">
            {conn === "ended" ? "This build printed no output." : conn === "unavailable" ? "The log is not available right now; retrying…" : "Waiting for output…"}
          </div>
        ) : (
          <div style={virtual ? { height: scrollPx, position: "relative" } : undefined}>
            <div style={virtual ? { position: "absolute", top: offset, left: 0, minWidth: "100%", width: wrap ? "100%" : "max-content" } : undefined}>
              {rows.map((r) =>
                r.kind === "header" ? (
                  <SectionHeader
                    key={`s${r.section}`}
                    section={r.section}
                    store={store}
                    rev={rev}
                    step={steps[store.sections[r.section]!.step]}
                    collapsed={collapsed.has(r.section)}
                    onToggle={toggleSection}
                  />
                ) : (
                  <LineRow
                    key={r.line}
                    seq={store.seq(r.line)}
                    raw={store.raw(r.line)}
                    time={showTimes ? relativeTime(store.time(r.line) - origin) : null}
                    needle={needle}
                    marked={target === r.line}
                  />
                ),
              )}
            </div>
          </div>
        )}
      </div>
    </section>
  );
}

function ConnIndicator({ conn, endStatus }: { conn: ConnState; endStatus: string | null }) {
  const map: Record<ConnState, [string, string]> = {
    connecting: ["bg-zinc-500", "connecting…"],
    live: ["bg-emerald-500 animate-pulse", "live"],
    reconnecting: ["bg-amber-500", "reconnecting…"],
    unavailable: ["bg-red-500", "unavailable"],
    ended: ["bg-zinc-500", endStatus ? `ended (${endStatus})` : "ended"],
  };
  const [dot, label] = map[conn];
  return (
    <span className="inline-flex items-center gap-1.5" data-testid="log-state">
      <span className={`h-1.5 w-1.5 rounded-full ${dot}`} />
      {label}
    </span>
  );
}

const STATUS_CLASS: Record<string, string> = {
  failed: "text-red-400",
  error: "text-red-400",
  running: "text-sky-400",
  succeeded: "text-emerald-400",
  canceled: "text-zinc-400",
  skipped: "text-zinc-500",
};

/**
 * A step's section header: name, status, duration, line count, and a toggle. The duration is the step's own
 * (startedAt → finishedAt) where the build recorded it, else the time between its section's first and last line.
 */
function SectionHeader({ section, store, rev, step, collapsed, onToggle }: { section: number; store: LineStore; rev: number; step: LogStep | undefined; collapsed: boolean; onToggle: (section: number) => void }) {
  void rev; // the section grows with the store
  const s = store.sections[section]!;
  const duration =
    step?.startedAt && step.finishedAt
      ? formatDuration(Date.parse(step.finishedAt) - Date.parse(step.startedAt))
      : step?.status === "running"
        ? null
        : formatDuration(store.time(s.end - 1) - store.time(s.first));
  const lines = s.end - s.first;
  return (
    <div
      id={s.firstOfStep ? `log-step-${s.step}` : undefined}
      style={{ height: HEADER_PX }}
      className="flex items-center gap-2 border-y border-zinc-800 bg-zinc-900 px-3 font-sans text-[11px] font-semibold tracking-wide text-zinc-400"
      data-testid="log-step-header"
      data-step={s.step}
      data-collapsed={collapsed}
    >
      <button type="button" onClick={() => onToggle(section)} aria-expanded={!collapsed} data-testid="log-step-toggle" className="flex min-w-0 items-center gap-1.5 uppercase hover:text-zinc-100">
        <span className="inline-block w-3 text-center">{collapsed ? "▸" : "▾"}</span>
        <span className="truncate" data-testid="log-step-name">
          {step?.name ?? `step ${s.step}`}
        </span>
      </button>
      {step?.status && (
        <span className={`font-normal normal-case ${STATUS_CLASS[step.status] ?? "text-zinc-400"}`} data-testid="log-step-status">
          {step.status}
        </span>
      )}
      <span className="ml-auto font-mono font-normal text-zinc-500" data-testid="log-step-lines">
        {lines.toLocaleString("en-US")} line{lines === 1 ? "" : "s"}
      </span>
      {duration && (
        <span className="font-mono font-normal text-zinc-400" data-testid="log-step-duration">
          {duration}
        </span>
      )}
    </div>
  );
}

/** "+m:ss.s" (or "+h:mm:ss") from the build's start. */
function relativeTime(ms: number): string {
  if (!Number.isFinite(ms)) return "";
  const sign = ms < 0 ? "-" : "+";
  const t = Math.abs(ms) / 1000;
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const s = (t % 60).toFixed(1).padStart(4, "0");
  return h ? `${sign}${h}:${String(m).padStart(2, "0")}:${s}` : `${sign}${m}:${s}`;
}

const LineRow = memo(function LineRow({ seq, raw, time, needle, marked }: { seq: number; raw: string; time: string | null; needle: string; marked: boolean }) {
  const parsed = useMemo(() => parseAnsi(raw), [raw]);
  return (
    <div className={`log-line${marked ? " is-target" : ""}`} id={`L${seq}`} data-testid="log-line" data-seq={seq}>
      <a className="log-ln" href={`#L${seq}`}>
        {seq}
      </a>
      {time !== null && (
        <span className="log-time" data-testid="log-time">
          {time}
        </span>
      )}
      <span className="log-text">
        {segments(parsed, needle).map((seg, k) =>
          seg.match ? (
            <mark key={k} className="log-match" style={styleOf(seg.style)}>
              {seg.text}
            </mark>
          ) : isPlain(seg.style) ? (
            seg.text
          ) : (
            <span key={k} style={styleOf(seg.style)}>
              {seg.text}
            </span>
          ),
        )}
      </span>
    </div>
  );
});

const isPlain = (s: AnsiStyle) => !s.fg && !s.bg && !s.bold && !s.dim && !s.italic && !s.underline;

function styleOf(s: AnsiStyle): React.CSSProperties | undefined {
  if (isPlain(s)) return undefined;
  return {
    color: s.fg,
    backgroundColor: s.bg,
    fontWeight: s.bold ? 700 : undefined,
    opacity: s.dim ? 0.7 : undefined,
    fontStyle: s.italic ? "italic" : undefined,
    textDecoration: s.underline ? "underline" : undefined,
  };
}
