import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/Card";
import { StatusBadge } from "@/components/StatusBadge";
import { formatBytes, formatDuration, shortId } from "@/components/format";
import { currentActor } from "@/lib/auth/current";
import type { ValueChange } from "@/lib/builds/compare";
import { type TeamComparison, compareTeamBuilds } from "@/lib/builds/comparison";
import { RequestError } from "@/lib/builds/service";
import { db } from "@/lib/db/client";
import { formatDiagnostic } from "@/lib/diagnostics";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Compare builds" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** A build id, alone or in what a user pastes (a build's address, say). */
const BUILD_ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
const idIn = (v: string | string[] | undefined) => (typeof v === "string" ? (BUILD_ID.exec(v)?.[0] ?? null) : null);
const ms = (v: number | null) => (v === null ? "—" : formatDuration(v));
const bytes = (v: number | null) => (v === null ? "—" : formatBytes(v));

/** `/builds/compare?a=<id>&b=<id>`: what changed from build a to build b. */
export default async function ComparePage({ searchParams }: Props) {
  const query = await searchParams;
  const a = idIn(query.a);
  const b = idIn(query.b);
  if (!a || !b) {
    const typed = (v: string | string[] | undefined) => (typeof v === "string" ? v : "");
    return <CompareForm a={a ?? typed(query.a)} b={b ?? typed(query.b)} problem={query.b !== undefined ? "two build ids (or build addresses) are needed" : null} />;
  }
  let result: TeamComparison;
  try {
    result = await compareTeamBuilds(db(), await currentActor(), a, b);
  } catch (err) {
    if (err instanceof RequestError && err.status === 404) return <CompareForm a={a} b={b} problem={err.message} />;
    throw err;
  }
  const { comparison: c } = result;
  return (
    <div className="max-w-6xl space-y-4" data-testid="comparison">
      <h1 className="text-lg font-semibold">Compare builds</h1>
      <Card title="Builds">
        <table className="w-full text-[13px]">
          <thead className="text-left text-xs text-zinc-500">
            <tr>
              <th className="px-3 py-1.5" />
              <th className="px-3 py-1.5 font-medium">a</th>
              <th className="px-3 py-1.5 font-medium">b</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            <Row label="Build" a={<BuildLink id={result.a.id} />} b={<BuildLink id={result.b.id} />} />
            <Row label="Status" a={<StatusBadge status={result.a.status} />} b={<StatusBadge status={result.b.status} />} />
            <Row label="Source" a={`${result.a.source} ${result.a.kernelVersion ?? ""}`} b={`${result.b.source} ${result.b.kernelVersion ?? ""}`} />
            <Row label="Profile" a={result.a.profile} b={result.b.profile} />
            <Row label="Base" a={result.a.baseConfig} b={result.b.baseConfig} />
            <Row label="Duration" a={ms(c.durationMs.a)} b={ms(c.durationMs.b)} testId="compare-duration" />
          </tbody>
        </table>
      </Card>

      <Changes title="Resolved .config" empty="the same .config" missing={c.config === null ? "one of the builds stored no .config" : null} changes={c.config ?? []} testId="compare-config" />
      <Changes title="Requested options" empty="the same options" changes={c.options} testId="compare-options" />
      <Changes title="Toolchain" empty="the same tool versions" changes={c.toolchain} testId="compare-toolchain" />

      <Card title="Errors and warnings">
        <div className="space-y-1 p-3 text-[13px]" data-testid="compare-diagnostics">
          {c.diagnostics === null ? (
            <p className="text-zinc-500">one of the builds has no diagnostics recorded</p>
          ) : c.diagnostics.new.length + c.diagnostics.fixed.length === 0 ? (
            <p className="text-zinc-500">the same errors and warnings</p>
          ) : (
            [...c.diagnostics.new.map((d) => ["new in b", d] as const), ...c.diagnostics.fixed.map((d) => ["gone in b", d] as const)].map(([kind, d]) => (
              <p key={`${kind}:${d.logLine}:${d.message}`} className="font-mono text-xs break-words" data-testid="compare-diagnostic" data-kind={kind}>
                <span className={kind === "new in b" ? "text-red-700" : "text-emerald-700"}>{kind}: </span>
                {formatDiagnostic(d)}
              </p>
            ))
          )}
        </div>
      </Card>

      <Card title="Artifacts">
        <table className="w-full text-[13px]" data-testid="compare-artifacts">
          <thead className="text-left text-xs text-zinc-500">
            <tr>
              <th className="px-3 py-1.5 font-medium">Name</th>
              <th className="px-3 py-1.5 text-right font-medium">a</th>
              <th className="px-3 py-1.5 text-right font-medium">b</th>
              <th className="px-3 py-1.5 text-right font-medium">change</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {c.artifacts.map((x) => (
              <tr key={x.name} data-testid={`compare-artifact-${x.name}`}>
                <td className="px-3 py-1 font-mono text-xs">{x.name}</td>
                <td className="px-3 py-1 text-right font-mono text-xs">{bytes(x.a)}</td>
                <td className="px-3 py-1 text-right font-mono text-xs">{bytes(x.b)}</td>
                <td className="px-3 py-1 text-right font-mono text-xs text-zinc-600">
                  {x.same ? "identical" : x.a !== null && x.b !== null ? `${x.b >= x.a ? "+" : "−"}${formatBytes(Math.abs(x.b - x.a))}` : x.a === null ? "only in b" : "only in a"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>

      <Card title="Steps">
        <table className="w-full text-[13px]" data-testid="compare-steps">
          <tbody className="divide-y divide-zinc-100">
            {c.steps.map((s) => (
              <tr key={s.name}>
                <td className="px-3 py-1 font-mono text-xs">{s.name}</td>
                <td className="px-3 py-1 text-right font-mono text-xs">{ms(s.a)}</td>
                <td className="px-3 py-1 text-right font-mono text-xs">{ms(s.b)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </div>
  );
}

function BuildLink({ id }: { id: string }) {
  return (
    <Link href={`/builds/${id}`} className="font-mono text-sky-700 hover:underline">
      {shortId(id)}
    </Link>
  );
}

function Row({ label, a, b, testId }: { label: string; a: React.ReactNode; b: React.ReactNode; testId?: string }) {
  return (
    <tr data-testid={testId}>
      <td className="px-3 py-1 text-xs text-zinc-500">{label}</td>
      <td className="px-3 py-1">{a}</td>
      <td className="px-3 py-1">{b}</td>
    </tr>
  );
}

function Changes({ title, empty, missing = null, changes, testId }: { title: string; empty: string; missing?: string | null; changes: ValueChange[]; testId: string }) {
  return (
    <Card title={`${title}${changes.length ? ` (${changes.length} differ)` : ""}`}>
      <div className="p-3 text-[13px]" data-testid={testId} data-count={changes.length}>
        {missing ? (
          <p className="text-zinc-500">{missing}</p>
        ) : changes.length === 0 ? (
          <p className="text-zinc-500">{empty}</p>
        ) : (
          <table className="w-full">
            <tbody className="divide-y divide-zinc-100">
              {changes.map((ch) => (
                <tr key={ch.name} data-testid={`change-${ch.name}`}>
                  <td className="py-0.5 pr-3 font-mono text-xs">{ch.name}</td>
                  <td className="py-0.5 pr-3 font-mono text-xs break-all text-red-800">{ch.a ?? "—"}</td>
                  <td className="py-0.5 font-mono text-xs break-all text-emerald-800">{ch.b ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </Card>
  );
}

/** Asks for the two builds when they are missing or unknown. */
function CompareForm({ a, b, problem }: { a: string; b: string; problem: string | null }) {
  return (
    <form method="get" className="max-w-xl space-y-3" data-testid="compare-form">
      <h1 className="text-lg font-semibold">Compare builds</h1>
      {problem && (
        <p role="alert" className="rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900">
          {problem}
        </p>
      )}
      <label className="block text-sm">
        Build a <input name="a" data-testid="compare-a" defaultValue={a} className="ml-2 w-96 rounded border border-zinc-300 px-1 font-mono text-xs" />
      </label>
      <label className="block text-sm">
        Build b <input name="b" data-testid="compare-b" defaultValue={b} className="ml-2 w-96 rounded border border-zinc-300 px-1 font-mono text-xs" />
      </label>
      <button type="submit" data-testid="compare-submit" className="rounded-md bg-sky-700 px-3 py-1 text-sm font-medium text-white">
        Compare
      </button>
    </form>
  );
}
