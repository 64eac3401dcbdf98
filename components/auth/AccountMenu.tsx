import { headers } from "next/headers";
import Link from "next/link";
import { sessionUser } from "@/lib/auth/current";
import { teamsOf } from "@/lib/auth/teams";
import { db } from "@/lib/db/client";
import { SignOutButton, TeamSwitcher } from "./AccountControls";

/** Server component for the header: the team switcher, the team's settings and sign-out; or a sign-in link. */
export async function AccountMenu() {
  const requestHeaders = new Headers(await headers());
  const user = await sessionUser(requestHeaders);
  if (!user) {
    return (
      <Link href="/sign-in" className="text-zinc-300 hover:text-white" data-testid="nav-sign-in">
        Sign in
      </Link>
    );
  }
  const teams = await teamsOf(db(), user.id);
  // The team every page acts in, as currentActor picks it: the session's active team, else the first.
  const activeId = (teams.find((t) => t.id === user.activeOrganizationId) ?? teams[0])?.id ?? null;
  return (
    <div className="flex items-center gap-3">
      <TeamSwitcher teams={teams.map(({ id, name }) => ({ id, name }))} activeId={activeId} />
      {activeId && (
        <Link href="/settings/team" className="text-zinc-300 hover:text-white" data-testid="nav-team-settings">
          Team
        </Link>
      )}
      <span className="max-w-[12rem] truncate text-zinc-400" title={user.email} data-testid="nav-user">
        {user.name || user.email}
      </span>
      <SignOutButton />
    </div>
  );
}
