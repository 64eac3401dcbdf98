import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "../db/client";
import { auth } from "./auth";

/** Invitation links: accepted once, by the invited address, before they expire; every other use is refused with its reason. */
const db = createDb(process.env.DATABASE_URL!);
const RUN = Math.random().toString(36).slice(2, 8);
const TEAM = `invitations-${RUN}`;

async function signUp(name: string): Promise<{ id: string; email: string; headers: Headers }> {
  const email = `${name}-${RUN}@invitations.test`;
  const res = await auth().api.signUpEmail({ body: { name, email, password: `${name}-password-${RUN}` }, asResponse: true });
  const { user } = (await res.json()) as { user: { id: string } };
  return { id: user.id, email, headers: new Headers({ cookie: res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ") }) };
}

async function accept(headers: Headers, invitationId: string): Promise<{ status: number; code?: string }> {
  const res = await auth().api.acceptInvitation({ headers, body: { invitationId }, asResponse: true });
  const body = (await res.json().catch(() => ({}))) as { code?: string };
  return { status: res.status, code: body.code };
}

afterAll(async () => {
  await db.organization.deleteMany({ where: { id: TEAM } });
  await db.$disconnect();
});

describe("invitations", () => {
  it("are accepted once, only by the invited address, and not after they expire", async () => {
    const admin = await signUp("admin");
    await db.organization.create({ data: { id: TEAM, name: TEAM, slug: TEAM } });
    await db.member.create({ data: { id: `admin-${RUN}`, organizationId: TEAM, userId: admin.id, role: "admin" } });
    const invitee = await signUp("invitee");
    const stranger = await signUp("stranger");
    const invite = (id: string, expiresAt: Date) =>
      db.invitation.create({ data: { id, organizationId: TEAM, email: invitee.email, role: "viewer", status: "pending", expiresAt, inviterId: admin.id } });

    const expired = await invite(`expired-${RUN}`, new Date(Date.now() - 1000));
    expect(await accept(invitee.headers, expired.id)).toEqual({ status: 400, code: "INVITATION_NOT_FOUND" });

    const valid = await invite(`valid-${RUN}`, new Date(Date.now() + 3600_000));
    expect(await accept(stranger.headers, valid.id)).toMatchObject({ status: 403, code: "YOU_ARE_NOT_THE_RECIPIENT_OF_THE_INVITATION" });
    expect((await accept(invitee.headers, valid.id)).status).toBe(200);
    expect(await db.member.findFirst({ where: { organizationId: TEAM, userId: invitee.id }, select: { role: true } })).toEqual({ role: "viewer" });
    // Reused: the link is spent.
    expect(await accept(invitee.headers, valid.id)).toEqual({ status: 400, code: "INVITATION_NOT_FOUND" });
    expect(await accept(new Headers(), valid.id)).toMatchObject({ status: 401 });
  });

  it("can be created by admins with kbuild's roles, viewer included, and not by viewers", async () => {
    const admin = await db.member.findFirstOrThrow({ where: { organizationId: TEAM, role: "admin" }, select: { userId: true } });
    const adminSession = await signInAs(admin.userId);
    const created = await auth().api.createInvitation({ headers: adminSession, body: { email: `new-${RUN}@invitations.test`, role: "viewer", organizationId: TEAM } });
    expect(created.role).toBe("viewer");
    const viewer = await db.member.findFirstOrThrow({ where: { organizationId: TEAM, role: "viewer" }, select: { userId: true } });
    const refused = await auth().api.createInvitation({ headers: await signInAs(viewer.userId), body: { email: `other-${RUN}@invitations.test`, role: "member", organizationId: TEAM }, asResponse: true });
    expect(refused.status).toBe(403);
  });
});

/** A session of an existing user, by their email and the password signUp gave them. */
async function signInAs(userId: string): Promise<Headers> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
  const name = user.email.split("-")[0]!;
  const res = await auth().api.signInEmail({ body: { email: user.email, password: `${name}-password-${RUN}` }, asResponse: true });
  expect(res.status).toBe(200);
  return new Headers({ cookie: res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ") });
}
