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
 */
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

const RUSTC_HEADER = /^(error|warning)(?:\[(E\d{4})\])?: (.*)$/;
const RUSTC_LOCATION = /^\s*--> (.+?):(\d+):(\d+)$/;
const CLANG = /^(.+?):(\d+):(\d+): (fatal error|error|warning): (.*)$/;
/** rustc's closing summaries say nothing of their own. */
const SUMMARY = /^(aborting due to|could not compile|\d+ warnings? emitted|build failed)/;
const MAKE_LINE = /^make(\[\d+\])?: /;

/** A path as the module's own (relative) when it lies under `moduleDir`. */
function relativeToModule(file: string, moduleDir: string): { file: string; inModule: boolean } {
  const prefix = moduleDir.endsWith("/") ? moduleDir : `${moduleDir}/`;
  if (file.startsWith(prefix)) return { file: file.slice(prefix.length), inModule: true };
  return { file, inModule: false };
}

export function parseDiagnostics(lines: string[], moduleDir: string, limit = 50): Diagnostic[] {
  const found: Diagnostic[] = [];
  let current: Diagnostic | null = null;
  const close = () => {
    if (current) found.push(current);
    current = null;
  };
  for (const raw of lines) {
    const line = raw.replace(/\s+$/, "");
    const header = RUSTC_HEADER.exec(line);
    if (header) {
      close();
      if (SUMMARY.test(header[3]!)) continue;
      current = { severity: header[1] as "error" | "warning", code: header[2] ?? null, message: header[3]!, file: null, line: null, column: null, inModule: false, rendered: [line], snippet: [] };
      continue;
    }
    const clang = CLANG.exec(line);
    if (clang && !MAKE_LINE.test(line)) {
      close();
      const where = relativeToModule(clang[1]!, moduleDir);
      current = {
        severity: clang[4] === "warning" ? "warning" : "error",
        code: null,
        message: clang[5]!,
        file: where.file,
        line: Number(clang[2]),
        column: Number(clang[3]),
        inModule: where.inModule,
        rendered: [line],
        snippet: [],
      };
      continue;
    }
    if (!current) continue;
    if (line === "" || MAKE_LINE.test(line)) {
      close();
      continue;
    }
    const d: Diagnostic = current;
    const location = RUSTC_LOCATION.exec(line);
    if (location && d.file === null) {
      const where = relativeToModule(location[1]!, moduleDir);
      d.file = where.file;
      d.line = Number(location[2]);
      d.column = Number(location[3]);
      d.inModule = where.inModule;
    }
    if (d.rendered.length < 40) d.rendered.push(line);
  }
  close();
  return found.slice(0, limit);
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
