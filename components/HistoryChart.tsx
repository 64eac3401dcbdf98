import { formatDuration } from "@/components/format";
import type { HistoryChart as Chart } from "@/lib/builds/history";

/**
 * Outcomes (stacked bars, one per day or week) and run times (the median as a
 * line, on its own scale at the right) of the filtered history. Plain SVG from
 * the server's aggregates: no chart library, works in a server component.
 */

const ORDER = ["succeeded", "failed", "error", "canceled", "running", "queued"] as const;
const FILLS: Record<(typeof ORDER)[number], string> = {
  succeeded: "#10b981",
  failed: "#ef4444",
  error: "#d946ef",
  canceled: "#a1a1aa",
  running: "#0ea5e9",
  queued: "#f59e0b",
};

const WIDTH = 900;
const HEIGHT = 160;
const PAD = { left: 34, right: 54, top: 8, bottom: 20 };

export function HistoryChart({ chart }: { chart: Chart }) {
  const n = chart.buckets.length;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const totals = chart.buckets.map((b) => ORDER.reduce((sum, s) => sum + b.counts[s], 0));
  const total = totals.reduce((a, b) => a + b, 0);
  const maxCount = Math.max(1, ...totals);
  const maxMs = Math.max(1, ...chart.buckets.map((b) => b.medianMs ?? 0));
  const slot = plotW / n;
  const barW = Math.max(1, slot * 0.8);
  const x = (i: number) => PAD.left + i * slot + (slot - barW) / 2;
  const yCount = (c: number) => PAD.top + plotH - (c / maxCount) * plotH;
  const yMs = (ms: number) => PAD.top + plotH - (ms / maxMs) * plotH;
  const line = chart.buckets
    .map((b, i) => (b.medianMs === null ? null : `${(x(i) + barW / 2).toFixed(1)},${yMs(b.medianMs).toFixed(1)}`))
    .filter((p): p is string => p !== null);
  const labelEvery = Math.max(1, Math.ceil(n / 8));
  const unit = chart.bucket === "day" ? "day" : "week";

  return (
    <figure className="rounded-md border border-zinc-200 bg-white p-3" data-testid="history-chart" data-total={total}>
      <figcaption className="mb-1 flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-zinc-600">
        <span className="font-medium text-zinc-800">
          {total} build{total === 1 ? "" : "s"} from {chart.from.slice(0, 10)} to {new Date(new Date(chart.to).getTime() - 1).toISOString().slice(0, 10)}, per {unit}
        </span>
        {ORDER.map((s) => (
          <span key={s} className="inline-flex items-center gap-1">
            <span aria-hidden className="inline-block h-2 w-2 rounded-sm" style={{ background: FILLS[s] }} />
            {s}
          </span>
        ))}
        <span className="inline-flex items-center gap-1">
          <span aria-hidden className="inline-block h-0.5 w-3 bg-zinc-800" />
          median run time
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="h-auto w-full" role="img" aria-label={`Builds per ${unit} by outcome, with the median run time`}>
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={PAD.top + plotH} y2={PAD.top + plotH} stroke="#d4d4d8" />
        <text x={PAD.left - 4} y={PAD.top + 8} textAnchor="end" fontSize="10" fill="#71717a">
          {maxCount}
        </text>
        <text x={PAD.left - 4} y={PAD.top + plotH} textAnchor="end" fontSize="10" fill="#71717a">
          0
        </text>
        {line.length > 0 && (
          <text x={WIDTH - PAD.right + 4} y={PAD.top + 8} fontSize="10" fill="#3f3f46">
            {formatDuration(maxMs)}
          </text>
        )}
        {chart.buckets.map((b, i) => {
          let y = PAD.top + plotH;
          const tip = [
            `${b.start}${chart.bucket === "week" ? " (week)" : ""}: ${totals[i]} build${totals[i] === 1 ? "" : "s"}`,
            ...ORDER.filter((s) => b.counts[s]).map((s) => `${s}: ${b.counts[s]}`),
            b.medianMs !== null ? `median run time ${formatDuration(b.medianMs)}, longest ${formatDuration(b.maxMs ?? 0)}` : null,
          ]
            .filter(Boolean)
            .join("\n");
          return (
            <g key={b.start} data-testid={`chart-bucket-${b.start}`} data-count={totals[i]}>
              <title>{tip}</title>
              {/* a full-height hit area, so the tooltip shows over empty days too */}
              <rect x={PAD.left + i * slot} y={PAD.top} width={slot} height={plotH} fill="transparent" />
              {ORDER.map((s) => {
                if (!b.counts[s]) return null;
                const h = (b.counts[s] / maxCount) * plotH;
                y -= h;
                return <rect key={s} x={x(i)} y={y} width={barW} height={h} fill={FILLS[s]} />;
              })}
              {i % labelEvery === 0 && (
                <text x={x(i) + barW / 2} y={HEIGHT - 6} textAnchor="middle" fontSize="10" fill="#71717a">
                  {b.start.slice(5)}
                </text>
              )}
            </g>
          );
        })}
        {line.length > 1 && <polyline points={line.join(" ")} fill="none" stroke="#27272a" strokeWidth="1.5" />}
        {line.length === 1 && <circle cx={line[0]!.split(",")[0]} cy={line[0]!.split(",")[1]} r="2.5" fill="#27272a" />}
      </svg>
    </figure>
  );
}
