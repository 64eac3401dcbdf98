"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { BuildView } from "@/lib/builds/service";
import { apiCall } from "./apiCall";

/** `canSubmit`: false for a viewer, who sees the preset link and the retention notice but none of the actions. */
type Props = { build: Pick<BuildView, "id" | "kind" | "pinned" | "preset" | "artifactsPurged">; canSubmit: boolean };

const button = "rounded-md border border-zinc-300 bg-white px-3 py-1 text-sm hover:bg-zinc-50 disabled:opacity-50";

/**
 * What a team does with a build beyond watching it: save its spec as a preset,
 * build it again, pin it against the retention policy; and, when retention
 * removed its artifacts, the notice that says so.
 */
export function BuildLifecycle({ build, canSubmit }: Props) {
  const router = useRouter();
  const [pinned, setPinned] = useState(build.pinned);
  const [busy, setBusy] = useState<null | "pin" | "rebuild" | "preset">(null);
  const [error, setError] = useState<string | null>(null);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState("");
  const [saved, setSaved] = useState<{ id: string; name: string } | null>(null);

  async function togglePin() {
    setBusy("pin");
    setError(null);
    const r = await apiCall<{ pinned: boolean }>(pinned ? "DELETE" : "POST", `/api/v1/builds/${build.id}/pin`);
    if (r.ok) setPinned(r.data.pinned);
    else setError(`${pinned ? "Unpin" : "Pin"} failed: ${r.error}`);
    setBusy(null);
  }

  async function rebuild() {
    setBusy("rebuild");
    setError(null);
    const r = await apiCall<{ id: string }>("POST", `/api/v1/builds/${build.id}/rebuild`);
    if (r.ok) {
      router.push(`/builds/${r.data.id}`);
      return; // stays disabled while navigating
    }
    setError(`Rebuild failed: ${r.error}`);
    setBusy(null);
  }

  async function savePreset(e: React.FormEvent) {
    e.preventDefault();
    setBusy("preset");
    setError(null);
    const r = await apiCall<{ id: string; name: string }>("POST", "/api/v1/presets", { name, build: build.id });
    if (r.ok) {
      setSaved(r.data);
      setNaming(false);
    } else setError(`Saving the preset failed: ${r.error}`);
    setBusy(null);
  }

  return (
    <section className="space-y-2" data-testid="build-lifecycle">
      {build.artifactsPurged && (
        <div role="status" className="rounded border border-amber-300 bg-amber-50 p-3 text-amber-900" data-testid="artifacts-purged">
          {build.artifactsPurged.notice}
        </div>
      )}
      <div className="flex flex-wrap items-center gap-2">
        {build.preset && (
          <span className="text-xs text-zinc-600" data-testid="build-preset">
            from preset{" "}
            <Link href={`/builds/new?preset=${build.preset.id}`} className="font-medium text-sky-700 hover:underline">
              {build.preset.name}
            </Link>
          </span>
        )}
        {saved && (
          <span className="text-xs text-emerald-700" data-testid="preset-saved">
            saved as preset <Link href="/presets" className="font-medium underline">{saved.name}</Link>
          </span>
        )}
        {canSubmit && (
        <div className="ml-auto flex flex-wrap items-center gap-2">
          {build.kind === "kernel" &&
            (naming ? (
              <form onSubmit={savePreset} className="flex items-center gap-1">
                <input
                  autoFocus
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                  placeholder="preset name"
                  maxLength={100}
                  aria-label="Preset name"
                  data-testid="preset-name"
                  className="w-48 rounded-md border border-zinc-300 px-2 py-1 text-sm"
                />
                <button type="submit" disabled={!name.trim() || busy !== null} className={button} data-testid="preset-save">
                  {busy === "preset" ? "Saving…" : "Save"}
                </button>
                <button type="button" onClick={() => setNaming(false)} className={button}>
                  Cancel
                </button>
              </form>
            ) : (
              <button type="button" onClick={() => setNaming(true)} className={button} data-testid="save-as-preset">
                Save as preset
              </button>
            ))}
          <button type="button" onClick={rebuild} disabled={busy !== null} className={button} data-testid="rebuild">
            {busy === "rebuild" ? "Submitting…" : "Rebuild"}
          </button>
          <button
            type="button"
            onClick={togglePin}
            disabled={busy !== null}
            aria-pressed={pinned}
            title={pinned ? "Pinned: the retention policy keeps its artifacts" : "Keep this build's artifacts whatever the retention policy says"}
            className={`${button} ${pinned ? "border-sky-400 bg-sky-50 text-sky-800" : ""}`}
            data-testid="pin"
          >
            {pinned ? "Unpin" : "Pin"}
          </button>
        </div>
        )}
      </div>
      {error && (
        <p className="text-sm text-red-700" role="alert" data-testid="lifecycle-error">
          {error}
        </p>
      )}
    </section>
  );
}
