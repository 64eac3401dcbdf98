import type { BuildDiagnostic, DiagnosticsSummary, WarningRegression } from "@/lib/diagnostics";
import Link from "next/link";
import { Card } from "./Card";
import { shortId } from "./format";

/** Where the file lies when it is not the kernel source: the build's output directory or the module's own. */
const ROOT_LABEL = { source: "", out: "build dir: ", module: "" } as const;

function location(d: BuildDiagnostic): string {
  if (!d.file) return "";
  return `${d.root ? ROOT_LABEL[d.root] : ""}${d.file}${d.line !== null ? `:${d.line}` : ""}${d.column !== null ? `:${d.column}` : ""}`;
}

/**
 * The errors and warnings read from the build's log as it streamed: counts per
 * severity and tool, a jump to the first error, and each diagnostic with its
 * place in the tree and a link to its line in the log below.
 */
export function DiagnosticsCard({ buildId, summary }: { buildId: string; summary: DiagnosticsSummary }) {
  const { counts, diagnostics, more } = summary;
  const first = diagnostics.find((d) => d.severity === "error") ?? null;
  const tools = Object.entries(counts.byTool).map(([tool, c]) => `${tool} ${[c.error && `${c.error} error${c.error === 1 ? "" : "s"}`, c.warning && `${c.warning} warning${c.warning === 1 ? "" : "s"}`].filter(Boolean).join(", ")}`);
  return (
    <Card
      title="Errors and warnings"
      extra={
        first && (
          <a href={`#L${first.logLine}`} data-testid="jump-first-error" className="text-xs font-medium text-red-700 hover:underline">
            Jump to the first error →
          </a>
        )
      }
    >
      <div className="space-y-2 p-3 text-[13px]" data-testid="diagnostics">
        <p className="text-xs text-zinc-600">
          <span data-testid="diagnostics-errors" className={counts.error ? "font-semibold text-red-700" : ""}>
            {counts.error} error{counts.error === 1 ? "" : "s"}
          </span>
          {", "}
          <span data-testid="diagnostics-warnings" className={counts.warning ? "font-semibold text-amber-700" : ""}>
            {counts.warning} warning{counts.warning === 1 ? "" : "s"}
          </span>
          {tools.length > 0 && <span className="text-zinc-500"> — {tools.join("; ")}</span>}
        </p>
        <ul className="divide-y divide-zinc-100">
          {diagnostics.map((d) => (
            <li key={`${d.logLine}:${d.message}`} data-testid="diagnostic" data-severity={d.severity} data-file={d.file ?? ""} data-line={d.line ?? ""} className="flex items-baseline gap-2 py-1">
              <span className={`shrink-0 rounded px-1 text-[11px] font-medium ${d.severity === "error" ? "bg-red-100 text-red-800" : "bg-amber-100 text-amber-800"}`}>
                {d.severity}
                {d.tool === "rustc" && d.code ? `[${d.code}]` : ""}
              </span>
              <span className="min-w-0 flex-1">
                {location(d) && <span className="font-mono text-xs text-zinc-700">{location(d)}: </span>}
                <span className="break-words">{d.message}</span>
                {d.code && d.tool !== "rustc" && <span className="font-mono text-xs text-zinc-500"> [{d.code}]</span>}
              </span>
              <a href={`#L${d.logLine}`} data-testid="diagnostic-log-link" className="shrink-0 font-mono text-xs text-sky-700 hover:underline">
                log line {d.logLine}
              </a>
            </li>
          ))}
        </ul>
        {more > 0 && <p className="text-xs text-zinc-500">and {more} more in the log</p>}
        {summary.regression && <Regression buildId={buildId} regression={summary.regression} />}
      </div>
    </Card>
  );
}

/** Warnings new and fixed against the previous build of the same source, profile and .config. */
function Regression({ buildId, regression: r }: { buildId: string; regression: WarningRegression }) {
  const line = (d: BuildDiagnostic) => `${location(d) ? `${location(d)}: ` : ""}${d.message}${d.code && d.tool !== "rustc" ? ` [${d.code}]` : ""}`;
  return (
    <div className="border-t border-zinc-100 pt-2" data-testid="warnings-regression">
      <p className="text-xs text-zinc-600">
        Against build{" "}
        <Link href={`/builds/${r.baseline}`} className="font-mono text-sky-700 hover:underline">
          {shortId(r.baseline)}
        </Link>{" "}
        (the previous build of the same source, profile and .config):{" "}
        <span data-testid="new-warnings" className={r.newCount ? "font-semibold text-amber-800" : ""}>
          {r.newCount} new
        </span>
        ,{" "}
        <span data-testid="fixed-warnings" className={r.fixedCount ? "font-semibold text-emerald-700" : ""}>
          {r.fixedCount} fixed
        </span>
        {r.partial && " (over the diagnostics each build kept)"}
        {" · "}
        <Link href={`/builds/compare?a=${r.baseline}&b=${buildId}`} className="text-sky-700 hover:underline">
          compare the two builds
        </Link>
      </p>
      {[...r.new.map((d) => ["new", d] as const), ...r.fixed.map((d) => ["fixed", d] as const)].map(([kind, d]) => (
        <p key={`${kind}:${d.logLine}:${d.message}`} className="font-mono text-xs break-words">
          <span className={kind === "new" ? "text-amber-800" : "text-emerald-700"}>{kind === "new" ? "+ " : "− "}</span>
          {line(d)}
        </p>
      ))}
    </div>
  );
}
