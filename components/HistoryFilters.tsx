"use client";

import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import type { HistoryParam } from "@/lib/builds/history";

/**
 * The history's filter form. It only writes the URL (empty fields left out), so
 * every filtered view is a link; the server page reads it back and queries.
 */

/** Each filter's text as the URL has it (every history parameter but the page cursor). */
export type HistoryFilterValues = Record<Exclude<HistoryParam, "cursor">, string>;

export interface HistoryFilterChoices {
  members: { id: string; name: string; email: string }[];
  sources: string[];
  kernels: string[];
  profiles: string[];
}

const STATUSES = ["succeeded", "failed", "error", "canceled", "running", "queued"];
const FIELD = "rounded border border-zinc-300 bg-white px-2 py-1 text-[13px]";

export function HistoryFilters({ values, choices }: { values: HistoryFilterValues; choices: HistoryFilterChoices }) {
  const router = useRouter();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(event.currentTarget)) {
      if (typeof value === "string" && value.trim()) params.append(key, value.trim());
    }
    const query = params.toString();
    router.push(query ? `/?${query}` : "/");
  }

  // The key remounts the form when the URL changes (back/forward), so its fields show the filter in force.
  return (
    <form key={JSON.stringify(values)} onSubmit={submit} className="mb-3 flex flex-wrap items-end gap-2 text-xs text-zinc-600" data-testid="history-filters">
      <label className="flex flex-col gap-0.5">
        Status
        <select name="status" defaultValue={values.status} className={FIELD} data-testid="filter-status">
          <option value="">any</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-0.5">
        Submitter
        <select name="submitter" defaultValue={values.submitter} className={FIELD} data-testid="filter-submitter">
          <option value="">anyone</option>
          {choices.members.map((m) => (
            <option key={m.id} value={m.id} title={m.email}>
              {m.name}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-0.5">
        Source
        <select name="source" defaultValue={values.source} className={FIELD} data-testid="filter-source">
          <option value="">any</option>
          {choices.sources.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-0.5">
        Kernel
        <select name="kernel" defaultValue={values.kernel} className={FIELD} data-testid="filter-kernel">
          <option value="">any</option>
          {choices.kernels.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-0.5">
        Profile
        <select name="profile" defaultValue={values.profile} className={FIELD} data-testid="filter-profile">
          <option value="">any</option>
          {choices.profiles.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-0.5" title="A symbol of the resolved .config: CONFIG_X=y, =m, =n (neither), or a value">
        Option
        <input name="option" defaultValue={values.option} placeholder="CONFIG_RUST=y" className={`${FIELD} w-40 font-mono`} data-testid="filter-option" />
      </label>
      <label className="flex flex-col gap-0.5">
        From
        <input type="date" name="from" defaultValue={values.from} className={FIELD} data-testid="filter-from" />
      </label>
      <label className="flex flex-col gap-0.5">
        To
        <input type="date" name="to" defaultValue={values.to} className={FIELD} data-testid="filter-to" />
      </label>
      <label className="flex flex-col gap-0.5" title="Build id, source, requested options, failure reason, submitter name or email (at least 3 characters)">
        Search
        <input type="search" name="q" defaultValue={values.q} placeholder="id, option, reason, name…" minLength={3} className={`${FIELD} w-48`} data-testid="filter-q" />
      </label>
      <button type="submit" className="rounded-md bg-zinc-800 px-3 py-1 text-[13px] font-medium text-white hover:bg-zinc-900" data-testid="filter-apply">
        Filter
      </button>
      <button type="button" onClick={() => router.push("/")} className="px-1 py-1 text-[13px] text-sky-700 hover:underline">
        Clear
      </button>
    </form>
  );
}
