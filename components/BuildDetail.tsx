"use client";

import Link from "next/link";
import { useCallback, useEffect, useMemo, useState } from "react";
import type { BuildView } from "@/lib/builds/service";
import { ArtifactsCard } from "./ArtifactsCard";
import { BootTestsCard } from "./BootTestsCard";
import { Card } from "./Card";
import { CopyButton } from "./CopyButton";
import { DiagnosticsCard } from "./DiagnosticsCard";
import { Elapsed } from "./Elapsed";
import { LogCutNotice } from "./LogCutNotice";
import { LogViewer } from "./LogViewer";
import { ModuleReportCard } from "./ModuleReportCard";
import type { ModuleReport } from "@/lib/modules/report";
import { StatusBadge } from "./StatusBadge";
import { StepIcon } from "./StepIcon";
import { StepProgress } from "./StepProgress";
import { formatTimestamp, isActiveStatus, optionText, shortId, sortOptions, targetsText } from "./format";

const POLL_MS = 1500;

interface ConfigReportRow {
  symbol: string;
  requested: string | null;
  resolved: string | null;
  ok: boolean;
  explanation: string | null;
}

function readConfigReport(raw: unknown): ConfigReportRow[] | null {
  if (!Array.isArray(raw)) return null;
  return raw
    .filter((r): r is Record<string, unknown> => !!r && typeof r === "object")
    .map((r) => ({
      symbol: String(r.symbol ?? "").replace(/^CONFIG_/, ""),
      requested: r.requested == null ? null : String(r.requested),
      resolved: r.resolved == null ? null : String(r.resolved),
      ok: r.ok === undefined ? r.requested === r.resolved : Boolean(r.ok),
      explanation: r.explanation == null ? null : String(r.explanation),
    }));
}

interface EngineCheckView {
  status: "agrees" | "disagrees" | "unavailable";
  reason: string | null;
  differences: { symbol: string; kernel: string; engine: string }[];
  more: number;
}

function readEngineCheck(raw: unknown): EngineCheckView | null {
  if (!raw || typeof raw !== "object") return null;
  const r = raw as Record<string, unknown>;
  const status = r.status === "agrees" || r.status === "disagrees" || r.status === "unavailable" ? r.status : null;
  if (!status) return null;
  const differences = Array.isArray(r.differences)
    ? r.differences.map((d: Record<string, unknown>) => ({ symbol: String(d.symbol), kernel: String(d.kernel), engine: String(d.engine) }))
    : [];
  return { status, reason: typeof r.reason === "string" ? r.reason : null, differences, more: Number(r.more ?? 0) };
}

/** The TypeScript Kconfig engine's .config for the same inputs, against the kernel's: disagreements are shown, never hidden. */
function EngineCheckCard({ check }: { check: EngineCheckView }) {
  const summary =
    check.status === "agrees"
      ? "the engine resolves the same .config as the kernel"
      : check.status === "unavailable"
        ? `not compared: ${check.reason ?? "no model"}`
        : `the engine disagrees on ${check.differences.length + check.more} symbol(s); the build uses the kernel's .config`;
  return (
    <Card title="Kconfig engine check" extra={<span className={`text-xs ${check.status === "disagrees" ? "font-medium text-amber-700" : check.status === "agrees" ? "text-emerald-700" : "text-zinc-500"}`}>{summary}</span>}>
      <div data-testid="engine-check" data-status={check.status}>
        {check.differences.length > 0 && (
          <table className="w-full text-[13px]">
            <thead className="border-b border-zinc-200 text-left text-xs text-zinc-500">
              <tr>
                <th className="px-3 py-1.5 font-medium">Option</th>
                <th className="px-3 py-1.5 font-medium">Kernel</th>
                <th className="px-3 py-1.5 font-medium">Engine</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 font-mono text-xs">
              {check.differences.map((d) => (
                <tr key={d.symbol}>
                  <td className="px-3 py-1">CONFIG_{d.symbol}</td>
                  <td className="px-3 py-1">{d.kernel}</td>
                  <td className="px-3 py-1">{d.engine}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </Card>
  );
}

function readToolchain(raw: unknown): [string, string][] {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return [];
  return Object.entries(raw as Record<string, unknown>).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]);
}

/** The build page's live part: polls the build while it is not finished and hosts the log. `canSubmit`: false for a viewer, who gets no cancel button, no module or boot-test form. */
export function BuildDetail({ initial, canSubmit = true }: { initial: BuildView; canSubmit?: boolean }) {
  const [build, setBuild] = useState<BuildView>(initial);
  const [pollFailing, setPollFailing] = useState(false);
  const [canceling, setCanceling] = useState(false);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const active = isActiveStatus(build.status);

  const refresh = useCallback(async () => {
    try {
      const res = await fetch(`/api/v1/builds/${build.id}`, { cache: "no-store", headers: { Accept: "application/json" } });
      if (!res.ok) throw new Error(String(res.status));
      setBuild((await res.json()) as BuildView);
      setPollFailing(false);
    } catch {
      setPollFailing(true);
    }
  }, [build.id]);

  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const tick = async () => {
      if (document.visibilityState === "visible") await refresh();
      if (!stopped) timer = setTimeout(tick, POLL_MS);
    };
    timer = setTimeout(tick, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [active, refresh]);

  async function cancel() {
    setCanceling(true);
    setCancelError(null);
    try {
      const res = await fetch(`/api/v1/builds/${build.id}/cancel`, { method: "POST", headers: { Accept: "application/json" } });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: string } | null;
        setCancelError(body?.error ?? `the server answered ${res.status}`);
      }
    } catch (err) {
      setCancelError(`could not reach the server: ${(err as Error).message}`);
    }
    await refresh();
    setCanceling(false);
  }

  const stepsKey = build.steps.map((s) => `${s.index}:${s.name}:${s.status}:${s.startedAt}:${s.finishedAt}`).join("\n");
  const logSteps = useMemo(
    () => Object.fromEntries(build.steps.map((s) => [s.index, { name: s.name, status: s.status, startedAt: s.startedAt, finishedAt: s.finishedAt }])),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [stepsKey],
  );
  // The worker's gzip of the log once the build stored it; until then the server compresses the log on request.
  const gzipArtifact = build.artifacts.find((a) => a.name === "build.log.gz");
  // What is still on disk: a kernel or module kit the retention policy removed cannot be booted or built against (410).
  const kept = build.artifacts.filter((a) => !a.removedAt);
  const gzipUrl = gzipArtifact?.url ?? `/api/v1/builds/${encodeURIComponent(build.id)}/log?format=gzip`;
  const onLogEnd = useCallback(() => void refresh(), [refresh]);

  const configReport = readConfigReport(build.configReport);
  const engineCheck = readEngineCheck(build.engineCheck);
  const toolchain = readToolchain(build.toolchain);
  const options = sortOptions(build.options ?? []);
  const ended = ["failed", "error", "canceled"].includes(build.status);

  return (
    <div className="space-y-4">
      {/* Header */}
      <section className="rounded-md border border-zinc-200 bg-white p-4">
        <div className="flex flex-wrap items-center gap-3">
          <StatusBadge status={build.status} testId="build-status" large />
          <h1 className="text-base font-semibold">
            Build <span className="font-mono">{shortId(build.id)}</span>
          </h1>
          <span className="hidden font-mono text-xs text-zinc-400 md:inline">{build.id}</span>
          <CopyButton text={build.id} label="copy id" />
          {build.status === "queued" && build.queuePosition !== null && (
            <span className="rounded bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800" data-testid="queue-position">
              #{build.queuePosition} in queue
            </span>
          )}
          {build.status === "running" && build.workerId && (
            <span className="text-xs text-zinc-600" data-testid="worker-id">
              on worker <span className="font-mono">{build.workerId}</span>
            </span>
          )}
          {build.cancelRequested && active && <span className="text-xs font-medium text-zinc-600">cancel requested — stopping…</span>}
          {pollFailing && active && <span className="text-xs text-amber-700">lost contact with the server; retrying…</span>}
          <div className="ml-auto flex items-center gap-2">
            {active && !build.cancelRequested && canSubmit && (
              <button
                type="button"
                onClick={cancel}
                disabled={canceling}
                data-testid="cancel-build"
                className="rounded-md border border-red-300 bg-white px-3 py-1 text-sm font-medium text-red-700 hover:bg-red-50 disabled:opacity-50"
              >
                {canceling ? "Canceling…" : "Cancel build"}
              </button>
            )}
            <Link href={`/builds/compare?a=${build.id}`} data-testid="compare-build" className="rounded-md border border-zinc-300 bg-white px-3 py-1 text-sm hover:bg-zinc-50">
              Compare…
            </Link>
            <Link href="/builds/new" className="rounded-md border border-zinc-300 bg-white px-3 py-1 text-sm hover:bg-zinc-50">
              New build
            </Link>
          </div>
        </div>
        {cancelError && <p className="mt-2 text-sm text-red-700">Cancel failed: {cancelError}</p>}

        {build.statusReason &&
          (ended ? (
            <div
              data-testid="status-reason"
              role="alert"
              className={`mt-3 rounded border p-3 ${
                build.status === "canceled" ? "border-zinc-300 bg-zinc-50 text-zinc-800" : build.status === "error" ? "border-fuchsia-300 bg-fuchsia-50 text-fuchsia-900" : "border-red-300 bg-red-50 text-red-900"
              }`}
            >
              <span className="font-semibold">{build.status === "failed" ? "Failed: " : build.status === "error" ? "Error: " : "Canceled: "}</span>
              {build.statusReason}
            </div>
          ) : (
            <p className="mt-2 text-sm text-zinc-600" data-testid="status-reason">
              {build.statusReason}
            </p>
          ))}

        <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-2 text-[13px] md:grid-cols-4">
          <Meta label="Source">
            {build.source.name}
            {build.source.version && (
              <span className="ml-1.5 font-mono text-xs text-zinc-500" data-testid="kernel-version">
                {build.source.version}
              </span>
            )}
          </Meta>
          <Meta label="Toolchain profile">
            <span className="font-mono text-xs">{build.profile}</span>
          </Meta>
          <Meta label="Base config">
            <span className="font-mono text-xs">{build.baseConfig}</span> · {build.arch} · -j{build.jobs}
          </Meta>
          <Meta label="Submitter">{build.submitter.name}</Meta>
          <Meta label="Created">{formatTimestamp(build.createdAt)}</Meta>
          <Meta label="Started">{formatTimestamp(build.startedAt)}</Meta>
          <Meta label="Finished">{formatTimestamp(build.finishedAt)}</Meta>
          <Meta label="Duration">
            <Elapsed startedAt={build.startedAt} finishedAt={build.finishedAt} live={active} placeholder="—" className="font-mono text-xs" testId="build-duration" />
          </Meta>
        </dl>

        {/* A module build has no targets or options of its own: its kernel build has. */}
        {build.kind !== "module" && (
          <>
            <div className="mt-3 text-[13px]">
              <span className="text-xs font-medium text-zinc-500">Targets: </span>
              <span className={build.targets.length ? "font-mono text-xs" : "text-xs text-zinc-600"} data-testid="build-targets">
                {targetsText(build.targets)}
              </span>
              {build.targets.length === 0 && <span className="text-xs text-zinc-500"> — resolves the .config, compiles nothing</span>}
            </div>

            <div className="mt-3">
              <div className="mb-1 text-xs font-medium text-zinc-500">Requested options</div>
              {options.length ? (
                <div className="flex flex-wrap gap-1" data-testid="requested-options">
                  {options.map((o) => (
                    <span key={o.symbol} className="rounded bg-zinc-100 px-1.5 py-px font-mono text-[11px] text-zinc-800">
                      {optionText(o)}
                    </span>
                  ))}
                </div>
              ) : (
                <span className="text-xs text-zinc-500">none (base configuration as it is)</span>
              )}
            </div>
          </>
        )}
      </section>

      <div className="grid gap-4 lg:grid-cols-[19rem_minmax(0,1fr)]">
        {/* Left column: steps and toolchain */}
        <div className="space-y-4">
          <Card title="Steps">
            {build.steps.length === 0 ? (
              <p className="px-3 py-2 text-xs text-zinc-500">{build.status === "queued" ? "Steps appear when a worker picks the build up." : "No steps."}</p>
            ) : (
              <ol className="divide-y divide-zinc-100">
                {build.steps.map((s) => (
                  <StepRow key={s.index} step={s} live={active} />
                ))}
              </ol>
            )}
          </Card>

          {toolchain.length > 0 && (
            <Card title="Toolchain">
              <table className="w-full text-xs" data-testid="toolchain">
                <tbody className="divide-y divide-zinc-100">
                  {toolchain.map(([tool, version]) => (
                    <tr key={tool}>
                      <td className="px-3 py-1 font-mono whitespace-nowrap text-zinc-600">{tool}</td>
                      <td className="px-3 py-1 font-mono break-all">{version}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Card>
          )}
        </div>

        {/* Right column: reports, artifacts, log */}
        <div className="min-w-0 space-y-4">
          {build.kind === "module" && build.kernelBuildId && (
            <p className="text-sm text-zinc-600" data-testid="module-of-kernel">
              Module built against kernel build{" "}
              <Link href={`/builds/${build.kernelBuildId}`} className="font-mono text-sky-700 hover:underline">{shortId(build.kernelBuildId)}</Link>
              {canSubmit && (
                <>
                  {" · "}
                  <Link href={`/builds/${build.kernelBuildId}/module?from=${build.id}`} data-testid="module-edit-again" className="text-sky-700 hover:underline">edit these files and build again</Link>
                  {" · "}
                  <Link href={`/builds/${build.kernelBuildId}/module`} className="text-sky-700 hover:underline">build another module</Link>
                </>
              )}
            </p>
          )}
          {build.kind === "module" && !!build.moduleReport && <ModuleReportCard report={build.moduleReport as unknown as ModuleReport} kernelBuildId={build.kernelBuildId ?? ""} />}
          {build.kind !== "module" && canSubmit && kept.some((a) => a.name === "module-kit.tar.xz") && (
            <Link href={`/builds/${build.id}/module`} data-testid="build-module" className="inline-block rounded-md border border-emerald-700 px-3 py-1 text-sm font-medium text-emerald-800 hover:bg-emerald-50">
              Build an out-of-tree module against this kernel →
            </Link>
          )}

          {build.diagnostics && (build.diagnostics.counts.error + build.diagnostics.counts.warning > 0 || !!build.diagnostics.regression?.fixedCount) && (
            <DiagnosticsCard buildId={build.id} summary={build.diagnostics} />
          )}

          {configReport && configReport.length > 0 && <ConfigReport rows={configReport} />}

          {engineCheck && <EngineCheckCard check={engineCheck} />}

          {build.artifacts.length > 0 && <ArtifactsCard artifacts={build.artifacts} />}

          {build.status === "succeeded" && kept.some((a) => a.name === "bzImage") && (
            <BootTestsCard buildId={build.id} modules={kept.filter((a) => a.name.endsWith(".ko")).map((a) => a.name)} canSubmit={canSubmit} />
          )}

          <LogCutNotice
            cutAt={build.logTruncatedAt}
            fullLog={gzipArtifact ?? null}
            fullLogName="build.log.gz"
            fullLogCutAt={build.logArtifactTruncatedAt}
          />
          <LogViewer buildId={build.id} steps={logSteps} onEnd={onLogEnd} gzipUrl={gzipUrl} startedAt={build.startedAt} />
        </div>
      </div>
    </div>
  );
}

function ConfigReport({ rows }: { rows: ConfigReportRow[] }) {
  const dropped = rows.filter((r) => !r.ok).length;
  return (
    <Card
      title="Configuration report"
      extra={
        dropped ? (
          <span className="text-xs font-medium text-red-700">
            {dropped} of {rows.length} requested option{rows.length === 1 ? "" : "s"} not applied
          </span>
        ) : (
          <span className="text-xs text-emerald-700">all {rows.length} requested options applied</span>
        )
      }
    >
      <table className="w-full text-[13px]" data-testid="config-report">
        <thead className="border-b border-zinc-200 text-left text-xs text-zinc-500">
          <tr>
            <th className="px-3 py-1.5 font-medium">Option</th>
            <th className="px-3 py-1.5 font-medium">Requested</th>
            <th className="px-3 py-1.5 font-medium">Resolved</th>
            <th className="px-3 py-1.5 font-medium">Explanation</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {rows.map((r) => (
            <tr key={r.symbol} className={r.ok ? "" : "bg-red-50"} data-testid={`config-report-${r.symbol}`} data-ok={r.ok}>
              <td className="px-3 py-1 font-mono text-xs whitespace-nowrap">
                <span className={r.ok ? "text-emerald-600" : "text-red-600"}>{r.ok ? "✓" : "✗"}</span> CONFIG_{r.symbol}
              </td>
              <td className="px-3 py-1 font-mono text-xs">{r.requested ?? "—"}</td>
              <td className={`px-3 py-1 font-mono text-xs ${r.ok ? "" : "font-semibold text-red-800"}`}>{r.resolved ?? "not set"}</td>
              <td className={`px-3 py-1 text-xs whitespace-pre-wrap ${r.ok ? "text-zinc-500" : "text-red-900"}`}>{r.explanation ?? (r.ok ? "" : "dropped")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

type Step = BuildView["steps"][number];

/** One step: its status, elapsed time, make progress, and why it was skipped or failed. */
function StepRow({ step: s, live }: { step: Step; live: boolean }) {
  return (
    <li data-testid={`step-${s.name}`} data-status={s.status} className="px-3 py-1.5">
      <div className="flex items-center gap-2">
        <StepIcon status={s.status} />
        <a href={`#log-step-${s.index}`} className="min-w-0 flex-1 truncate hover:underline" title={s.argv.join(" ")}>
          {s.name}
        </a>
        {s.exitCode !== null && (
          <span className={`font-mono text-[11px] ${s.exitCode === 0 ? "text-zinc-400" : "font-semibold text-red-700"}`} data-testid={`step-exit-${s.name}`}>
            exit {s.exitCode}
          </span>
        )}
        <Elapsed
          startedAt={s.startedAt}
          finishedAt={s.finishedAt}
          live={live && s.status === "running"}
          className={`font-mono text-[11px] ${s.status === "running" ? "text-sky-700" : "text-zinc-500"}`}
          testId={`step-elapsed-${s.name}`}
        />
      </div>
      {s.progress && <StepProgress name={s.name} status={s.status} progress={s.progress} />}
      {s.reason && (
        <div className={`mt-0.5 pl-6 text-xs ${s.status === "failed" || s.status === "error" ? "text-red-700" : "text-zinc-500"}`} data-testid={`step-reason-${s.name}`}>
          {s.status === "skipped" && <span className="font-medium">skipped: </span>}
          {s.reason}
        </div>
      )}
    </li>
  );
}

function Meta({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="truncate">{children}</dd>
    </div>
  );
}
