import type { Metadata } from "next";
import { Card } from "@/components/Card";
import { InviteForm, MemberControls, PendingInvitation } from "@/components/auth/TeamAdmin";
import { formatTimestamp } from "@/components/format";
import { requirePageActor } from "@/lib/auth/current";
import { roleOf } from "@/lib/auth/permissions";
import { can } from "@/lib/auth/permissions";
import { db } from "@/lib/db/client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Team" };

/**
 * The active team: its members with their roles and its pending invitations.
 * Everyone in the team may look; admins (and owners) change roles, remove
 * members, invite and revoke — better-auth's organization plugin checks the
 * same on its endpoints, with the roles of lib/auth/access.ts.
 */
export default async function TeamSettingsPage() {
  const actor = await requirePageActor("read");
  const admin = can(actor.role, "admin");
  const [team, members, invitations] = await Promise.all([
    db().organization.findUniqueOrThrow({ where: { id: actor.organizationId }, select: { name: true } }),
    db().member.findMany({
      where: { organizationId: actor.organizationId },
      orderBy: { createdAt: "asc" },
      select: { id: true, role: true, createdAt: true, user: { select: { id: true, name: true, email: true } } },
    }),
    db().invitation.findMany({
      where: { organizationId: actor.organizationId, status: "pending", expiresAt: { gt: new Date() } },
      orderBy: { createdAt: "desc" },
      select: { id: true, email: true, role: true, expiresAt: true, user: { select: { name: true } } },
    }),
  ]);

  return (
    <div className="max-w-4xl space-y-4">
      <h1 className="text-lg font-semibold">
        Team <span data-testid="team-title">{team.name}</span>
      </h1>
      <p className="text-zinc-600">
        You are <b data-testid="my-role">{actor.role}</b> here. Viewers see the team&apos;s builds, logs and artifacts; members also start and cancel builds;
        admins also manage members and kernel sources; owners also manage owners.
      </p>

      <Card title="Members">
        <table className="w-full text-left text-[13px]" data-testid="members-table">
          <tbody className="divide-y divide-zinc-100">
            {members.map((m) => {
              const role = roleOf(m.role);
              const mine = m.user.id === actor.userId;
              return (
                <tr key={m.id} data-testid={`member-${m.user.email}`}>
                  <td className="px-3 py-1.5">{m.user.name}</td>
                  <td className="px-3 py-1.5 text-zinc-600">{m.user.email}</td>
                  <td className="px-3 py-1.5">
                    {admin && !mine && role ? <MemberControls memberId={m.id} role={role} name={m.user.name || m.user.email} /> : <span data-testid="member-role">{role ?? m.role}</span>}
                  </td>
                  <td className="px-3 py-1.5 text-xs text-zinc-500">joined {formatTimestamp(m.createdAt.toISOString())}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Card>

      {admin && (
        <Card title="Invite someone">
          <InviteForm />
        </Card>
      )}

      <Card title="Pending invitations">
        {invitations.length === 0 ? (
          <p className="p-3 text-zinc-500" data-testid="no-invitations">
            None.
          </p>
        ) : (
          <table className="w-full text-left text-[13px]" data-testid="invitations-table">
            <tbody className="divide-y divide-zinc-100">
              {invitations.map((i) => (
                <tr key={i.id} data-testid={`invitation-${i.email}`}>
                  <td className="px-3 py-1.5">{i.email}</td>
                  <td className="px-3 py-1.5">{i.role ?? "member"}</td>
                  <td className="px-3 py-1.5 text-xs text-zinc-500">
                    by {i.user.name}, until {formatTimestamp(i.expiresAt.toISOString())}
                  </td>
                  <td className="px-3 py-1.5">{admin ? <PendingInvitation id={i.id} canRevoke /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
