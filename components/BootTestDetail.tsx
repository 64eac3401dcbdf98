"use client";

import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import type { BootTestView } from "@/lib/boot/service";
import { Card } from "./Card";
import { Elapsed } from "./Elapsed";
import { LogCutNotice } from "./LogCutNotice";
import { type LogStep, LogViewer } from "./LogViewer";
import { StatusBadge } from "./StatusBadge";
import { formatBytes, isActiveStatus, shortId } from "./format";

const POLL_MS = 1500;
/** Section names of the log's lines (the runner's step indexes). */
const SECTIONS: Record<number, LogStep> = { 0: { name: "prepare" }, 1: { name: "console" }, 2: { name: "verdict" } };

/** A boot test's page: status and verdict with every check, the live console, the stored files. */
export function BootTestDetail({ initial }: { initial: BootTestView }) {
  const [t, setT] = useState(initial);
  const [canceling, setCanceling] = useState(false);
  const active = isActiveStatus(t.status);

  const refresh = useCallback(async () => {
    const res = await fetch(`/api/v1/boot-tests/${t.id}`, { cache: "no-store" }).catch(() => null);
    if (res?.ok) setT((await res.json()) as BootTestView);
  }, [t.id]);

  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [active, refresh]);
  const onEnd = useCallback(() => void refresh(), [refresh]);

  async function cancel() {
    setCanceling(true);
    await fetch(`/api/v1/boot-tests/${t.id}/cancel`, { method: "POST" }).catch(() => null);
    await refresh();
    setCanceling(false);
  }

  const v = t.verdict;
  return (
    <div className="space-y-4">
      <section className="rounded-md border border-zinc-200 bg-white p-4">
        <div className="flex flex-wrap items-center gap-3">
          <StatusBadge status={t.status} testId="boot-test-status" large />
          <h1 className="text-base font-semibold">
            Boot test <span className="font-mono">{shortId(t.id)}</span>
          </h1>
          <span className="text-xs text-zinc-600">
            of build{" "}
            <Link href={`/builds/${t.buildId}`} className="font-mono text-sky-700 hover:underline" data-testid="boot-test-build">
              {shortId(t.buildId)}
            </Link>
          </span>
          <Elapsed startedAt={t.startedAt} finishedAt={t.finishedAt} live={active} placeholder="" className="font-mono text-xs text-zinc-500" />
          {active && !t.cancelRequested && (
            <button
              type="button"
              onClick={cancel}
              disabled={canceling}
              data-testid="cancel-boot-test"
              className="ml-auto rounded-md border border-red-300 bg-white px-3 py-1 text-sm font-medium text-red-700 hover:bg-red-50 disabled:opacity-50"
            >
              {canceling ? "Canceling…" : "Cancel"}
            </button>
          )}
        </div>
        {t.statusReason && (
          <p data-testid="boot-test-reason" className={`mt-3 rounded border p-2 text-sm ${t.status === "succeeded" ? "border-emerald-300 bg-emerald-50 text-emerald-900" : "border-red-300 bg-red-50 text-red-900"}`}>
            <span className="font-semibold">{t.status === "succeeded" ? "Passed: " : `${t.status[0]!.toUpperCase()}${t.status.slice(1)}: `}</span>
            {t.statusReason}
          </p>
        )}
        <p className="mt-2 text-xs text-zinc-600">
          Modules: <span className="font-mono">{t.modules.map((m) => m.artifact).join(", ") || "none"}</span> · timeout {t.timeoutSeconds} s · {t.environment}
        </p>
      </section>

      <div className="grid gap-4 lg:grid-cols-[19rem_minmax(0,1fr)]">
        <div className="space-y-4">
          <Card title="Checks">
            {v ? (
              <ul className="divide-y divide-zinc-100 text-xs" data-testid="boot-test-checks">
                {v.modules.map((m) => (
                  <Check key={m.file} ok={m.outcome === "loaded"} testId={`check-module-${m.name}`}>
                    module <span className="font-mono">{m.name}</span>: {m.outcome}
                    {m.error && <div className="font-mono text-red-700">{m.error}</div>}
                  </Check>
                ))}
                <Check ok={v.kernelFailures.length === 0}>
                  no panic, Oops or BUG{v.kernelFailures[0] && <div className="font-mono text-red-700">{v.kernelFailures[0].line}</div>}
                </Check>
                {v.expected.map((e) => (
                  <Check key={`e${e.pattern}`} ok={e.seen}>
                    expected <span className="font-mono">{e.pattern}</span>
                  </Check>
                ))}
                {v.forbidden.map((f) => (
                  <Check key={`f${f.pattern}`} ok={f.line === null}>
                    forbidden <span className="font-mono">{f.pattern}</span>
                    {f.line && <div className="font-mono text-red-700">{f.line}</div>}
                  </Check>
                ))}
              </ul>
            ) : (
              <p className="px-3 py-2 text-xs text-zinc-500">{active ? "Judged line by line while the console runs." : "No verdict."}</p>
            )}
          </Card>
          {t.artifacts.length > 0 && (
            <Card title="Files">
              <ul className="divide-y divide-zinc-100 text-xs">
                {t.artifacts.map((a) => (
                  <li key={a.name} className="flex items-center gap-2 px-3 py-1">
                    <a href={a.url} className="font-mono text-sky-700 hover:underline" data-testid={`boot-artifact-${a.name}`}>
                      {a.name}
                    </a>
                    <span className="ml-auto text-zinc-500">{formatBytes(a.size)}</span>
                  </li>
                ))}
              </ul>
            </Card>
          )}
        </div>
        <div className="min-w-0 space-y-2">
          <LogCutNotice cutAt={t.logTruncatedAt} fullLog={t.artifacts.find((a) => a.name === "console.log") ?? null} fullLogName="console.log" />
          <LogViewer buildId={t.buildId} logUrl={`/api/v1/boot-tests/${t.id}/log`} steps={SECTIONS} onEnd={onEnd} />
        </div>
      </div>
    </div>
  );
}

function Check({ ok, testId, children }: { ok: boolean; testId?: string; children: React.ReactNode }) {
  return (
    <li className="flex gap-2 px-3 py-1" data-testid={testId} data-ok={ok}>
      <span className={ok ? "text-emerald-600" : "text-red-600"}>{ok ? "✓" : "✗"}</span>
      <div className="min-w-0">{children}</div>
    </li>
  );
}
