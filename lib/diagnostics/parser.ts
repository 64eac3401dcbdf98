import { type TreePrefixes, TreePaths } from "./paths";
import { BLOCK_ENDS, type Block, CLANG_NOTE, INCLUDED_FROM, LLD_LOCATIONS, MAKE_FAILED, RULES, RUSTC_LOCATION, SUMMARIES } from "./rules";
import type { BuildDiagnostic } from "./types";

export interface ParserOptions extends TreePrefixes {
  /** At most this many rendered lines are kept per diagnostic (the rest are still read). */
  maxRendered?: number;
}

/**
 * Reads a build log line by line, as it streams, and hands back each
 * diagnostic once its last line has gone by.
 *
 *     const parser = new DiagnosticParser();
 *     for (const [i, line] of lines.entries()) show(parser.push(line, i + 1));
 *     show(parser.end());
 *
 * What is not a diagnostic: the tools' summaries ("1 warning generated.",
 * "error: aborting due to previous error"), clang's notes (they belong to the
 * diagnostic before them), make's "*** [target] Error 2" lines (they follow the
 * error that made the recipe fail). make's own errors (a command not found, no
 * rule for a target) are the root cause only when no other tool's error
 * explains the failure, so they are decided, and handed back, by end().
 * A diagnostic printed twice (parallel make) is handed back once.
 */
export class DiagnosticParser {
  private readonly paths: TreePaths;
  private readonly maxRendered: number;
  private open: { diagnostic: BuildDiagnostic; block: Block } | null = null;
  /** clang's "In file included from" lines, waiting for the diagnostic they lead to. */
  private includes: string[] = [];
  private readonly seen = new Set<string>();
  private readonly found: BuildDiagnostic[] = [];
  private readonly makeErrors: BuildDiagnostic[] = [];
  private firstFailedRecipe: BuildDiagnostic | null = null;
  private lastLineNumber = 0;

  constructor(options: ParserOptions = {}) {
    this.paths = new TreePaths(options);
    this.maxRendered = options.maxRendered ?? 60;
  }

  /** Reads one log line (without its newline); returns the diagnostics it finished. */
  push(raw: string, lineNumber = this.lastLineNumber + 1): BuildDiagnostic[] {
    this.lastLineNumber = lineNumber;
    const line = raw.replace(/\s+$/, "");
    const done: BuildDiagnostic[] = [];
    if (this.open && this.continues(this.open.block, line)) {
      this.append(this.open.diagnostic, line);
      return done;
    }
    this.close(done);
    if (line === "" || SUMMARIES.some((s) => s.test(line))) {
      this.includes = [];
      return done;
    }
    const failed = MAKE_FAILED.exec(line);
    if (failed) {
      this.firstFailedRecipe ??= this.makeDiagnostic(failed, line, lineNumber);
      return done;
    }
    if (INCLUDED_FROM.test(line)) {
      this.includes.push(line);
      return done;
    }
    const includes = this.includes;
    this.includes = [];
    for (const rule of RULES) {
      const m = rule.pattern.exec(line);
      if (!m) continue;
      const header = rule.read(m);
      const where = header.file === null ? { file: null, root: null } : this.paths.relative(header.file);
      const diagnostic: BuildDiagnostic = {
        severity: header.severity,
        tool: typeof rule.tool === "function" ? rule.tool(header) : rule.tool,
        file: where.file,
        root: where.root,
        line: header.line,
        column: header.column,
        code: header.code,
        message: header.message,
        logLine: lineNumber,
        rendered: rule.block === "clang" ? [...includes, line] : [line],
      };
      if (rule.rootCauseOnly) this.makeErrors.push(diagnostic);
      else if (rule.block === "none") this.emit(diagnostic, done);
      else this.open = { diagnostic, block: rule.block };
      return done;
    }
    return done;
  }

  /** The log has ended: returns the diagnostic still open and, when nothing else explains a failure, make's errors. */
  end(): BuildDiagnostic[] {
    const done: BuildDiagnostic[] = [];
    this.close(done);
    this.includes = [];
    if (!this.hasError()) for (const d of this.makeErrors) this.emit(d, done);
    // A recipe failed and nothing said why: make's own report is all there is.
    if (!this.hasError() && this.firstFailedRecipe) this.emit(this.firstFailedRecipe, done);
    this.makeErrors.length = 0;
    this.firstFailedRecipe = null;
    return done;
  }

  /** How many diagnostics have been handed back so far. */
  get count(): number {
    return this.found.length;
  }

  /** Every diagnostic handed back so far, in the order of the log. */
  get diagnostics(): BuildDiagnostic[] {
    return [...this.found].sort((a, b) => a.logLine - b.logLine);
  }

  private hasError(): boolean {
    return this.found.some((d) => d.severity === "error");
  }

  private continues(block: Block, line: string): boolean {
    if (line === "" || BLOCK_ENDS.some((e) => e.test(line)) || SUMMARIES.some((s) => s.test(line))) return false;
    if (block instanceof RegExp) return block.test(line);
    if (block === "clang" && CLANG_NOTE.test(line)) return true;
    if (INCLUDED_FROM.test(line)) return false;
    return !RULES.some((r) => r.pattern.test(line));
  }

  private append(d: BuildDiagnostic, line: string): void {
    if (d.rendered.length < this.maxRendered) d.rendered.push(line);
    if (d.file !== null) return;
    const patterns = d.tool === "ld.lld" ? LLD_LOCATIONS : [RUSTC_LOCATION];
    for (const pattern of patterns) {
      const location = pattern.exec(line);
      if (!location) continue;
      const where = this.paths.relative(location[1]!);
      d.file = where.file;
      d.root = where.root;
      d.line = location[2] === undefined ? null : Number(location[2]);
      d.column = location[3] === undefined ? null : Number(location[3]);
      return;
    }
  }

  private close(done: BuildDiagnostic[]): void {
    if (this.open) this.emit(this.open.diagnostic, done);
    this.open = null;
  }

  private emit(d: BuildDiagnostic, done: BuildDiagnostic[]): void {
    const key = JSON.stringify([d.tool, d.severity, d.file, d.line, d.column, d.code, d.message]);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.found.push(d);
    done.push(d);
  }

  /** `make[1]: *** [/src/scripts/Makefile.build:315: /module/a.o] Error 1`, as a diagnostic of the Makefile. */
  private makeDiagnostic(m: RegExpExecArray, line: string, lineNumber: number): BuildDiagnostic {
    const where = m[1] ? this.paths.relative(m[1]) : { file: null, root: null };
    return {
      severity: "error",
      tool: "make",
      file: where.file,
      root: where.root,
      line: m[2] ? Number(m[2]) : null,
      column: null,
      code: null,
      message: line.replace(/^make(?:\[\d+\])?: \*\*\* /, ""),
      logLine: lineNumber,
      rendered: [line],
    };
  }
}
