import type { Metadata } from "next";
import { AutoRefresh } from "@/components/AutoRefresh";
import { SourceRegisterForm, SourceRemoveButton } from "@/components/SourceAdmin";
import { currentActor } from "@/lib/auth/current";
import { can } from "@/lib/auth/permissions";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { listSourcesForAdmin } from "@/lib/sources/register";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Kernel sources" };

const STATUS_STYLES: Record<string, string> = {
  preparing: "bg-sky-50 text-sky-800 ring-sky-300",
  ready: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  error: "bg-red-50 text-red-800 ring-red-300",
};

/** The kernel sources builds can use; admins also see their paths and register new ones under the operator's roots. */
export default async function SourcesPage() {
  const actor = await currentActor(undefined, "read");
  const admin = can(actor.role, "admin");
  const sources = await listSourcesForAdmin(db());
  return (
    <div className="max-w-5xl space-y-4">
      <AutoRefresh active={sources.some((s) => s.status === "preparing")} intervalMs={3000} />
      <h1 className="text-lg font-semibold">Kernel sources</h1>
      <table className="w-full overflow-hidden rounded-md border border-zinc-200 bg-white text-left text-sm" data-testid="sources">
        <thead className="bg-zinc-50 text-xs text-zinc-600">
          <tr>
            <th className="px-3 py-1.5">name</th>
            <th className="px-3 py-1.5">Linux</th>
            <th className="px-3 py-1.5">status</th>
            {admin && <th className="px-3 py-1.5">path on the server</th>}
            {admin && <th className="px-3 py-1.5">registered by</th>}
            {admin && <th className="px-3 py-1.5" />}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {sources.map((s) => (
            <tr key={s.id} data-testid={`source-${s.name}`} data-status={s.status}>
              <td className="px-3 py-1.5 font-mono">{s.name}</td>
              <td className="px-3 py-1.5">{s.version ?? "—"}</td>
              <td className="px-3 py-1.5">
                <span className={`rounded-full px-2 py-px text-xs ring-1 ring-inset ${STATUS_STYLES[s.status] ?? ""}`}>{s.status}</span>
                {s.statusReason && <div className="mt-1 max-w-md text-xs break-words text-red-700">{s.statusReason}</div>}
              </td>
              {admin && <td className="px-3 py-1.5 font-mono text-xs break-all">{s.path}</td>}
              {admin && <td className="px-3 py-1.5 text-xs">{s.origin === "api" ? "an admin" : "the operator (KBUILD_SOURCES)"}</td>}
              {admin && <td className="px-3 py-1.5 text-right">{s.origin === "api" && s.status !== "preparing" && <SourceRemoveButton id={s.id} name={s.name} />}</td>}
            </tr>
          ))}
          {sources.length === 0 && (
            <tr>
              <td colSpan={admin ? 6 : 3} className="px-3 py-6 text-center text-zinc-500" data-testid="sources-empty">
                No kernel sources yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {admin && <SourceRegisterForm roots={config().sourceRoots} />}
    </div>
  );
}
