"use client";

import { elapsedText } from "./format";
import { useNow } from "./useNow";

/**
 * How long something took, or has taken so far, ticking every second while
 * `live`. Only this span re-renders on each tick, not the page around it.
 */
export function Elapsed({
  startedAt,
  finishedAt,
  live,
  placeholder = "",
  className,
  testId,
}: {
  startedAt: string | null;
  finishedAt: string | null;
  live: boolean;
  /** Shown before it starts. */
  placeholder?: string;
  className?: string;
  testId?: string;
}) {
  const now = useNow(live && !!startedAt && !finishedAt);
  return (
    <span className={className} data-testid={testId}>
      {elapsedText(startedAt, finishedAt, now) ?? placeholder}
    </span>
  );
}
