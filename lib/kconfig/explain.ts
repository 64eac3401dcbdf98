import { classifyValue } from "./dotconfig";
import { type ScannedSymbol, symbolsInExpression } from "./scan";

/**
 * Why a value someone asked for is not what `make olddefconfig` left in the
 * .config: one line per symbol, for build logs and the build page. It reads
 * the scanned dependencies against the resolved config; it is a diagnosis
 * aid, not a Kconfig engine (defaults, choices and ranges are not evaluated).
 */

export type SymbolLookup = Map<string, ScannedSymbol> | ((name: string) => ScannedSymbol | undefined);

type Tristate = "n" | "m" | "y";

/**
 * @param symbol   the symbol, with or without CONFIG_
 * @param requested the value asked for, as .config text (`y`, `m`, `n`, `64`, `"text"`)
 * @param resolved the .config after olddefconfig (names without CONFIG_); absent means not set
 */
export function explainDropped(
  symbol: string,
  requested: string,
  resolved: Map<string, string>,
  symbols: SymbolLookup,
): string {
  const name = symbol.startsWith("CONFIG_") ? symbol.slice("CONFIG_".length) : symbol;
  const lookup = typeof symbols === "function" ? symbols : (n: string) => symbols.get(n);
  const now = resolved.get(name) ?? "n";
  const outcome = now === "n" ? "was dropped (now: not set)" : `was changed (now: ${now})`;
  const head = `CONFIG_${name}=${requested} ${outcome}.`;

  const definition = lookup(name);
  if (definition === undefined) {
    return `${head} CONFIG_${name} is not defined by this kernel tree, so olddefconfig discards it.`;
  }

  const valueOf = (n: string) => resolved.get(n) ?? "n";
  const parts = [head, `Defined at ${definition.definedAt}.`];
  // Whether some part already names a cause; if none does, say so rather than leave the reader guessing.
  let causeFound = false;

  const invalid = invalidForType(definition.type, requested);
  if (invalid !== null) {
    parts.push(invalid);
    causeFound = true;
  }

  if (definition.dependsOn.length > 0) {
    const clauses = definition.dependsOn.map((expr) => describeDependency(expr, requested, valueOf, lookup));
    parts.push(`${clauses.map((clause) => clause.text).join("; ")}.`);
    if (clauses.some((clause) => clause.blocks)) causeFound = true;
  }
  if (definition.selects.length > 0) parts.push(`selects: ${definition.selects.join(", ")}.`);

  if (requested === "m" && now !== "m" && definition.type === "tristate" && valueOf("MODULES") !== "y") {
    parts.push("MODULES is not enabled, so it cannot be m (m is promoted to y where allowed).");
    causeFound = true;
  }
  if (requested === "n" && now !== "n" && typeof symbols !== "function") {
    const selectors = selectedBy(name, symbols, valueOf);
    if (selectors.length > 0) {
      parts.push(`Forced on by select from: ${selectors.join(", ")}.`);
      causeFound = true;
    }
  }
  if (definition.prompt === null) {
    parts.push("It has no prompt, so a .config line cannot set it: only its defaults or a select can.");
    causeFound = true;
  }
  if (!causeFound) {
    parts.push("Its dependencies look met: a choice, a range, a select or a default decided otherwise.");
  }
  return parts.join(" ");
}

/** `depends on A && B (A=y, B=n) [unmet]`. */
function describeDependency(
  expr: string,
  requested: string,
  valueOf: (name: string) => string,
  lookup: (name: string) => ScannedSymbol | undefined,
): { text: string; blocks: boolean } {
  const names = symbolsInExpression(expr);
  const values = names.length > 0 ? ` (${names.map((n) => `${n}=${valueOf(n)}`).join(", ")})` : "";
  const result = evaluateDependency(expr, valueOf, lookup);
  let verdict = "";
  if (result === "n") verdict = " [unmet]";
  else if (result === "m" && requested === "y") verdict = " [limits it to m]";
  // Dependencies can only hold a value down, never explain an `n` that did not stick.
  return { text: `depends on ${expr}${values}${verdict}`, blocks: verdict !== "" && requested !== "n" };
}

function invalidForType(type: ScannedSymbol["type"], requested: string): string | null {
  const kind = classifyValue(requested);
  // `n` is how any unset symbol reads, whatever its type.
  const valid =
    type === "unknown" ||
    requested === "n" ||
    (type === "bool" ? requested === "y" : type === "tristate" ? kind === "tristate" : kind === type);
  if (valid) return null;
  const article = type === "int" ? "an" : "a";
  return `${requested} is not a valid value for ${article} ${type} symbol.`;
}

/** Enabled symbols whose `select` names `name` (the usual reason an `n` does not stick). */
function selectedBy(name: string, symbols: Map<string, ScannedSymbol>, valueOf: (n: string) => string): string[] {
  const selectors: string[] = [];
  for (const candidate of symbols.values()) {
    const value = valueOf(candidate.name);
    if (value !== "y" && value !== "m") continue;
    if (candidate.selects.some((select) => select.split(/\s+/)[0] === name)) {
      selectors.push(`${candidate.name}=${value}`);
    }
  }
  return selectors;
}

/**
 * Evaluates a `depends on` expression with Kconfig's tristate logic
 * (n < m < y; && is min, || is max, ! is y-minus). undefined when the
 * expression holds something this cannot evaluate, such as a `$(...)` macro.
 */
export function evaluateDependency(
  expr: string,
  valueOf: (name: string) => string,
  lookup: (name: string) => ScannedSymbol | undefined = () => undefined,
): Tristate | undefined {
  try {
    const parser = new ExpressionParser(tokenize(expr), valueOf, lookup);
    return parser.parse();
  } catch {
    return undefined;
  }
}

type Token = { kind: "op"; text: string } | { kind: "word"; text: string } | { kind: "string"; text: string };

const OPERATORS = ["&&", "||", "!=", "<=", ">=", "=", "<", ">", "!", "(", ")"];

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i] as string;
    if (c === " " || c === "\t") {
      i++;
      continue;
    }
    const operator = OPERATORS.find((op) => expr.startsWith(op, i));
    if (operator !== undefined) {
      tokens.push({ kind: "op", text: operator });
      i += operator.length;
      continue;
    }
    if (c === '"' || c === "'") {
      let text = "";
      let j = i + 1;
      for (; j < expr.length && expr[j] !== c; j++) text += expr[j] === "\\" ? (expr[++j] ?? "") : expr[j];
      if (j >= expr.length) throw new Error("unterminated string");
      tokens.push({ kind: "string", text });
      i = j + 1;
      continue;
    }
    const word = /^[A-Za-z0-9_-]+/.exec(expr.slice(i));
    if (word === null) throw new Error(`cannot evaluate "${c}"`);
    tokens.push({ kind: "word", text: word[0] });
    i += word[0].length;
  }
  return tokens;
}

const RANK: Record<Tristate, number> = { n: 0, m: 1, y: 2 };
const BY_RANK: Tristate[] = ["n", "m", "y"];

class ExpressionParser {
  private position = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly valueOf: (name: string) => string,
    private readonly lookup: (name: string) => ScannedSymbol | undefined,
  ) {}

  parse(): Tristate {
    const value = this.or();
    if (this.position !== this.tokens.length) throw new Error("trailing tokens");
    return value;
  }

  private or(): Tristate {
    let value = this.and();
    while (this.takeOperator("||")) value = BY_RANK[Math.max(RANK[value], RANK[this.and()])] as Tristate;
    return value;
  }

  private and(): Tristate {
    let value = this.unary();
    while (this.takeOperator("&&")) value = BY_RANK[Math.min(RANK[value], RANK[this.unary()])] as Tristate;
    return value;
  }

  private unary(): Tristate {
    if (this.takeOperator("!")) return BY_RANK[2 - RANK[this.unary()]] as Tristate;
    if (this.takeOperator("(")) {
      const value = this.or();
      if (!this.takeOperator(")")) throw new Error("missing )");
      return value;
    }
    const left = this.operand();
    const comparison = this.peekComparison();
    if (comparison === null) return left.tristate;
    this.position++;
    const right = this.operand();
    return compare(left.text, comparison, right.text) ? "y" : "n";
  }

  private operand(): { tristate: Tristate; text: string } {
    const token = this.tokens[this.position++];
    if (token === undefined || token.kind === "op") throw new Error("expected a symbol or constant");
    if (token.kind === "string" || !isSymbolName(token.text)) {
      return { tristate: asTristate(token.text), text: token.text };
    }
    const raw = this.valueOf(token.text);
    const type = this.lookup(token.text)?.type;
    const unsetNonTristate = raw === "n" && (type === "string" || type === "int" || type === "hex");
    const text = unsetNonTristate ? "" : raw.startsWith('"') ? unquote(raw) : raw;
    return { tristate: asTristate(raw), text };
  }

  private peekComparison(): string | null {
    const token = this.tokens[this.position];
    if (token?.kind !== "op") return null;
    return ["=", "!=", "<", "<=", ">", ">="].includes(token.text) ? token.text : null;
  }

  private takeOperator(text: string): boolean {
    const token = this.tokens[this.position];
    if (token?.kind === "op" && token.text === text) {
      this.position++;
      return true;
    }
    return false;
  }
}

function isSymbolName(word: string): boolean {
  return symbolsInExpression(word).length === 1;
}

function asTristate(value: string): Tristate {
  return value === "y" || value === "m" ? value : "n";
}

function unquote(value: string): string {
  return value.slice(1, -1).replace(/\\(.)/g, "$1");
}

function compare(left: string, operator: string, right: string): boolean {
  const l = asNumber(left);
  const r = asNumber(right);
  const order = l !== null && r !== null ? Math.sign(l - r) : left < right ? -1 : left > right ? 1 : 0;
  switch (operator) {
    case "=":
      return order === 0;
    case "!=":
      return order !== 0;
    case "<":
      return order < 0;
    case "<=":
      return order <= 0;
    case ">":
      return order > 0;
    default:
      return order >= 0;
  }
}

function asNumber(text: string): number | null {
  if (/^-?[0-9]+$/.test(text)) return Number.parseInt(text, 10);
  if (/^-?0[xX][0-9a-fA-F]+$/.test(text)) return Number.parseInt(text, 16);
  return null;
}
