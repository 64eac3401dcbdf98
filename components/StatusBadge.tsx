/** Build status as a coloured badge. Works in server and client components. */

const STYLES: Record<string, string> = {
  queued: "bg-amber-50 text-amber-800 ring-amber-300",
  running: "bg-sky-50 text-sky-800 ring-sky-300",
  succeeded: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  failed: "bg-red-50 text-red-800 ring-red-300",
  canceled: "bg-zinc-100 text-zinc-700 ring-zinc-300",
  error: "bg-fuchsia-50 text-fuchsia-800 ring-fuchsia-300",
};

const DOTS: Record<string, string> = {
  queued: "bg-amber-500",
  running: "bg-sky-500 animate-pulse",
  succeeded: "bg-emerald-500",
  failed: "bg-red-500",
  canceled: "bg-zinc-400",
  error: "bg-fuchsia-500",
};

export function StatusBadge({ status, testId, large }: { status: string; testId?: string; large?: boolean }) {
  return (
    <span
      data-testid={testId}
      data-status={status}
      className={`inline-flex items-center gap-1.5 rounded-full font-medium ring-1 ring-inset ${
        large ? "px-2.5 py-0.5 text-sm" : "px-2 py-px text-xs"
      } ${STYLES[status] ?? STYLES.canceled}`}
    >
      <span aria-hidden className={`inline-block h-1.5 w-1.5 rounded-full ${DOTS[status] ?? DOTS.canceled}`} />
      <span className="status-text">{status}</span>
    </span>
  );
}
