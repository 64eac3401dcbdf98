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

/** A whole number with thin spaces between thousands ("12 345"): the same on the server and in every browser. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return "—";
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
}

/**
 * How long something took (both times), or has taken so far (`now`, null
 * while rendering on the server: "…"); null when it has not started.
 */
export function elapsedText(startedAt: string | null, finishedAt: string | null, now: number | null): string | null {
  if (!startedAt) return null;
  if (finishedAt) return formatDuration(Date.parse(finishedAt) - Date.parse(startedAt));
  return now === null ? "…" : formatDuration(now - Date.parse(startedAt));
}

/** A build's targets as one line: "kernel, modules, module-kit", or "configure only". */
export function targetsText(targets: readonly string[]): string {
  return targets.length ? targets.join(", ") : "configure only";
}

/** The first hex digits of a digest, enough to tell files apart at a glance. */
export function shortDigest(hex: string, length = 12): string {
  return hex.length > length ? `${hex.slice(0, length)}…` : hex;
}

/** The artifacts a build page lists first, in this order; the rest follow by name, loadable modules last. */
const MAIN_ARTIFACTS = ["bzImage", "vmlinux.xz", "System.map", ".config", "modules.tar.xz", "module-kit.tar.xz", "build.log.gz", "metadata.json"];

/** Splits a build's artifacts into the main files (known ones first) and the loadable modules (.ko), each sorted. */
export function groupArtifacts<T extends { name: string }>(artifacts: readonly T[]): { main: T[]; modules: T[] } {
  const rankOf = (name: string) => {
    const i = MAIN_ARTIFACTS.indexOf(name);
    return i < 0 ? MAIN_ARTIFACTS.length : i;
  };
  const byName = (a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const main = artifacts.filter((a) => !a.name.endsWith(".ko")).sort((a, b) => rankOf(a.name) - rankOf(b.name) || byName(a, b));
  const modules = artifacts.filter((a) => a.name.endsWith(".ko")).sort(byName);
  return { main, modules };
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

