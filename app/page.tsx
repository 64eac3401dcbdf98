import type { Metadata } from "next";
import Link from "next/link";
import { AutoRefresh } from "@/components/AutoRefresh";
import { HistoryChart } from "@/components/HistoryChart";
import { HistoryFilters, type HistoryFilterValues } from "@/components/HistoryFilters";
import { StatusBadge } from "@/components/StatusBadge";
import { formatDuration, formatTimestamp, isActiveStatus, optionText, relativeTime, shortId, sortOptions, targetsText } from "@/components/format";
import { currentActor } from "@/lib/auth/current";
import { HISTORY_PARAMS, type HistoryFilter, historyChart, historyChoices, historySearchParams, isFiltered, parseHistoryFilter, queryHistory } from "@/lib/builds/history";
import { RequestError } from "@/lib/builds/service";
import { db } from "@/lib/db/client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Builds" };

const SHOWN_OPTIONS = 4;

type SearchParams = Record<string, string | string[] | undefined>;

/**
 * The form's fields as the URL has them (the raw text, so a bad value can be
 * corrected): the last value of a repeated parameter, as the filter reads it.
 */
function formValues(sp: SearchParams): HistoryFilterValues {
  return Object.fromEntries(HISTORY_PARAMS.filter((k) => k !== "cursor").map((k) => [k, [sp[k] ?? ""].flat().at(-1) ?? ""])) as HistoryFilterValues;
}

export default async function BuildsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const actor = await currentActor();
  const choices = historyChoices(db(), actor);

  let filter: HistoryFilter;
  let page: Awaited<ReturnType<typeof queryHistory>>;
  let chart: Awaited<ReturnType<typeof historyChart>>;
  try {
    filter = parseHistoryFilter(sp);
    [page, chart] = await Promise.all([queryHistory(db(), actor, filter), historyChart(db(), actor, filter)]);
  } catch (err) {
    if (err instanceof RequestError && err.status === 400) {
      return (
        <div>
          <h1 className="mb-3 text-lg font-semibold">Builds</h1>
          <HistoryFilters values={formValues(sp)} choices={await choices} />
          <div className="rounded-md border border-amber-300 bg-amber-50 p-4 text-amber-900" data-testid="history-bad-filter">
            This filter is not valid ({err.message}). <Link href="/" className="text-sky-700 underline">Show the newest builds</Link>
          </div>
        </div>
      );
    }
    throw err;
  }
  const cursor = filter.cursor;
  const filtered = isFiltered(filter);
  const firstPage = historySearchParams(filter).toString();
  const now = Date.now();
  const anyActive = page.builds.some((b) => isActiveStatus(b.status));

  return (
    <div>
      <AutoRefresh active={anyActive} intervalMs={3000} />
      <div className="mb-3 flex items-center gap-3">
        <h1 className="text-lg font-semibold">Builds</h1>
        {cursor && <span className="text-xs text-zinc-500">older builds</span>}
        {filtered && <span className="text-xs text-zinc-500" data-testid="history-filtered">filtered</span>}
        {anyActive && <span className="text-xs text-zinc-500">refreshing while builds are active…</span>}
        <Link
          href="/builds/new"
          className="ml-auto rounded-md bg-emerald-700 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-emerald-800"
        >
          New build
        </Link>
      </div>

      <HistoryFilters values={formValues(sp)} choices={await choices} />
      <div className="mb-3">
        <HistoryChart chart={chart} />
      </div>

      {page.builds.length === 0 ? (
        <div className="rounded-md border border-dashed border-zinc-300 bg-white p-10 text-center text-zinc-600" data-testid="builds-empty">
          {cursor ? (
            <>No older builds. <Link href={firstPage ? `/?${firstPage}` : "/"} className="text-sky-700 hover:underline">Back to the newest</Link></>
          ) : filtered ? (
            <>No builds match this filter. <Link href="/" className="text-sky-700 hover:underline">Show all builds</Link></>
          ) : (
            <>
              No builds yet.{" "}
              <Link href="/builds/new" className="text-sky-700 hover:underline">
                Configure the first one →
              </Link>
            </>
          )}
        </div>
      ) : (
        <div className="overflow-x-auto rounded-md border border-zinc-200 bg-white">
          <table className="w-full text-left text-[13px]" data-testid="builds-table">
            <thead className="border-b border-zinc-200 bg-zinc-50 text-xs text-zinc-500">
              <tr>
                <th className="px-3 py-2 font-medium">Status</th>
                <th className="px-3 py-2 font-medium">Build</th>
                <th className="px-3 py-2 font-medium">Source</th>
                <th className="px-3 py-2 font-medium">Profile</th>
                <th className="px-3 py-2 font-medium">Base</th>
                <th className="px-3 py-2 font-medium">Targets</th>
                <th className="px-3 py-2 font-medium">Options</th>
                <th className="px-3 py-2 font-medium">Submitter</th>
                <th className="px-3 py-2 font-medium">Created</th>
                <th className="px-3 py-2 text-right font-medium">Duration</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {page.builds.map((b) => {
                const options = sortOptions(b.options ?? []);
                const shown = options.slice(0, SHOWN_OPTIONS);
                const rest = options.length - shown.length;
                return (
                  <tr key={b.id} className="hover:bg-zinc-50" data-testid={`build-row-${b.id}`}>
                    <td className="px-3 py-1.5 whitespace-nowrap" title={b.statusReason ?? undefined}>
                      <StatusBadge status={b.status} />
                      {b.diagnostics && (
                        <div className="mt-0.5 text-[11px]" data-testid={`build-diagnostics-${b.id}`} title="Errors and warnings read from the log; new and fixed warnings against the previous build of the same source, profile and .config">
                          <DiagnosticCounts counts={b.diagnostics} />
                        </div>
                      )}
                    </td>
                    <td className="px-3 py-1.5 whitespace-nowrap">
                      <Link href={`/builds/${b.id}`} className="font-mono text-sky-700 hover:underline" title={b.id}>
                        {shortId(b.id)}
                      </Link>
                    </td>
                    <td className="px-3 py-1.5 whitespace-nowrap">
                      {b.source}
                      {b.kernelVersion && <span className="ml-1.5 font-mono text-xs text-zinc-500">{b.kernelVersion}</span>}
                    </td>
                    <td className="max-w-[14rem] truncate px-3 py-1.5 text-zinc-700" title={b.profile}>
                      {b.profile}
                    </td>
                    <td className="max-w-[10rem] truncate px-3 py-1.5 font-mono text-xs text-zinc-700" title={b.baseConfig}>
                      {b.baseConfig}
                    </td>
                    <td className="px-3 py-1.5" title={b.kind === "module" ? undefined : targetsText(b.targets)} data-testid={`build-targets-${b.id}`}>
                      {b.kind === "module" ? (
                        <span className="text-xs text-zinc-600">
                          module for{" "}
                          <Link href={`/builds/${b.kernelBuildId}`} className="font-mono text-sky-700 hover:underline">
                            {shortId(b.kernelBuildId ?? "")}
                          </Link>
                        </span>
                      ) : b.targets.length ? (
                        <div className="flex max-w-[14rem] flex-wrap gap-1">
                          {b.targets.map((t) => (
                            <span key={t} className="rounded bg-emerald-50 px-1 font-mono text-[11px] text-emerald-800">
                              {t}
                            </span>
                          ))}
                        </div>
                      ) : (
                        <span className="text-xs text-zinc-400">configure</span>
                      )}
                    </td>
                    <td className="px-3 py-1.5" title={options.map(optionText).join("\n") || undefined}>
                      <div className="flex max-w-[26rem] flex-wrap gap-1">
                        {shown.map((o) => (
                          <span key={o.symbol} className="rounded bg-zinc-100 px-1 font-mono text-[11px] text-zinc-700">
                            {o.symbol}={o.value.length > 16 ? `${o.value.slice(0, 15)}…` : o.value}
                          </span>
                        ))}
                        {rest > 0 && <span className="text-[11px] text-zinc-500">+{rest} more</span>}
                        {options.length === 0 && <span className="text-xs text-zinc-400">—</span>}
                      </div>
                    </td>
                    <td className="px-3 py-1.5 whitespace-nowrap text-zinc-700">{b.submitter}</td>
                    <td className="px-3 py-1.5 whitespace-nowrap text-zinc-600">
                      <time dateTime={b.createdAt} title={formatTimestamp(b.createdAt)}>
                        {relativeTime(b.createdAt, now)}
                      </time>
                    </td>
                    <td className="px-3 py-1.5 text-right whitespace-nowrap font-mono text-xs text-zinc-600">
                      {b.durationMs !== null ? formatDuration(b.durationMs) : isActiveStatus(b.status) ? "…" : "—"}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <div className="mt-3 flex items-center justify-between text-sm">
        <div>{cursor && <Link href={firstPage ? `/?${firstPage}` : "/"} className="text-sky-700 hover:underline">← Newest</Link>}</div>
        <div>
          {page.nextCursor && (
            <Link href={`/?${historySearchParams(filter, page.nextCursor)}`} className="text-sky-700 hover:underline" data-testid="older-builds">
              Older →
            </Link>
          )}
        </div>
      </div>
    </div>
  );
}

/** "2 errors · 5 warnings (+3 new, 1 fixed)" of a build in the list. */
function DiagnosticCounts({ counts }: { counts: { errors: number; warnings: number; newWarnings: number | null; fixedWarnings: number | null } }) {
  const changes = [counts.newWarnings ? `+${counts.newWarnings} new` : null, counts.fixedWarnings ? `${counts.fixedWarnings} fixed` : null].filter(Boolean);
  return (
    <span>
      <span className={counts.errors ? "font-medium text-red-700" : "text-zinc-500"}>{counts.errors} err</span>
      <span className="text-zinc-400"> · </span>
      <span className={counts.warnings ? "text-amber-700" : "text-zinc-500"}>{counts.warnings} warn</span>
      {changes.length > 0 && <span className={counts.newWarnings ? "ml-1 font-medium text-amber-800" : "ml-1 text-emerald-700"}>({changes.join(", ")})</span>}
    </span>
  );
}
