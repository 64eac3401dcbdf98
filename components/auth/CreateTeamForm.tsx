"use client";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { authClient, errorText } from "./client";

/** A URL-safe slug for a team name; the random tail keeps two teams of the same name apart. */
function slugFor(name: string): string {
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "team";
  return `${base}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Creates a team; its creator is its owner and it becomes the active team. */
export function CreateTeamForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "").trim();
    if (!name) return setError("Give the team a name.");
    setBusy(true);
    const { data, error } = await authClient.organization.create({ name, slug: slugFor(name) });
    if (!error && data) await authClient.organization.setActive({ organizationId: data.id });
    setBusy(false);
    if (error) return setError(errorText(error));
    router.push("/settings/team");
    router.refresh();
  }
  return (
    <form onSubmit={submit} className="flex max-w-md items-end gap-2" data-testid="create-team-form">
      <label className="block flex-1">
        Team name
        <input name="name" required maxLength={80} className="mt-1 w-full rounded-md border border-zinc-300 px-2 py-1.5" data-testid="team-name" />
      </label>
      <button type="submit" disabled={busy} className="rounded-md bg-emerald-700 px-3 py-1.5 font-medium text-white hover:bg-emerald-800 disabled:opacity-50" data-testid="create-team">
        Create team
      </button>
      {error && (
        <p role="alert" className="text-red-800" data-testid="team-error">
          {error}
        </p>
      )}
    </form>
  );
}
