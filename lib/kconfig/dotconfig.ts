/**
 * Reading and writing kernel `.config` text (the format of
 * scripts/kconfig/confdata.c). Symbol names are kept WITHOUT the `CONFIG_`
 * prefix; values are kept as written (`y`, `123`, `0x1f`, `"quoted"` with its
 * quotes), with `# CONFIG_FOO is not set` read as `n`.
 */

export interface DotConfigWarning {
  /** 1-based line number in the text. */
  line: number;
  /** The offending line, without its line break. */
  text: string;
  message: string;
}

export interface ParsedDotConfig {
  values: Map<string, string>;
  warnings: DotConfigWarning[];
}

export type ConfigValueKind = "tristate" | "int" | "hex" | "string";

const CONFIG_PREFIX = "CONFIG_";
// Kconfig words are [A-Za-z0-9_-]; `-` never appears in a real symbol and would
// make `CONFIG_A-B=y` read as a symbol, so names here are the C-identifier subset.
const SYMBOL_NAME = /^[A-Za-z0-9_]+$/;
const ASSIGNMENT = /^CONFIG_([^=\s]*)=(.*)$/;
const NOT_SET = /^# CONFIG_(\S+) is not set\s*$/;

export const CONFIG_VALUE_PATTERNS: Readonly<Record<ConfigValueKind, RegExp>> = {
  tristate: /^[ymn]$/,
  int: /^-?[0-9]+$/,
  hex: /^0[xX][0-9a-fA-F]+$/,
  // The kernel writes only `\"` and `\\` escapes; anything else did not come from it.
  string: /^"(?:[^"\\\n]|\\["\\])*"$/,
};

/** Which kind of `.config` value `value` is, or null if it is none of them. */
export function classifyValue(value: string): ConfigValueKind | null {
  for (const kind of ["tristate", "int", "hex", "string"] as const) {
    if (CONFIG_VALUE_PATTERNS[kind].test(value)) return kind;
  }
  return null;
}

export function isValidSymbolName(name: string): boolean {
  return SYMBOL_NAME.test(name);
}

/** `"a \"b\""` → `a "b"`. Throws if `quoted` is not a well-formed config string. */
export function unquoteConfigString(quoted: string): string {
  if (!CONFIG_VALUE_PATTERNS.string.test(quoted)) {
    throw new RangeError(`not a quoted .config string: ${quoted}`);
  }
  return quoted.slice(1, -1).replace(/\\(["\\])/g, "$1");
}

/** `a "b"` → `"a \"b\""`, the way confdata.c writes string symbols. */
export function quoteConfigString(text: string): string {
  if (text.includes("\n")) {
    // A newline would end the line and let the rest be read as another assignment.
    throw new RangeError("a .config string cannot contain a line break");
  }
  return `"${text.replace(/["\\]/g, "\\$&")}"`;
}

/** One `.config` line for `name` (without `CONFIG_`); throws on a name or value the kernel would not accept. */
export function formatConfigLine(name: string, value: string): string {
  if (!isValidSymbolName(name)) throw new RangeError(`invalid Kconfig symbol name: ${JSON.stringify(name)}`);
  if (classifyValue(value) === null) {
    throw new RangeError(`invalid value for CONFIG_${name}: ${JSON.stringify(value)}`);
  }
  return value === "n" ? `# ${CONFIG_PREFIX}${name} is not set` : `${CONFIG_PREFIX}${name}=${value}`;
}

/** A whole `.config` fragment, one line per symbol in the map's order, ending with a newline. */
export function formatDotConfig(values: Iterable<readonly [string, string]>): string {
  let out = "";
  for (const [name, value] of values) out += `${formatConfigLine(name, value)}\n`;
  return out;
}

/**
 * Never throws: every line it cannot use becomes a warning and is skipped,
 * because .config files arrive from users and old trees.
 */
export function parseDotConfig(text: string): ParsedDotConfig {
  const values = new Map<string, string>();
  const warnings: DotConfigWarning[] = [];
  const assignedOnLine = new Map<string, number>();
  const lines = text.split("\n");
  // A final newline is not an extra empty line.
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();

  lines.forEach((rawLine, index) => {
    const lineNumber = index + 1;
    const line = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
    const warn = (message: string) => warnings.push({ line: lineNumber, text: line, message });

    const parsed = parseLine(line);
    if (parsed === null) return;
    if ("error" in parsed) {
      warn(parsed.error);
      return;
    }

    const { name, value } = parsed;
    const previousLine = assignedOnLine.get(name);
    if (previousLine !== undefined) {
      warn(`CONFIG_${name} was already set on line ${previousLine} (to ${values.get(name)}); this later value wins`);
    }
    values.set(name, value);
    assignedOnLine.set(name, lineNumber);
  });

  return { values, warnings };
}

type LineResult = { name: string; value: string } | { error: string } | null;

/** null: a blank or comment line with nothing to say. */
function parseLine(line: string): LineResult {
  if (line.trim() === "") return null;

  if (line.startsWith("#")) {
    const notSet = NOT_SET.exec(line);
    if (notSet === null) return null;
    const name = notSet[1] ?? "";
    if (!isValidSymbolName(name)) return { error: `invalid symbol name "${name}"` };
    return { name, value: "n" };
  }

  const assignment = ASSIGNMENT.exec(line);
  if (assignment === null) {
    return { error: line.startsWith(CONFIG_PREFIX) ? "expected CONFIG_NAME=value" : "unexpected data (not a CONFIG_ assignment or comment)" };
  }
  const name = assignment[1] ?? "";
  // Trailing blanks are invisible in an editor; the kernel would reject the value over them.
  const value = (assignment[2] ?? "").trimEnd();
  if (!isValidSymbolName(name)) return { error: `invalid symbol name "${name}"` };
  if (value === "") return { error: `CONFIG_${name} has an empty value` };
  if (classifyValue(value) === null) {
    const message = value.startsWith('"')
      ? `CONFIG_${name} has a malformed string value (unterminated, or an escape other than \\" and \\\\)`
      : `CONFIG_${name} has an invalid value (expected y, m, n, a number, a 0x hex number or a "string")`;
    return { error: message };
  }
  return { name, value };
}
