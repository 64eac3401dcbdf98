import { readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import { parseArgs } from "node:util";
import { countDiagnostics, DEFAULT_PREFIXES, formatDiagnostic, parseBuildLog } from "../lib/diagnostics";

const USAGE = `usage: kbuild diagnostics LOGFILE [--json] [--source-prefix /src/]

Lists the errors and warnings of a build log (a kernel or module build's make
output, plain or gzipped): clang, rustc, ld.lld, modpost, Kconfig, and make's own errors when
nothing else explains a failure. Paths are relative to the tree they lie in:
--source-prefix is where the build saw the kernel source (default /src/); the
output directory (/out/) and a module's directory (/module/) are stripped too.

Without --json, the counts and then one line each: file:line:col: severity: message.
With --json, a JSON array of {severity, tool, file, root, line, column, code,
message, logLine, rendered}. The exit status is 0 whether or not the log has
errors; 1 when the log cannot be read; 2 for a usage error.
`;

export async function diagnosticsCommand(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { json: { type: "boolean", default: false }, "source-prefix": { type: "string", default: DEFAULT_PREFIXES.source }, help: { type: "boolean", default: false } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    process.stderr.write(`kbuild diagnostics: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length !== 1 || !values["source-prefix"]) {
    process.stderr.write(USAGE);
    return 2;
  }
  const file = positionals[0]!;
  let log: string;
  try {
    const bytes = await readFile(file);
    // A build's log as downloaded (build.log.gz) reads as well as the plain text.
    log = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString("utf8");
  } catch (err) {
    process.stderr.write(`kbuild diagnostics: cannot read ${file}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  const diagnostics = parseBuildLog(log, { source: values["source-prefix"] });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(diagnostics, null, 2)}\n`);
    return 0;
  }
  const counts = countDiagnostics(diagnostics);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const perTool = Object.entries(counts.byTool)
    .map(([tool, c]) => `${tool}: ${[c.error ? plural(c.error, "error") : "", c.warning ? plural(c.warning, "warning") : ""].filter(Boolean).join(", ")}`)
    .join("; ");
  const out = [`${plural(counts.error, "error")}, ${plural(counts.warning, "warning")}${perTool ? ` (${perTool})` : ""}`];
  for (const d of diagnostics) out.push(`${formatDiagnostic(d)}  [log line ${d.logLine}]`);
  process.stdout.write(`${out.join("\n")}\n`);
  return 0;
}
