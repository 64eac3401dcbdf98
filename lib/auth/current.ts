/**
 * Who is asking. Until sign-in lands every request acts as the default user of
 * the default team, both created by the first migration; records are keyed by
 * them already, so nothing is re-keyed when real accounts arrive.
 */
export interface Actor {
  userId: string;
  organizationId: string;
}

export const DEFAULT_ACTOR: Actor = { userId: "default-user", organizationId: "default-team" };

export async function currentActor(_request?: Request): Promise<Actor> {
  return DEFAULT_ACTOR;
}
