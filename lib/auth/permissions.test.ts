import { describe, expect, it } from "vitest";
import { TEAM_ROLES, can, isTeamRole } from "./permissions";

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
});
