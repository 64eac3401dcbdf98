"use client";

import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { stripAnsi } from "./format";

/**
 * A build's live log. Lines arrive over Server-Sent Events
 * (/api/v1/builds/<id>/log) and are appended in blocks of up to BLOCK_LINES
 * lines: an event costs a re-render of the last block only (memoised blocks
 * are skipped), and incoming events are coalesced for FLUSH_MS, so a log of
 * tens of thousands of lines is built in linear time. Blocks off screen skip
 * layout and paint (content-visibility). Full virtualisation comes later.
 */

const BLOCK_LINES = 1000;
const FLUSH_MS = 80;
const LINE_PX = 20;
/** How long to wait before reconnecting when the server refused the stream (EventSource gives up by itself then). */
const RETRY_MS = 5000;

interface Line {
  seq: number;
  step: number;
  text: string;
  /** First line of a run of lines from one step: a section header goes before it. */
  header: boolean;
  /** First time this step appears: the header gets the step's anchor. */
  firstOfStep: boolean;
}

interface Block {
  id: number;
  lines: Line[];
}

type ConnState = "connecting" | "live" | "reconnecting" | "ended" | "unavailable";

export interface LogViewerProps {
  buildId: string;
  /** Step names by step index, for section headers. Keep its identity stable while names do not change. */
  stepNames: Record<number, string>;
  /** Called once when the server says the build has ended. */
  onEnd?: (status: string) => void;
  /** The log's URL when it is not the build's own (a boot test's console). */
  logUrl?: string;
}

export function LogViewer({ buildId, stepNames, onEnd, logUrl }: LogViewerProps) {
  const url = logUrl ?? `/api/v1/builds/${encodeURIComponent(buildId)}/log`;
  const [blocks, setBlocks] = useState<Block[]>([]);
  const [lineCount, setLineCount] = useState(0);
  const [conn, setConn] = useState<ConnState>("connecting");
  const [endStatus, setEndStatus] = useState<string | null>(null);
  const [following, setFollowing] = useState(true);
  const [query, setQuery] = useState("");
  /** The match shown, or -1 before the first since the query changed. */
  const [current, setCurrent] = useState(-1);
  const [wrap, setWrap] = useState(true);

  const scrollRef = useRef<HTMLDivElement>(null);
  const followingRef = useRef(true);
  const lastTopRef = useRef(0);
  const lastSeqRef = useRef(0);
  const lastStepRef = useRef<number | null>(null);
  const seenStepsRef = useRef(new Set<number>());
  const pendingRef = useRef<Line[]>([]);
  const nextBlockIdRef = useRef(0);
  const targetSeqRef = useRef<number | null>(null);
  const onEndRef = useRef(onEnd);
  useEffect(() => {
    onEndRef.current = onEnd;
  }, [onEnd]);

  const setFollow = useCallback((value: boolean) => {
    if (followingRef.current === value) return;
    followingRef.current = value;
    setFollowing(value);
  }, []);

  // A permalink (#L123), on opening the page or followed from it (a diagnostic's link):
  // the line is marked and scrolled to, or jumped to when it arrives.
  useEffect(() => {
    const jump = () => {
      const m = /^#L(\d+)$/.exec(window.location.hash);
      if (!m) return;
      setFollow(false);
      const line = document.getElementById(`L${m[1]}`);
      if (!line) {
        targetSeqRef.current = Number(m[1]);
        return;
      }
      for (const marked of document.querySelectorAll(".log-line.is-target")) marked.classList.remove("is-target");
      line.classList.add("is-target");
      line.scrollIntoView({ block: "center" });
    };
    jump();
    window.addEventListener("hashchange", jump);
    return () => window.removeEventListener("hashchange", jump);
  }, [setFollow]);

  useEffect(() => {
    let es: EventSource | null = null;
    let flushTimer: ReturnType<typeof setTimeout> | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    let stopped = false;

    const flush = () => {
      flushTimer = null;
      const incoming = pendingRef.current;
      if (!incoming.length) return;
      pendingRef.current = [];
      setBlocks((prev) => {
        const last = prev.at(-1);
        if (last && last.lines.length + incoming.length <= BLOCK_LINES) {
          const next = prev.slice(0, -1);
          next.push({ id: last.id, lines: last.lines.concat(incoming) });
          return next;
        }
        const next = prev.slice();
        for (let i = 0; i < incoming.length; i += BLOCK_LINES) {
          next.push({ id: nextBlockIdRef.current++, lines: incoming.slice(i, i + BLOCK_LINES) });
        }
        return next;
      });
      setLineCount(lastSeqRef.current);
    };

    const connect = () => {
      // A new EventSource starts without Last-Event-ID, so say where to resume.
      const after = lastSeqRef.current;
      es = new EventSource(`${url}${after ? `?after=${after}` : ""}`);
      es.onopen = () => setConn((c) => (c === "ended" ? c : "live"));
      es.addEventListener("lines", (ev) => {
        let tuples: [number, number, number, string][];
        try {
          tuples = JSON.parse((ev as MessageEvent<string>).data);
        } catch {
          return;
        }
        for (const [seq, , step, text] of tuples) {
          if (seq <= lastSeqRef.current) continue; // overlap after a reconnect
          const header = step !== lastStepRef.current;
          const firstOfStep = header && !seenStepsRef.current.has(step);
          if (header) seenStepsRef.current.add(step);
          lastStepRef.current = step;
          lastSeqRef.current = seq;
          pendingRef.current.push({ seq, step, text: stripAnsi(text), header, firstOfStep });
        }
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
      flush();
    };
  }, [url]);

  // After new lines: stay at the bottom while following, or jump to a permalinked line once it exists.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const target = targetSeqRef.current;
    if (target !== null && lastSeqRef.current >= target) {
      targetSeqRef.current = null;
      const line = document.getElementById(`L${target}`);
      if (line) {
        line.classList.add("is-target");
        line.scrollIntoView({ block: "center" });
        lastTopRef.current = el.scrollTop;
        return;
      }
    }
    if (followingRef.current) {
      el.scrollTop = el.scrollHeight;
      lastTopRef.current = el.scrollTop;
    }
  }, [blocks]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
    // Only the user scrolls up (scroll anchoring is off), so moving up pauses following.
    if (atBottom) setFollow(true);
    else if (el.scrollTop < lastTopRef.current - 2) setFollow(false);
    lastTopRef.current = el.scrollTop;
  };

  // Search: every line holding the query (case-insensitive), in log order; the current one is marked and scrolled to.
  const needle = query.trim().toLowerCase();
  const matches = useMemo(() => {
    if (!needle) return [];
    const seqs: number[] = [];
    for (const b of blocks) for (const l of b.lines) if (l.text.toLowerCase().includes(needle)) seqs.push(l.seq);
    return seqs;
  }, [blocks, needle]);

  const showMatch = (index: number) => {
    if (!matches.length) return;
    const i = ((index % matches.length) + matches.length) % matches.length;
    setCurrent(i);
    setFollow(false);
    const line = document.getElementById(`L${matches[i]}`);
    if (!line) return;
    for (const marked of document.querySelectorAll(".log-line.is-target")) marked.classList.remove("is-target");
    line.classList.add("is-target");
    line.scrollIntoView({ block: "center" });
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

  return (
    <section className="overflow-hidden rounded-md border border-zinc-800 bg-zinc-950" data-testid="log-viewer" data-state={conn}>
      <div className="flex items-center gap-3 border-b border-zinc-800 bg-zinc-900 px-3 py-1.5 text-xs text-zinc-300">
        <span className="font-semibold text-zinc-100">Log</span>
        <ConnIndicator conn={conn} endStatus={endStatus} />
        <span className="text-zinc-500" data-testid="log-line-count">
          {lineCount.toLocaleString("en-US")} line{lineCount === 1 ? "" : "s"}
        </span>
        <span className="ml-auto flex items-center gap-3">
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
                <span className="w-16 text-right text-zinc-400" data-testid="log-search-count">
                  {current >= 0 && matches.length ? `${Math.min(current + 1, matches.length)}/${matches.length}` : `${matches.length} found`}
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
          {!following && (
            <button
              type="button"
              onClick={follow}
              data-testid="log-follow"
              className="rounded bg-sky-600 px-2 py-0.5 font-medium text-white hover:bg-sky-500"
            >
              Follow ↓
            </button>
          )}
          <a href={`${url}?format=text`} target="_blank" rel="noreferrer" className="text-sky-400 hover:underline" data-testid="raw-log">
            Raw log
          </a>
        </span>
      </div>
      <div
        ref={scrollRef}
        onScroll={onScroll}
        onClick={(e) => {
          if ((e.target as HTMLElement).classList.contains("log-ln")) setFollow(false);
        }}
        className={`h-[65vh] min-h-64 overflow-auto py-1 font-mono text-xs text-zinc-200 [overflow-anchor:none] ${wrap ? "" : "log-nowrap"}`}
        role="log"
        aria-live="off"
      >
        {blocks.length === 0 ? (
          <div className="px-4 py-3 text-zinc-500" data-testid="log-empty">
            {conn === "ended" ? "This build printed no output." : conn === "unavailable" ? "The log is not available right now; retrying…" : "Waiting for output…"}
          </div>
        ) : (
          blocks.map((b) => <LogBlock key={b.id} lines={b.lines} stepNames={stepNames} needle={needle} />)
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

const LogBlock = memo(function LogBlock({ lines, stepNames, needle }: { lines: Line[]; stepNames: Record<number, string>; needle: string }) {
  return (
    <div style={{ contentVisibility: "auto", containIntrinsicSize: `auto ${lines.length * LINE_PX}px` }}>
      {lines.map((l) => (
        <LineRow key={l.seq} line={l} stepName={l.header ? (stepNames[l.step] ?? `step ${l.step}`) : undefined} needle={needle} />
      ))}
    </div>
  );
});

function LineRow({ line, stepName, needle }: { line: Line; stepName?: string; needle: string }) {
  return (
    <>
      {stepName !== undefined && (
        <div
          id={line.firstOfStep ? `log-step-${line.step}` : undefined}
          className="mt-1 border-y border-zinc-800 bg-zinc-900/80 px-3 py-0.5 font-sans text-[11px] font-semibold tracking-wide text-zinc-400 uppercase"
          data-testid="log-step-header"
        >
          ▸ {stepName}
        </div>
      )}
      <div className="log-line" id={`L${line.seq}`} data-testid="log-line" data-seq={line.seq}>
        <a className="log-ln" href={`#L${line.seq}`}>
          {line.seq}
        </a>
        <span className="log-text">{needle ? <Highlighted text={line.text} needle={needle} /> : line.text}</span>
      </div>
    </>
  );
}

/** The text with every occurrence of the (lower-case) needle marked. */
function Highlighted({ text, needle }: { text: string; needle: string }) {
  const lower = text.toLowerCase();
  if (!lower.includes(needle)) return <>{text}</>;
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (let i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, i + needle.length)) {
    parts.push(text.slice(at, i), <mark key={i} className="log-match">{text.slice(i, i + needle.length)}</mark>);
    at = i + needle.length;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}
