/**
 * What each team role may do. Roles are ordered: a role may do everything the
 * roles below it may. Every door (page, API route, log stream, download) names
 * the permission it needs; this table is the one place that says who has it.
 */
export const TEAM_ROLES = ["viewer", "member", "admin", "owner"] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

export const PERMISSIONS = {
  /** See the team's builds, logs, artifacts, sources and boot tests. */
  read: "viewer",
  /** Submit, rebuild and cancel builds, module builds and boot tests; save presets; pin builds. */
  submit: "member",
  /** Register kernel sources, invite and remove members, set the retention policy. */
  admin: "admin",
  /** Change owners, delete the team. */
  own: "owner",
} as const satisfies Record<string, TeamRole>;
export type Permission = keyof typeof PERMISSIONS;

export function isTeamRole(value: unknown): value is TeamRole {
  return typeof value === "string" && (TEAM_ROLES as readonly string[]).includes(value);
}

export function can(role: TeamRole, permission: Permission): boolean {
  return TEAM_ROLES.indexOf(role) >= TEAM_ROLES.indexOf(PERMISSIONS[permission]);
}

/**
 * A member's role as kbuild knows it. better-auth may store several roles
 * comma-separated; the highest one counts, and a role kbuild does not know
 * gives nothing: an unknown role is no role, not a viewer.
 */
export function roleOf(stored: string): TeamRole | null {
  const known = stored.split(",").map((r) => r.trim()).filter(isTeamRole);
  return known.length ? known.reduce((a, b) => (TEAM_ROLES.indexOf(a) >= TEAM_ROLES.indexOf(b) ? a : b)) : null;
}
