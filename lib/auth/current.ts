import { RequestError } from "@/lib/builds/service";
import { db } from "@/lib/db/client";
import { actorFromApiToken } from "./api-tokens";
import { auth } from "./auth";
import { type Actor, DEFAULT_ACTOR } from "./default-actor";
import { anyoneSignedUp } from "./first-user";
import { type Permission, can, roleOf } from "./permissions";

export { type Actor, DEFAULT_ACTOR };

/** What a credential resolved to: someone acting in a team, or why not. */
export type ActorLookup = { actor: Actor } | { missing: "credentials" | "team" };

/** The signed-in user of a request, or null: no session cookie, an expired or revoked session, or a tampered cookie. */
export async function sessionUser(headers: Headers): Promise<{ id: string; name: string; email: string; activeOrganizationId: string | null } | null> {
  const found = await auth().api.getSession({ headers });
  if (!found) return null;
  const { id, name, email } = found.user;
  return { id, name, email, activeOrganizationId: found.session.activeOrganizationId ?? null };
}

/**
 * The user in the session's active team, or — when there is none or they have
 * left it — in their first team; the role is read from the membership on every
 * request, so a changed role or a removal takes effect at once.
 */
export async function actorFromSession(headers: Headers): Promise<ActorLookup> {
  const user = await sessionUser(headers);
  if (!user) return { missing: "credentials" };
  const members = await db().member.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" }, select: { organizationId: true, role: true } });
  const membership = members.find((m) => m.organizationId === user.activeOrganizationId) ?? members[0];
  const role = membership && roleOf(membership.role);
  if (!membership || !role) return { missing: "team" };
  return { actor: { userId: user.id, organizationId: membership.organizationId, role } };
}

/** The request headers of the server component being rendered. */
async function pageHeaders(): Promise<Headers> {
  const { headers } = await import("next/headers");
  return new Headers(await headers());
}

/**
 * Pages have no 401: someone not signed in is sent to sign in (to sign up on
 * a fresh install, whose first user inherits the default team), and someone
 * in no team yet to create one.
 */
async function redirectPage(missing: "credentials" | "team"): Promise<never> {
  const { redirect } = await import("next/navigation");
  if (missing === "team") redirect("/teams/new");
  return redirect((await anyoneSignedUp(db())) ? "/sign-in" : "/sign-up");
}

/**
 * The actor of a request, checked for `permission` (read by default). Route
 * handlers pass their request: no valid session answers 401, no team 403, a
 * role without the permission 403. Server components pass none: the session
 * comes from the page's cookies, and no session or no team redirects to the
 * page that fixes it. `credential: "session"` refuses API tokens (403) for
 * what only a signed-in person may do, such as creating tokens (a leaked
 * token must not be able to mint more).
 */
export async function currentActor(request?: Request, permission: Permission = "read", credential: "any" | "session" = "any"): Promise<Actor> {
  // An API token (Authorization: Bearer) when the request carries one, else the session cookie.
  const fromToken = request ? await actorFromApiToken(request) : null;
  if (fromToken && credential === "session") throw new RequestError(403, "an API token cannot do this: sign in and do it from a session");
  const lookup: ActorLookup = fromToken ? { actor: fromToken } : await actorFromSession(request ? request.headers : await pageHeaders());
  if ("missing" in lookup) {
    if (!request) return redirectPage(lookup.missing);
    if (lookup.missing === "team") throw new RequestError(403, "you are in no team yet: create one or accept an invitation");
    throw new RequestError(401, "sign in first: this needs a session (POST /api/auth/sign-in/email)");
  }
  const { actor } = lookup;
  if (!can(actor.role, permission)) throw new RequestError(403, `your role in this team (${actor.role}) may not do this`);
  return actor;
}

/** For pages: the actor, or a redirect to sign in; `permission` as for currentActor. */
export function requirePageActor(permission: Permission = "read"): Promise<Actor> {
  return currentActor(undefined, permission);
}
