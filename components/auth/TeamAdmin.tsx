"use client";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { CopyButton } from "@/components/CopyButton";
import { TEAM_ROLES, type TeamRole } from "@/lib/auth/permissions";
import { authClient, errorText } from "./client";

/** The link an invitee opens; no mail server is assumed, so the admin passes it on. */
export function invitationLink(id: string): string {
  return `${window.location.origin}/invite/${id}`;
}

function useAction() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function run(action: () => Promise<{ error: { code?: string; message?: string; status?: number } | null }>) {
    setBusy(true);
    setError(null);
    const { error } = await action();
    setBusy(false);
    if (error) return setError(errorText(error)), false;
    router.refresh();
    return true;
  }
  return { error, busy, run };
}

/** An admin's controls on one member's row: change the role, remove them from the team. */
export function MemberControls({ memberId, role, name }: { memberId: string; role: TeamRole; name: string }) {
  const { error, busy, run } = useAction();
  return (
    <div className="flex items-center gap-2">
      <select
        value={role}
        disabled={busy}
        onChange={(e) => run(() => authClient.organization.updateMemberRole({ memberId, role: e.target.value as TeamRole }))}
        className="rounded border border-zinc-300 px-1 py-0.5"
        aria-label={`Role of ${name}`}
        data-testid={`member-role-${memberId}`}
      >
        {TEAM_ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <button
        type="button"
        disabled={busy}
        onClick={() => confirm(`Remove ${name} from the team?`) && run(() => authClient.organization.removeMember({ memberIdOrEmail: memberId }))}
        className="rounded border border-zinc-300 px-1.5 py-0.5 text-xs text-red-800 hover:bg-red-50"
        data-testid={`member-remove-${memberId}`}
      >
        Remove
      </button>
      {error && (
        <span role="alert" className="text-xs text-red-800">
          {error}
        </span>
      )}
    </div>
  );
}

/** Invites someone by email with a role; shows the link to pass on. */
export function InviteForm() {
  const { error, busy, run } = useAction();
  const [link, setLink] = useState<string | null>(null);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const role = String(form.get("role") ?? "member") as TeamRole;
    setLink(null);
    let id: string | null = null;
    await run(async () => {
      const result = await authClient.organization.inviteMember({ email, role });
      id = result.data?.id ?? null;
      return result;
    });
    if (id) setLink(invitationLink(id));
  }
  return (
    <div className="space-y-2 p-3">
      <form onSubmit={submit} className="flex flex-wrap items-end gap-2" data-testid="invite-form">
        <label className="block">
          Email
          <input name="email" type="email" required className="mt-1 block w-64 rounded-md border border-zinc-300 px-2 py-1" data-testid="invite-email" />
        </label>
        <label className="block">
          Role
          <select name="role" defaultValue="member" className="mt-1 block rounded-md border border-zinc-300 px-2 py-1" data-testid="invite-role">
            {TEAM_ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={busy} className="rounded-md bg-emerald-700 px-3 py-1 font-medium text-white hover:bg-emerald-800 disabled:opacity-50" data-testid="invite-submit">
          Create invitation link
        </button>
      </form>
      {error && (
        <p role="alert" className="text-red-800" data-testid="invite-error">
          {error}
        </p>
      )}
      {link && (
        <p className="flex items-center gap-2 rounded border border-emerald-300 bg-emerald-50 px-2 py-1">
          Send them this link (it is not emailed): <code data-testid="invite-link">{link}</code> <CopyButton text={link} />
        </p>
      )}
    </div>
  );
}

/** A pending invitation's link and its revoke button. */
export function PendingInvitation({ id, canRevoke }: { id: string; canRevoke: boolean }) {
  const { error, busy, run } = useAction();
  const path = `/invite/${id}`;
  return (
    <span className="flex items-center gap-2">
      <code className="text-xs">{path}</code>
      <CopyButton text={path} label="copy path" />
      {canRevoke && (
        <button
          type="button"
          disabled={busy}
          onClick={() => run(() => authClient.organization.cancelInvitation({ invitationId: id }))}
          className="rounded border border-zinc-300 px-1.5 py-0.5 text-xs text-red-800 hover:bg-red-50"
          data-testid={`invitation-revoke-${id}`}
        >
          Revoke
        </button>
      )}
      {error && <span className="text-xs text-red-800">{error}</span>}
    </span>
  );
}

/** Accepts an invitation as the signed-in user and makes its team the active one. */
export function AcceptInvitation({ id, organizationId, teamName }: { id: string; organizationId: string; teamName: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function accept() {
    setBusy(true);
    const { error } = await authClient.organization.acceptInvitation({ invitationId: id });
    if (!error) await authClient.organization.setActive({ organizationId });
    setBusy(false);
    if (error) return setError(errorText(error));
    router.push("/");
    router.refresh();
  }
  return (
    <div className="space-y-2">
      <button type="button" disabled={busy} onClick={accept} className="rounded-md bg-emerald-700 px-3 py-1.5 font-medium text-white hover:bg-emerald-800 disabled:opacity-50" data-testid="accept-invitation">
        Join {teamName}
      </button>
      {error && (
        <p role="alert" className="text-red-800" data-testid="invitation-error">
          {error}
        </p>
      )}
    </div>
  );
}
