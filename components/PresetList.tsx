"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { PresetView } from "@/lib/presets/service";
import { apiCall } from "./apiCall";
import { formatTimestamp, targetsText } from "./format";

const button = "rounded-md border border-zinc-300 bg-white px-2 py-0.5 text-xs hover:bg-zinc-50 disabled:opacity-50";

/** The team's presets with what each builds, "Build now" and delete. */
export function PresetList({ presets }: { presets: PresetView[] }) {
  const router = useRouter();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function buildNow(p: PresetView) {
    setBusy(p.id);
    setError(null);
    const r = await apiCall<{ id: string }>("POST", `/api/v1/presets/${p.id}/builds`);
    if (r.ok) return router.push(`/builds/${r.data.id}`);
    setError(`Building ${p.name} failed: ${r.error}`);
    setBusy(null);
  }

  async function remove(p: PresetView) {
    if (!window.confirm(`Delete the preset "${p.name}"? Builds made from it stay.`)) return;
    setBusy(p.id);
    setError(null);
    const r = await apiCall("DELETE", `/api/v1/presets/${p.id}`);
    if (r.ok) router.refresh();
    else setError(`Deleting ${p.name} failed: ${r.error}`);
    setBusy(null);
  }

  if (!presets.length) {
    return (
      <div className="rounded border border-zinc-200 bg-white p-4 text-zinc-600" data-testid="presets-empty">
        No presets yet.
      </div>
    );
  }
  return (
    <div className="space-y-2">
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      <table className="w-full overflow-hidden rounded-md border border-zinc-200 bg-white text-[13px]" data-testid="presets">
        <thead className="border-b border-zinc-200 bg-zinc-50 text-left text-xs text-zinc-500">
          <tr>
            <th className="px-3 py-1.5 font-medium">Name</th>
            <th className="px-3 py-1.5 font-medium">Builds</th>
            <th className="px-3 py-1.5 font-medium">Saved</th>
            <th className="px-3 py-1.5" />
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {presets.map((p) => (
            <tr key={p.id} data-testid={`preset-${p.name}`}>
              <td className="px-3 py-1.5 font-medium">{p.name}</td>
              <td className="px-3 py-1.5 text-zinc-700">
                <span className="font-mono">{p.spec.source}</span>, {p.spec.baseConfig.kind === "target" ? p.spec.baseConfig.target : `uploaded ${p.spec.baseConfig.fileName}`},{" "}
                {p.spec.options.length} option{p.spec.options.length === 1 ? "" : "s"}, {targetsText(p.spec.targets)}
                <span className="text-zinc-500"> · {p.spec.profile}</span>
              </td>
              <td className="px-3 py-1.5 text-xs text-zinc-500" title={p.updatedAt}>
                {formatTimestamp(p.updatedAt)} by {p.createdBy.name}
              </td>
              <td className="px-3 py-1.5">
                <div className="flex justify-end gap-1">
                  <button type="button" className={button} disabled={busy !== null} onClick={() => buildNow(p)} data-testid="preset-build-now">
                    {busy === p.id ? "…" : "Build now"}
                  </button>
                  <Link href={`/builds/new?preset=${p.id}`} className={button} data-testid="preset-edit">
                    Start a build from it
                  </Link>
                  <button type="button" className={`${button} text-red-700`} disabled={busy !== null} onClick={() => remove(p)} data-testid="preset-delete">
                    Delete
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
