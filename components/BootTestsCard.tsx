"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { parsePatternLines } from "@/lib/boot/pattern-lines";
import type { BootTestView } from "@/lib/boot/service";
import type { ModuleBuildModules } from "@/lib/modules/service";
import { Card } from "./Card";
import { StatusBadge } from "./StatusBadge";
import { formatTimestamp, isActiveStatus, shortId } from "./format";

const POLL_MS = 2000;

/**
 * A kernel build's boot tests: the list (status, verdict, link) and the form
 * that starts one — modules chosen among the build's .ko artifacts and those
 * of its succeeded out-of-tree module builds, loaded in the order chosen; expected
 * and forbidden console patterns, a timeout. A refusal (a kernel that cannot
 * boot this way, a bad pattern) is shown as the server words it.
 */
/** A .ko a boot test can load: the kernel build's own (no `build`), or one of a module build's. */
interface ModuleChoice {
  key: string;
  build?: string;
  artifact: string;
}

const ownModule = (artifact: string): ModuleChoice => ({ key: artifact, artifact });

/** `canSubmit`: false for a viewer, who sees the team's boot tests but gets no form to start one. */
export function BootTestsCard({ buildId, modules, canSubmit }: { buildId: string; modules: string[]; canSubmit: boolean }) {
  const router = useRouter();
  const [tests, setTests] = useState<BootTestView[] | null>(null);
  const [moduleBuilds, setModuleBuilds] = useState<ModuleBuildModules[]>([]);
  const [chosen, setChosen] = useState<ModuleChoice[]>(() => modules.map(ownModule));
  const [expectText, setExpectText] = useState("");
  const [forbidText, setForbidText] = useState("");
  const [timeout, setTimeoutSeconds] = useState(60);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<{ message: string; issues: { path: string; message: string }[] } | null>(null);

  const refresh = useCallback(async () => {
    const res = await fetch(`/api/v1/builds/${buildId}/boot-tests`, { cache: "no-store" }).catch(() => null);
    if (res?.ok) setTests(((await res.json()) as { bootTests: BootTestView[] }).bootTests);
  }, [buildId]);

  useEffect(() => {
    void (async () => {
      const res = await fetch(`/api/v1/builds/${buildId}/modules`, { cache: "no-store" }).catch(() => null);
      if (res?.ok) setModuleBuilds(((await res.json()) as { moduleBuilds?: ModuleBuildModules[] }).moduleBuilds ?? []);
    })();
  }, [buildId]);

  const anyActive = tests?.some((t) => isActiveStatus(t.status)) ?? false;
  useEffect(() => {
    void refresh();
  }, [refresh]);
  useEffect(() => {
    if (!anyActive) return;
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [anyActive, refresh]);

  async function start() {
    setSubmitting(true);
    setError(null);
    try {
      const res = await fetch(`/api/v1/builds/${buildId}/boot-tests`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({
          modules: chosen.map(({ build, artifact }) => (build ? { build, artifact } : { artifact })),
          expect: parsePatternLines(expectText),
          forbid: parsePatternLines(forbidText),
          timeoutSeconds: timeout,
        }),
      });
      const body = (await res.json().catch(() => null)) as { id?: string; error?: string; issues?: { path: string; message: string }[] } | null;
      if (res.status === 201 && body?.id) {
        router.push(`/boot-tests/${body.id}`);
        return;
      }
      setError({ message: body?.error ?? `the server answered ${res.status}`, issues: body?.issues ?? [] });
    } catch (err) {
      setError({ message: `could not reach the server: ${(err as Error).message}`, issues: [] });
    }
    setSubmitting(false);
  }

  return (
    <Card title="Boot tests" extra={<span className="text-xs text-zinc-500">QEMU, software emulation, serial console</span>}>
      <div className="space-y-3 p-3 text-[13px]" data-testid="boot-tests">
        {canSubmit && (
        <div className="space-y-2">
          {(modules.length > 0 || moduleBuilds.length > 0) && (
            <fieldset>
              <legend className="mb-1 text-xs font-medium text-zinc-500">Modules to load, in the order chosen</legend>
              <div className="flex flex-wrap gap-3">
                {modules.map((m) => (
                  <ModuleCheckbox key={m} choice={ownModule(m)} testId={`boot-module-${m}`} chosen={chosen} setChosen={setChosen} />
                ))}
                {moduleBuilds.flatMap((b) =>
                  b.modules.map((m) => (
                    <ModuleCheckbox
                      key={`${b.id}/${m}`}
                      choice={{ key: `${b.id}/${m}`, build: b.id, artifact: m }}
                      testId={`boot-module-${b.id}-${m}`}
                      note={<Link href={`/builds/${b.id}`} className="text-sky-700 hover:underline">module build {shortId(b.id)}</Link>}
                      chosen={chosen}
                      setChosen={setChosen}
                    />
                  )),
                )}
              </div>
              {chosen.length > 1 && (
                <p className="mt-1 font-mono text-xs text-zinc-500" data-testid="boot-module-order">
                  {chosen.map((c, i) => `${i + 1}. ${c.artifact}`).join("  ")}
                </p>
              )}
            </fieldset>
          )}
          <div className="grid gap-2 md:grid-cols-2">
            <label className="block">
              <span className="text-xs font-medium text-zinc-500">Expected on the console (one per line; re:… for a regex)</span>
              <textarea data-testid="boot-expect" value={expectText} onChange={(e) => setExpectText(e.target.value)} rows={2} className="mt-0.5 w-full rounded border border-zinc-300 p-1 font-mono text-xs" />
            </label>
            <label className="block">
              <span className="text-xs font-medium text-zinc-500">Forbidden on the console</span>
              <textarea data-testid="boot-forbid" value={forbidText} onChange={(e) => setForbidText(e.target.value)} rows={2} className="mt-0.5 w-full rounded border border-zinc-300 p-1 font-mono text-xs" />
            </label>
          </div>
          <div className="flex items-center gap-3">
            <label className="text-xs text-zinc-600">
              Timeout{" "}
              <input type="number" min={5} max={600} value={timeout} onChange={(e) => setTimeoutSeconds(Number(e.target.value))} data-testid="boot-timeout" className="w-16 rounded border border-zinc-300 px-1 font-mono text-xs" /> s
            </label>
            <button
              type="button"
              onClick={start}
              disabled={submitting}
              data-testid="start-boot-test"
              className="ml-auto rounded-md bg-sky-700 px-3 py-1 text-sm font-medium text-white hover:bg-sky-800 disabled:opacity-50"
            >
              {submitting ? "Starting…" : "Boot under QEMU"}
            </button>
          </div>
          {error && (
            <div role="alert" data-testid="boot-test-error" className="rounded border border-red-300 bg-red-50 p-2 text-red-900">
              {error.message}
              {error.issues.length > 0 && (
                <ul className="mt-1 list-disc pl-5 text-xs">
                  {error.issues.map((i) => (
                    <li key={`${i.path}:${i.message}`}>
                      <span className="font-mono">{i.path}</span>: {i.message}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </div>
        )}

        {tests && tests.length > 0 && (
          <table className="w-full text-xs" data-testid="boot-test-list">
            <tbody className="divide-y divide-zinc-100">
              {tests.map((t) => (
                <tr key={t.id} data-testid={`boot-test-${t.id}`}>
                  <td className="py-1 pr-2">
                    <StatusBadge status={t.status} />
                  </td>
                  <td className="py-1 pr-2">
                    <Link href={`/boot-tests/${t.id}`} className="font-mono text-sky-700 hover:underline">
                      {shortId(t.id)}
                    </Link>
                  </td>
                  <td className="py-1 pr-2 font-mono">{t.modules.map((m) => m.artifact).join(", ") || "no modules"}</td>
                  <td className="py-1 pr-2 text-zinc-700" data-testid="boot-test-verdict">
                    {t.verdict ? (t.verdict.passed ? "passed" : `failed: ${t.verdict.reason}`) : t.statusReason ?? ""}
                  </td>
                  <td className="py-1 whitespace-nowrap text-zinc-500">{formatTimestamp(t.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </Card>
  );
}

function ModuleCheckbox({ choice, testId, note, chosen, setChosen }: {
  choice: ModuleChoice;
  testId: string;
  note?: React.ReactNode;
  chosen: ModuleChoice[];
  setChosen: (update: (c: ModuleChoice[]) => ModuleChoice[]) => void;
}) {
  return (
    <label className="flex items-center gap-1 font-mono text-xs">
      <input
        type="checkbox"
        data-testid={testId}
        checked={chosen.some((c) => c.key === choice.key)}
        onChange={(e) => setChosen((c) => (e.target.checked ? [...c, choice] : c.filter((x) => x.key !== choice.key)))}
      />
      {choice.artifact}
      {note && <span className="font-sans text-zinc-500">({note})</span>}
    </label>
  );
}
