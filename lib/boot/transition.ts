import type { BuildStatus, Prisma, PrismaClient } from "../db/client";
import { sourcesOf } from "../builds/status";

/** Boot tests follow the build status machine; moves are atomic like moveBuild's. */
export async function moveBootTest(
  db: PrismaClient,
  id: string,
  to: BuildStatus,
  data: Omit<Prisma.BootTestUpdateManyMutationInput, "status"> = {},
  onlyFrom?: BuildStatus[],
): Promise<boolean> {
  const from = sourcesOf(to).filter((s) => !onlyFrom || onlyFrom.includes(s));
  const { count } = await db.bootTest.updateMany({ where: { id, status: { in: from } }, data: { ...data, status: to } });
  return count === 1;
}
