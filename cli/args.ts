import { type ParseArgsConfig, parseArgs } from "node:util";
import { usage } from "./errors";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * node's parseArgs with kbuild's conventions: unknown flags and a wrong number
 * of operands are usage errors (exit status 2) that show the command's usage;
 * --help prints it and returns null.
 */
export function parseCommandArgs<O extends Options>(args: string[], options: O, text: string, operands: { min: number; max: number }) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...options, help: { type: "boolean" } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw usage(`${err instanceof Error ? err.message : String(err)}\n\n${text}`);
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(text);
    return null;
  }
  const n = parsed.positionals.length;
  if (n < operands.min || n > operands.max) {
    const what = operands.max === 0 ? "takes no operands" : operands.min === operands.max ? `takes ${operands.min} operand${operands.min === 1 ? "" : "s"}` : `takes ${operands.min} to ${operands.max} operands`;
    throw usage(`this command ${what}, got ${n}${n ? `: ${parsed.positionals.join(" ")}` : ""}\n\n${text}`);
  }
  return parsed as unknown as { values: { [K in keyof O]?: O[K] extends { multiple: true } ? string[] : O[K] extends { type: "boolean" } ? boolean : string }; positionals: string[] };
}
