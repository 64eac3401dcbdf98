/**
 * The Kconfig macro language (Documentation/kbuild/kconfig-macro-language.rst,
 * scripts/kconfig/preprocess.c): variables (`=`, `:=`, `+=`), user-defined
 * functions with $(1), $(2)..., the built-ins, and environment variables.
 *
 * `$(shell,...)` is the only way Kconfig runs anything; the command text is
 * handed to a ShellRunner, so the same parse can run commands for real or
 * answer them from a recorded macro cache.
 */

/** Runs one `$(shell,...)` command and returns its raw standard output. */
export type ShellRunner = (command: string) => string;

export interface MacroContext {
  /** The file and line being read, for $(filename), $(lineno) and errors. */
  file: string;
  line: number;
}

type Flavor = "recursive" | "simple";

interface Variable {
  value: string;
  flavor: Flavor;
  expanding: number;
}

export class MacroError extends Error {}

const MAX_ARGS = 16;

export class Preprocessor {
  private readonly variables = new Map<string, Variable>();
  /** Environment variables Kconfig read, like auto.conf.cmd records. */
  readonly usedEnvironment = new Map<string, string>();
  /** Every `$(shell,...)` command run, with its processed output, in order. */
  readonly shellCalls = new Map<string, string>();
  /** Where each command was expanded ("file:line"), so a value that comes from a macro can be traced to it. */
  readonly shellSites = new Map<string, string[]>();
  readonly messages: string[] = [];

  constructor(
    private readonly env: Record<string, string | undefined>,
    private readonly shell: ShellRunner,
    readonly context: MacroContext,
  ) {}

  addVariable(name: string, value: string, op: "=" | ":=" | "+="): void {
    const existing = this.variables.get(name);
    let flavor: Flavor = op === ":=" ? "simple" : "recursive";
    let append = false;
    if (op === "+=") {
      // += keeps a defined variable's flavor and makes an undefined one recursive.
      if (existing) {
        flavor = existing.flavor;
        append = true;
      }
    }
    const newValue = flavor === "simple" ? this.expand(value) : value;
    if (existing && append) existing.value = `${existing.value} ${newValue}`;
    else if (existing) Object.assign(existing, { value: newValue, flavor });
    else this.variables.set(name, { value: newValue, flavor, expanding: 0 });
  }

  /** Expands every `$(...)` in `text`. */
  expand(text: string, args: string[] = []): string {
    return this.expandUntil(text, 0, () => false, args).out;
  }

  /**
   * Expands a word that contains `$`: the expansion continues while the
   * characters form a token ([A-Za-z0-9_-] or further references). Returns the
   * expansion and where the token ends.
   */
  expandToken(text: string, start: number): { out: string; end: number } {
    return this.expandUntil(text, start, (c) => !/[A-Za-z0-9_-]/.test(c), []);
  }

  /** Expands one reference; `start` is just after the `$`. */
  expandDollar(text: string, start: number, args: string[] = []): { out: string; end: number } {
    if (text.charAt(start) !== "(") return { out: "$", end: start };
    let nest = 0;
    let q = start + 1;
    for (; q < text.length; q++) {
      if (text.charAt(q) === "(") nest++;
      else if (text.charAt(q) === ")" && nest-- === 0) break;
    }
    if (q >= text.length) this.fail(`unterminated reference to '${text.slice(start + 1)}': missing ')'`);
    return { out: this.evalClause(text.slice(start + 1, q), args), end: q + 1 };
  }

  private expandUntil(text: string, start: number, isEnd: (c: string) => boolean, args: string[]): { out: string; end: number } {
    let out = "";
    let i = start;
    let from = start;
    while (i < text.length) {
      if (text.charAt(i) === "$") {
        out += text.slice(from, i);
        const r = this.expandDollar(text, i + 1, args);
        out += r.out;
        i = from = r.end;
        continue;
      }
      if (isEnd(text.charAt(i))) break;
      i++;
    }
    return { out: out + text.slice(from, i), end: i };
  }

  private evalClause(clause: string, args: string[]): string {
    // $(1), $(2)...: the arguments of the user function being expanded.
    if (/^[0-9]+$/.test(clause)) {
      const n = Number(clause);
      if (n > 0 && n <= args.length) return args[n - 1]!;
    }
    const parts: string[] = [];
    let nest = 0;
    let prev = 0;
    for (let p = 0; p < clause.length; p++) {
      const c = clause.charAt(p);
      if (nest === 0 && c === ",") {
        parts.push(clause.slice(prev, p));
        prev = p + 1;
      } else if (c === "(") nest++;
      else if (c === ")") nest--;
    }
    parts.push(clause.slice(prev));
    if (parts.length > MAX_ARGS) this.fail("too many function arguments");
    const name = this.expand(parts[0]!, args);
    const callArgs = parts.slice(1).map((a) => this.expand(a, args));

    const variable = this.variables.get(name);
    if (variable) {
      if (callArgs.length === 0 && variable.expanding) this.fail(`Recursive variable '${name}' references itself (eventually)`);
      if (variable.expanding > 1000) this.fail("Too deep recursive expansion");
      variable.expanding++;
      try {
        return variable.flavor === "recursive" ? this.expand(variable.value, callArgs) : variable.value;
      } finally {
        variable.expanding--;
      }
    }
    const builtin = this.builtin(name, callArgs);
    if (builtin !== null) return builtin;
    if (callArgs.length === 0 && name !== "") {
      const value = this.env[name];
      if (value !== undefined) {
        this.usedEnvironment.set(name, value);
        return value;
      }
    }
    return "";
  }

  private builtin(name: string, args: string[]): string | null {
    const arity = (min: number, max: number) => {
      if (args.length < min) this.fail(`too few function arguments passed to '${name}'`);
      if (args.length > max) this.fail(`too many function arguments passed to '${name}'`);
    };
    switch (name) {
      case "error-if":
        arity(2, 2);
        if (args[0] === "y") this.fail(args[1]!);
        return "";
      case "filename":
        arity(0, 0);
        return this.context.file;
      case "info":
        arity(1, 1);
        this.messages.push(args[0]!);
        return "";
      case "lineno":
        arity(0, 0);
        return String(this.context.line);
      case "shell":
        arity(1, 1);
        return this.runShell(args[0]!);
      case "warning-if":
        arity(2, 2);
        if (args[0] === "y") this.messages.push(`${this.context.file}:${this.context.line}: ${args[1]!}`);
        return "";
      default:
        return null;
    }
  }

  private runShell(command: string): string {
    const site = `${this.context.file}:${this.context.line}`;
    const sites = this.shellSites.get(command) ?? [];
    if (!sites.includes(site)) this.shellSites.set(command, [...sites, site]);
    const cached = this.shellCalls.get(command);
    if (cached !== undefined) return cached;
    // As preprocess.c: at most 4095 bytes, trailing newlines dropped, the others become spaces.
    let out = this.shell(command).slice(0, 4095);
    out = out.replace(/\n+$/, "").replace(/\n/g, " ");
    this.shellCalls.set(command, out);
    return out;
  }

  private fail(message: string): never {
    throw new MacroError(`${this.context.file}:${this.context.line}: ${message}`);
  }
}
