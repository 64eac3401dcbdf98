import type { TeamRole } from "./permissions";

/**
 * Who is asking, in which team, with which role: what every service call is
 * scoped by.
 */
export interface Actor {
  userId: string;
  organizationId: string;
  role: TeamRole;
}

/**
 * The user and team the first migration created, who owned every record
 * before accounts existed. The first user to sign up inherits them
 * (./first-user.ts); tests and benchmarks that call services directly still
 * act as them.
 */
export const DEFAULT_ACTOR: Actor = { userId: "default-user", organizationId: "default-team", role: "owner" };
