/**
 * Errors and warnings a module build's compiler printed, as the page shows
 * them: where (a path relative to the module's directory, line, column), what,
 * and the source lines around it. rustc prints blocks:
 *
 *     error[E0308]: mismatched types
 *       --> /module/hello_world.rs:20:22
 *        |
 *     20 |         let x: u32 = "a";
 *        |                      ^^^ expected `u32`, found `&str`
 *
 * clang one line each: `/module/hello.c:3:5: error: use of undeclared identifier 'x'`.
 * The parsing is the build log's (lib/diagnostics); this adds the module's view.
 */
import { parseBuildLog, TreePaths } from "../diagnostics";

export interface Diagnostic {
  severity: "error" | "warning";
  /** rustc's error code, e.g. "E0308". */
  code: string | null;
  message: string;
  /** Relative to the module's directory when the file is the module's, else as printed. */
  file: string | null;
  line: number | null;
  column: number | null;
  /** The file is one of the module's own (not a kernel header or the kit). */
  inModule: boolean;
  /** The compiler's own rendering of the block, as printed. */
  rendered: string[];
  /** The module's source lines around `line`, when the file is the module's. */
  snippet: { line: number; text: string }[];
}

/** Reads the make step's lines with the build-log parser (lib/diagnostics), files relative to the module's directory. */
export function parseDiagnostics(lines: string[], moduleDir: string, limit = 50): Diagnostic[] {
  const prefixes = { module: moduleDir };
  const paths = new TreePaths(prefixes);
  return parseBuildLog(lines, prefixes)
    .slice(0, limit)
    .map((d) => {
      const inModule = d.root === "module";
      return {
        severity: d.severity,
        code: d.tool === "rustc" ? d.code : null,
        // clang's warning flag stays where clang printed it.
        message: d.code !== null && d.tool !== "rustc" ? `${d.message} [${d.code}]` : d.message,
        file: d.file === null || inModule ? d.file : paths.absolute(d.file, d.root),
        line: d.line,
        column: d.column,
        inModule,
        rendered: d.rendered,
        snippet: [],
      };
    });
}

/** Adds the module's source lines around each diagnostic in one of its files. */
export function withSnippets(diagnostics: Diagnostic[], files: { path: string; content: string }[], context = 2): Diagnostic[] {
  const byPath = new Map(files.map((f) => [f.path, f.content.split("\n")]));
  return diagnostics.map((d) => {
    const source = d.inModule && d.file ? byPath.get(d.file) : undefined;
    if (!source || d.line === null) return d;
    const from = Math.max(1, d.line - context);
    const to = Math.min(source.length, d.line + context);
    const snippet = [];
    for (let n = from; n <= to; n++) snippet.push({ line: n, text: source[n - 1]! });
    return { ...d, snippet };
  });
}

/** "hello_world.rs:20:22: error[E0308]: mismatched types" — a diagnostic in one line. */
export function diagnosticSummary(d: Diagnostic): string {
  const where = d.file ? `${d.file}${d.line !== null ? `:${d.line}` : ""}${d.column !== null ? `:${d.column}` : ""}: ` : "";
  return `${where}${d.severity}${d.code ? `[${d.code}]` : ""}: ${d.message}`;
}
