/** A build step's status as a small icon. */

const ICONS: Record<string, { glyph: string; cls: string; label: string }> = {
  pending: { glyph: "○", cls: "text-zinc-400", label: "pending" },
  running: { glyph: "◐", cls: "text-sky-600 animate-spin [animation-duration:2s]", label: "running" },
  succeeded: { glyph: "✓", cls: "text-emerald-600", label: "succeeded" },
  failed: { glyph: "✗", cls: "text-red-600", label: "failed" },
  skipped: { glyph: "↷", cls: "text-zinc-400", label: "skipped" },
  canceled: { glyph: "⊘", cls: "text-zinc-500", label: "canceled" },
  error: { glyph: "!", cls: "text-fuchsia-600 font-bold", label: "error" },
};

export function StepIcon({ status }: { status: string }) {
  const icon = ICONS[status] ?? ICONS.pending!;
  return (
    <span title={icon.label} aria-label={icon.label} className={`inline-flex w-4 justify-center font-mono ${icon.cls}`}>
      {icon.glyph}
    </span>
  );
}
