/**
 * Progress of a `make` step, measured in kbuild's one-line-per-object output
 * ("  CC      init/main.o", "  RUSTC L rust/core.o", "  LD [M]  samples/rust/rust_minimal.ko"):
 * the count so far against the count of the last build of the same source,
 * profile, config and goals. Without such a build there is no estimate.
 */
const OBJECT_LINE = /^ {2}[A-Z][A-Z0-9_-]*(?: \[M\]| [A-Z])?\s+\S/;

export function isObjectLine(line: string): boolean {
  return OBJECT_LINE.test(line);
}

export interface StepProgress {
  done: number;
  /** The previous comparable build's count, or null when there is none. */
  total: number | null;
}

/** 0..1, or null when indeterminate. A build that does more than last time stays just under 1 until it ends. */
export function progressFraction(p: StepProgress): number | null {
  if (!p.total) return null;
  return Math.min(p.done / p.total, 0.99);
}
