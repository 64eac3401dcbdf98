/**
 * A diagnostic of a build log: an error or warning one of the build's tools
 * printed, where it points (relative to the tree it lies in) and the log line
 * it starts on, so a page can link to it.
 */
export type Severity = "error" | "warning";

export type Tool = "clang" | "rustc" | "ld.lld" | "modpost" | "make" | "kconfig";

/** The tree a diagnostic's file lies in: the kernel source, the build's output directory, a module's directory. */
export type Root = "source" | "out" | "module";

export interface BuildDiagnostic {
  severity: Severity;
  tool: Tool;
  /** Relative to `root` when the path lies in one of the build's trees, else as printed; null when the tool names no file. */
  file: string | null;
  root: Root | null;
  line: number | null;
  column: number | null;
  /** rustc's error code ("E0308"), clang's warning flag ("-Wunused-variable"); null otherwise. */
  code: string | null;
  message: string;
  /** The log line (1-based, as given to the parser) the diagnostic starts on: its "error:" or "warning:" line. */
  logLine: number;
  /** The tool's own rendering as printed: rustc's block, clang's source and caret lines and notes, ld.lld's references. */
  rendered: string[];
}

export interface DiagnosticCounts {
  error: number;
  warning: number;
  byTool: Partial<Record<Tool, { error: number; warning: number }>>;
}
