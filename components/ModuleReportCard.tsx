import Link from "next/link";
import type { ModuleReport } from "@/lib/modules/report";
import { Card } from "./Card";
import { formatBytes, shortDigest } from "./format";

/**
 * What a module build made of the module: each .ko with its modinfo (and
 * whether its vermagic is the kernel's), the compiler's errors with the
 * module's own source lines, and — for code written against another kernel's
 * module API — what differs and the template to start from.
 */
export function ModuleReportCard({ report, kernelBuildId }: { report: ModuleReport; kernelBuildId: string }) {
  return (
    <>
      {report.apiHint && (
        <div role="alert" data-testid="module-api-hint" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
          <p className="font-medium">{report.apiHint.summary}</p>
          <ul className="mt-1 list-disc pl-5 text-xs">
            {report.apiHint.mismatches.map((m) => (
              <li key={`${m.file}:${m.line}:${m.found}`}>
                <span className="font-mono">
                  {m.file}:{m.line}
                </span>
                : {m.found} — use {m.expected}
              </li>
            ))}
          </ul>
          <Link href={`/builds/${kernelBuildId}/module?template=${encodeURIComponent(report.apiHint.templateId)}`} data-testid="module-template-link" className="mt-2 inline-block font-medium text-sky-800 underline">
            Start from the {report.apiHint.templateId} template →
          </Link>
        </div>
      )}

      {report.diagnostics.length > 0 && (
        <Card title={`Compiler diagnostics (${report.diagnostics.length})`}>
          <ul className="divide-y divide-zinc-100" data-testid="module-diagnostics">
            {report.diagnostics.map((d, i) => (
              <li key={i} className="px-3 py-2" data-testid="module-diagnostic" data-file={d.file ?? ""} data-line={d.line ?? ""} data-severity={d.severity}>
                <div className="text-sm">
                  <span className={d.severity === "error" ? "font-semibold text-red-700" : "font-semibold text-amber-700"}>
                    {d.severity}
                    {d.code ? `[${d.code}]` : ""}
                  </span>{" "}
                  {d.message}
                </div>
                {d.file && (
                  <div className="font-mono text-xs text-zinc-600" data-testid="module-diagnostic-location">
                    {d.file}
                    {d.line !== null ? `:${d.line}` : ""}
                    {d.column !== null ? `:${d.column}` : ""}
                  </div>
                )}
                {d.snippet.length > 0 && (
                  <pre className="mt-1 overflow-x-auto rounded bg-zinc-50 p-2 font-mono text-xs leading-5" data-testid="module-diagnostic-snippet">
                    {d.snippet.map((s) => (
                      <div key={s.line} className={s.line === d.line ? "bg-red-100" : ""}>
                        <span className="inline-block w-10 pr-2 text-right text-zinc-400 select-none">{s.line}</span>
                        {s.text}
                      </div>
                    ))}
                  </pre>
                )}
                <details className="mt-1 text-xs">
                  <summary className="cursor-pointer text-zinc-500">as the compiler printed it</summary>
                  <pre className="overflow-x-auto font-mono text-[11px] leading-4 text-zinc-700">{d.rendered.join("\n")}</pre>
                </details>
              </li>
            ))}
          </ul>
        </Card>
      )}

      {report.modules.length > 0 && (
        <Card title="Modules" extra={report.kernelRelease ? <span className="text-xs text-zinc-500">kernel release {report.kernelRelease}</span> : undefined}>
          <div className="divide-y divide-zinc-100" data-testid="module-list">
            {report.modules.map((m) => {
              const matches = !!m.modinfo?.vermagic && m.modinfo.vermagic.split(" ")[0] === report.kernelRelease;
              return (
                <div key={m.file} className="px-3 py-2" data-testid={`modinfo-${m.file}`}>
                  <div className="flex items-center gap-3 text-sm">
                    <span className="font-mono font-medium">{m.file}</span>
                    <span className="text-xs text-zinc-500">{formatBytes(m.size)}</span>
                    {m.sha256 && <span className="font-mono text-xs text-zinc-500" title={m.sha256}>sha256 {shortDigest(m.sha256)}</span>}
                  </div>
                  {m.modinfo ? (
                    <table className="mt-1 text-xs">
                      <tbody>
                        {(
                          [
                            ["name", m.modinfo.name],
                            ["vermagic", m.modinfo.vermagic],
                            ["license", m.modinfo.license],
                            ["author", m.modinfo.author.join(", ")],
                            ["description", m.modinfo.description],
                          ] as const
                        ).map(([k, v]) => (
                          <tr key={k}>
                            <td className="pr-3 font-mono text-zinc-500">{k}</td>
                            <td className="font-mono" data-testid={`modinfo-${k}`}>
                              {v || "—"}
                              {k === "vermagic" && (
                                <span className={`ml-2 font-sans ${matches ? "text-emerald-700" : "text-red-700"}`}>{matches ? "✓ the kernel's release" : "✗ not the kernel's release"}</span>
                              )}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  ) : (
                    <p className="text-xs text-red-700">{m.error}</p>
                  )}
                </div>
              );
            })}
          </div>
        </Card>
      )}
    </>
  );
}
