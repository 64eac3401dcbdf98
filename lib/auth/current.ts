import { RequestError } from "../builds/service";
import { actorFromApiToken } from "./api-tokens";
import { type Permission, type TeamRole, can } from "./permissions";

/**
 * Who is asking, in which team, with which role. Until sign-in lands every
 * request acts as the default user, owner of the default team, both created by
 * the first migration; records are keyed by them already, so nothing is
 * re-keyed when real accounts arrive.
 */
export interface Actor {
  userId: string;
  organizationId: string;
  role: TeamRole;
}

export const DEFAULT_ACTOR: Actor = { userId: "default-user", organizationId: "default-team", role: "owner" };

/**
 * The actor of a request, checked for `permission` (read by default): 403 when
 * the actor's role lacks it.
 */
export async function currentActor(request?: Request, permission: Permission = "read"): Promise<Actor> {
  const actor = (await actorFromApiToken(request)) ?? DEFAULT_ACTOR;
  if (!can(actor.role, permission)) throw new RequestError(403, `your role in this team (${actor.role}) may not do this`);
  return actor;
}
