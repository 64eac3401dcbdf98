/**
 * Display helpers shared by server and client components. Pure functions:
 * anything that depends on "now" takes it as an argument, so that server and
 * browser render the same text.
 */

export function shortId(id: string): string {
  return id.slice(0, 8);
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)}s`;
  if (s < 60) return `${Math.floor(s)}s`;
  const totalS = Math.floor(s);
  const m = Math.floor(totalS / 60);
  if (m < 60) return `${m}m ${String(totalS % 60).padStart(2, "0")}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${String(m % 60).padStart(2, "0")}m`;
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return "—";
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** "2026-11-26 18:55:02 UTC": the same on the server and in every browser. */
export function formatTimestamp(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "—";
  return `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

export function relativeTime(iso: string, now: number): string {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return "—";
  const s = Math.round((now - t) / 1000);
  if (s < 5) return "just now";
  if (s < 60) return `${s}s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.floor(h / 24);
  if (d < 30) return `${d} d ago`;
  return new Date(t).toISOString().slice(0, 10);
}

export interface OptionLike {
  symbol: string;
  value: string;
}

const rank = (symbol: string) => (symbol === "RUST" ? 0 : /^SAMPLES?(_|$)/.test(symbol) && /RUST/.test(symbol) ? 1 : symbol === "SAMPLES" ? 2 : 3);

/** CONFIG_RUST first, then the Rust samples (and what enables them), then the rest in request order. */
export function sortOptions<T extends OptionLike>(options: readonly T[]): T[] {
  return options
    .map((o, i) => ({ o, i }))
    .sort((a, b) => rank(a.o.symbol) - rank(b.o.symbol) || a.i - b.i)
    .map(({ o }) => o);
}

export function optionText(o: OptionLike): string {
  return `CONFIG_${o.symbol}=${o.value}`;
}

export const ACTIVE_STATUSES = ["queued", "running"] as const;

export function isActiveStatus(status: string): boolean {
  return status === "queued" || status === "running";
}

/** Strips ANSI escape sequences (colours, cursor moves) from a log line. */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.includes("\u001b") ? text.replace(/\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])/g, "") : text;
}
