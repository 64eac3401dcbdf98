import { describe, expect, it } from "vitest";
import { teamRoles } from "./access";
import { TEAM_ROLES, can, isTeamRole, roleOf } from "./permissions";

describe("team permissions", () => {
  it("lets each role do what the roles below it do, and no more", () => {
    const table = TEAM_ROLES.map((role) => [role, can(role, "read"), can(role, "submit"), can(role, "admin"), can(role, "own")]);
    expect(table).toEqual([
      ["viewer", true, false, false, false],
      ["member", true, true, false, false],
      ["admin", true, true, true, false],
      ["owner", true, true, true, true],
    ]);
  });

  it("knows the roles and nothing else", () => {
    expect(isTeamRole("admin")).toBe(true);
    expect(isTeamRole("root")).toBe(false);
    expect(isTeamRole(undefined)).toBe(false);
  });

  it("reads a stored role, the highest of several, and nothing from an unknown one", () => {
    expect(roleOf("viewer")).toBe("viewer");
    expect(roleOf("member,admin")).toBe("admin");
    expect(roleOf("superuser")).toBeNull();
    expect(roleOf("")).toBeNull();
  });

  it("lets only admins and owners manage members and invitations in better-auth's plugin, and only owners delete the team", () => {
    const table = TEAM_ROLES.map((role) => [
      role,
      teamRoles[role].authorize({ invitation: ["create"] }).success,
      teamRoles[role].authorize({ member: ["update", "delete"] }).success,
      teamRoles[role].authorize({ organization: ["delete"] }).success,
    ]);
    expect(table).toEqual([
      ["viewer", false, false, false],
      ["member", false, false, false],
      ["admin", true, true, false],
      ["owner", true, true, true],
    ]);
  });
});
