import type { BuildStatus, Prisma, PrismaClient } from "../db/client";
import { sourcesOf } from "./status";

/**
 * Moves a build to `to` only from a status the machine allows (narrowed to
 * `onlyFrom` when given), atomically: two parties racing (a cancel and a worker
 * finishing) cannot both win. Returns whether this call made the move.
 */
export async function moveBuild(
  db: PrismaClient,
  buildId: string,
  to: BuildStatus,
  data: Omit<Prisma.BuildUpdateManyMutationInput, "status"> = {},
  onlyFrom?: BuildStatus[],
): Promise<boolean> {
  const from = sourcesOf(to).filter((s) => !onlyFrom || onlyFrom.includes(s));
  const { count } = await db.build.updateMany({
    where: { id: buildId, status: { in: from } },
    data: { ...data, status: to },
  });
  return count === 1;
}
