"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { authClient, errorText } from "./client";

const NEW_TEAM = "__new__";

/** Switches the session's active team; every page and API call then acts in it. */
export function TeamSwitcher({ teams, activeId }: { teams: { id: string; name: string }[]; activeId: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  async function change(value: string) {
    if (value === NEW_TEAM) return router.push("/teams/new");
    const { error } = await authClient.organization.setActive({ organizationId: value });
    if (error) return setError(errorText(error));
    setError(null);
    router.push("/");
    router.refresh();
  }
  return (
    <label className="flex items-center gap-1 text-zinc-300" title={error ?? "The team you act in"}>
      <span className="sr-only">Team</span>
      <select
        value={activeId ?? ""}
        onChange={(e) => change(e.target.value)}
        className="rounded border border-zinc-700 bg-zinc-800 px-1.5 py-0.5 text-zinc-100"
        data-testid="team-switcher"
      >
        {activeId === null && <option value="">no team</option>}
        {teams.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
        <option value={NEW_TEAM}>+ New team…</option>
      </select>
      {error && <span className="text-red-300">{error}</span>}
    </label>
  );
}

export function SignOutButton() {
  const router = useRouter();
  return (
    <button
      type="button"
      className="text-zinc-300 hover:text-white"
      data-testid="sign-out"
      onClick={async () => {
        await authClient.signOut();
        router.push("/sign-in");
        router.refresh();
      }}
    >
      Sign out
    </button>
  );
}
