import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { AcceptInvitation } from "@/components/auth/TeamAdmin";
import { SignOutButton } from "@/components/auth/AccountControls";
import { sessionUser } from "@/lib/auth/current";
import { db } from "@/lib/db/client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Invitation" };

/**
 * An invitation link. Whoever opens it learns only which team invites which
 * email address; a link that was used, revoked, has expired or never existed
 * gets one and the same answer, so ids cannot be probed for which is which.
 * Accepting needs an account with the invited email (better-auth checks it
 * again): a newcomer signs up first and comes back here.
 */
export default async function InvitationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const invitation = await db().invitation.findUnique({
    where: { id },
    select: { id: true, email: true, role: true, status: true, expiresAt: true, organization: { select: { id: true, name: true } } },
  });
  const here = `/invite/${encodeURIComponent(id)}`;
  if (!invitation || invitation.status !== "pending" || invitation.expiresAt < new Date()) {
    return (
      <div className="mx-auto mt-10 max-w-lg rounded-md border border-amber-300 bg-amber-50 p-4 text-amber-900" data-testid="invitation-invalid">
        This invitation link is no longer valid: it was used, revoked or has expired. Ask the team&apos;s admin for a new one.
      </div>
    );
  }
  const team = invitation.organization;
  const role = invitation.role ?? "member";
  const user = await sessionUser(await headers());
  return (
    <div className="mx-auto mt-10 max-w-lg space-y-3 rounded-md border border-zinc-200 bg-white p-5" data-testid="invitation">
      <h1 className="text-lg font-semibold">
        Join {team.name} as {role}
      </h1>
      <p className="text-zinc-600">This invitation is for {invitation.email}.</p>
      {!user ? (
        <p>
          <Link href={`/sign-up?email=${encodeURIComponent(invitation.email)}&next=${encodeURIComponent(here)}`} className="text-sky-700 hover:underline" data-testid="invitation-sign-up">
            Create an account
          </Link>{" "}
          or{" "}
          <Link href={`/sign-in?next=${encodeURIComponent(here)}`} className="text-sky-700 hover:underline" data-testid="invitation-sign-in">
            sign in
          </Link>{" "}
          with that address to join.
        </p>
      ) : user.email.toLowerCase() !== invitation.email.toLowerCase() ? (
        <div className="space-y-2">
          <p className="text-amber-900" data-testid="invitation-wrong-user">
            You are signed in as {user.email}. Sign out and sign in (or sign up) as {invitation.email} to accept it.
          </p>
          <SignOutButton />
        </div>
      ) : (
        <AcceptInvitation id={invitation.id} organizationId={team.id} teamName={team.name} />
      )}
    </div>
  );
}
