import type { Db } from "@/lib/db/client";
import { roleOf } from "./permissions";
import type { TeamRole } from "./permissions";

export interface TeamMembership {
  id: string;
  name: string;
  role: TeamRole;
}

/** The teams a user belongs to, oldest membership first (the fallback team comes first). */
export async function teamsOf(database: Db, userId: string): Promise<TeamMembership[]> {
  const rows = await database.member.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { role: true, organization: { select: { id: true, name: true } } },
  });
  return rows.flatMap((r) => {
    const role = roleOf(r.role);
    return role ? [{ id: r.organization.id, name: r.organization.name, role }] : [];
  });
}
