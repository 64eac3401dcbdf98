"use client";

import { useRouter } from "next/navigation";

/** The new-build page's starting point: a blank form, or one of the team's presets. */
export function PresetPicker({ presets, selected }: { presets: { id: string; name: string }[]; selected: string }) {
  const router = useRouter();
  if (!presets.length) return null;
  return (
    <label className="mb-3 flex items-center gap-2 text-sm">
      <span className="text-xs font-medium text-zinc-600">Start from</span>
      <select
        value={selected}
        onChange={(e) => router.push(e.target.value ? `/builds/new?preset=${encodeURIComponent(e.target.value)}` : "/builds/new")}
        className="rounded-md border border-zinc-300 bg-white px-2 py-1"
        data-testid="preset-select"
      >
        <option value="">a blank form</option>
        {presets.map((p) => (
          <option key={p.id} value={p.id}>
            preset: {p.name}
          </option>
        ))}
      </select>
    </label>
  );
}
