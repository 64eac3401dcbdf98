"use client";

import { useState } from "react";
import type { RetentionView } from "@/lib/retention/service";
import { apiCall } from "./apiCall";

/** A limit as typed: empty means none. */
function limitOf(text: string): number | null | "invalid" {
  if (!text.trim()) return null;
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 ? n : "invalid";
}

/** The team's retention policy: keep the N newest builds' artifacts and/or D days; empty fields keep everything. */
export function RetentionForm({ initial, canEdit }: { initial: RetentionView; canEdit: boolean }) {
  const [policy, setPolicy] = useState(initial);
  const [newest, setNewest] = useState(initial.keepNewest?.toString() ?? "");
  const [days, setDays] = useState(initial.keepDays?.toString() ?? "");
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const keepNewest = limitOf(newest);
  const keepDays = limitOf(days);
  const invalid = keepNewest === "invalid" || keepDays === "invalid";

  async function save(e: React.FormEvent) {
    e.preventDefault();
    if (invalid) return;
    setSaving(true);
    setMessage(null);
    const r = await apiCall<RetentionView>("PUT", "/api/v1/retention", { keepNewest, keepDays });
    if (r.ok) {
      setPolicy(r.data);
      setMessage({ ok: true, text: `Saved: ${r.data.description}.` });
    } else setMessage({ ok: false, text: r.error });
    setSaving(false);
  }

  const field = "w-28 rounded-md border border-zinc-300 px-2 py-1 disabled:bg-zinc-50";
  return (
    <form onSubmit={save} className="space-y-3 rounded-md border border-zinc-200 bg-white p-4" data-testid="retention-form">
      <p>
        Now: <strong data-testid="retention-current">{policy.description}</strong>
      </p>
      <label className="flex items-center gap-2">
        <span className="w-72">Keep the artifacts of the newest</span>
        <input inputMode="numeric" value={newest} onChange={(e) => setNewest(e.target.value)} disabled={!canEdit} placeholder="no limit" className={field} data-testid="retention-newest" />
        <span>builds (pinned ones not counted)</span>
      </label>
      <label className="flex items-center gap-2">
        <span className="w-72">Keep artifacts for</span>
        <input inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} disabled={!canEdit} placeholder="no limit" className={field} data-testid="retention-days" />
        <span>days after a build finished</span>
      </label>
      {invalid && <p className="text-sm text-red-700">Each limit is a whole number of at least 1, or empty for no limit.</p>}
      {canEdit ? (
        <button type="submit" disabled={saving || invalid} className="rounded-md bg-sky-700 px-3 py-1 font-medium text-white hover:bg-sky-800 disabled:opacity-50" data-testid="retention-save">
          {saving ? "Saving…" : "Save policy"}
        </button>
      ) : (
        <p className="text-sm text-zinc-600">Only the team&apos;s admins and owners can change the policy.</p>
      )}
      {message && (
        <p role={message.ok ? "status" : "alert"} className={`text-sm ${message.ok ? "text-emerald-700" : "text-red-700"}`}>
          {message.text}
        </p>
      )}
    </form>
  );
}
