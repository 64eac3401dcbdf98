import { type StepProgress as Progress, progressFraction } from "@/lib/builds/progress";
import { formatCount } from "./format";

/**
 * A make step's progress: a bar and "N of ~M objects" against the last
 * comparable build, or, without one, an indeterminate bar and "N objects built".
 */
export function StepProgress({ name, status, progress }: { name: string; status: string; progress: Progress }) {
  const running = status === "running";
  const fraction = status === "succeeded" ? 1 : progressFraction(progress);
  const percent = fraction === null ? null : Math.floor(fraction * 100);
  const done = formatCount(progress.done);
  const text =
    percent !== null && progress.total && status !== "succeeded"
      ? `${percent}% · ${done} of ~${formatCount(progress.total)} objects`
      : `${done} object${progress.done === 1 ? "" : "s"} built`;

  return (
    <div data-testid={`step-progress-${name}`} data-done={progress.done} data-total={progress.total ?? ""} className="mt-1 pl-6">
      <div
        role="progressbar"
        aria-label={`${name} progress`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={text}
        className="h-1.5 overflow-hidden rounded-full bg-zinc-100"
      >
        {percent !== null ? (
          <div
            className={`h-full rounded-full transition-[width] duration-700 ${status === "succeeded" ? "bg-emerald-500" : running ? "bg-sky-500" : "bg-zinc-400"}`}
            style={{ width: `${percent}%` }}
          />
        ) : (
          running && (
            <div className="h-full w-full animate-pulse rounded-full bg-[repeating-linear-gradient(-45deg,var(--color-sky-500)_0_6px,var(--color-sky-200)_6px_12px)]" />
          )
        )}
      </div>
      <div className="mt-0.5 font-mono text-[11px] text-zinc-500">{text}</div>
    </div>
  );
}
