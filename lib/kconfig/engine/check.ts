import type { Kconfig } from "./kconfig";

// Kept apart from targets.ts (which reads the tree's files) so that the browser can check an uploaded .config too.

/** Per-line warnings for a user's fragment or uploaded .config: unknown symbols, bad values, junk. */
export function checkFragment(kc: Kconfig, text: string): { line: number; text: string; message: string }[] {
  const warnings: { line: number; text: string; message: string }[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/\r$/, "");
    if (line === "" || (line.startsWith("#") && !/^# CONFIG_\S+ is not set$/.test(line))) return;
    const m = /^(?:CONFIG_([A-Za-z0-9_]+)=(.*)|# CONFIG_([A-Za-z0-9_]+) is not set)$/.exec(line);
    if (!m) {
      warnings.push({ line: i + 1, text: line, message: "not a CONFIG_ assignment: ignored" });
      return;
    }
    const name = m[1] ?? m[3] ?? "";
    const value = m[1] ? (m[2] ?? "") : "n";
    const sym = kc.symbol(name);
    if (!sym || sym.type === "unknown") {
      warnings.push({ line: i + 1, text: line, message: `unknown symbol CONFIG_${name} in this tree: ignored` });
      return;
    }
    const valid =
      sym.type === "bool" ? /^[yn]$/.test(value)
      : sym.type === "tristate" ? /^[ymn]$/.test(value)
      : sym.type === "int" ? /^-?(0|[1-9][0-9]*)$/.test(value)
      : sym.type === "hex" ? /^(0[xX])?[0-9a-fA-F]+$/.test(value)
      : /^"(?:[^"\\]|\\.)*"$/.test(value);
    if (!valid) warnings.push({ line: i + 1, text: line, message: `'${value}' is not a valid ${sym.type} value for CONFIG_${name}: ignored` });
  });
  return warnings;
}
