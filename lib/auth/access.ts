import { adminAc, memberAc, ownerAc } from "better-auth/plugins/organization/access";
import { TEAM_ROLES, type TeamRole, can } from "./permissions";

/**
 * The team roles as better-auth's organization plugin sees them. What a role
 * may do with builds lives in ./permissions.ts; here each role only gets the
 * plugin's statements (invite, change and remove members, update or delete
 * the team) that match its place in that table, so the plugin's own endpoints
 * obey the same order: owners own, admins administer, members and viewers
 * manage nobody.
 */
function roleFor(role: TeamRole) {
  if (can(role, "own")) return ownerAc;
  if (can(role, "admin")) return adminAc;
  return memberAc;
}

export const teamRoles = Object.fromEntries(TEAM_ROLES.map((role) => [role, roleFor(role)])) as Record<TeamRole, ReturnType<typeof roleFor>>;
