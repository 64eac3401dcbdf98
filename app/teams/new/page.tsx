import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { CreateTeamForm } from "@/components/auth/CreateTeamForm";
import { sessionUser } from "@/lib/auth/current";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "New team" };

/** Any signed-in user may create a team (and owns it); someone in no team yet lands here. */
export default async function NewTeamPage() {
  if (!(await sessionUser(await headers()))) redirect("/sign-in?next=/teams/new");
  return (
    <div className="max-w-2xl space-y-3">
      <h1 className="text-lg font-semibold">Create a team</h1>
      <p className="text-zinc-600">
        Builds, their logs and artifacts belong to a team. Create one to start building, or open the invitation link a team&apos;s admin gave you to
        join theirs.
      </p>
      <CreateTeamForm />
    </div>
  );
}
