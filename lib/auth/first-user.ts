import type { Db } from "@/lib/db/client";
import { DEFAULT_ACTOR } from "./default-actor";

/**
 * The first person to sign up on an install takes over what was done before
 * accounts existed: until then every build, module build and boot test was
 * submitted by the migration's default user in the default team. They become
 * the default team's owner (so the team, its sources and its history are
 * theirs to administer) and those records name them as submitter (so "who
 * built this" points at a person who can sign in, not at a placeholder that
 * never can). The default user's membership goes: it cannot sign in, and a
 * team page listing it as a second owner would only confuse.
 *
 * "First" means: the default team has no member but the default user. The
 * check and the takeover run under one advisory lock, so two sign-ups racing
 * on a fresh install cannot both inherit. Returns whether this user did.
 */
export async function inheritDefaultTeam(database: Db, userId: string): Promise<boolean> {
  const { userId: defaultUser, organizationId: defaultTeam } = DEFAULT_ACTOR;
  return database.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('kbuild:first-user'))`;
    const team = await tx.organization.findUnique({ where: { id: defaultTeam }, select: { id: true } });
    if (!team) return false;
    const others = await tx.member.count({ where: { organizationId: defaultTeam, userId: { not: defaultUser } } });
    if (others > 0) return false;
    await tx.member.deleteMany({ where: { organizationId: defaultTeam, userId: defaultUser } });
    await tx.member.create({ data: { id: `first-owner-${userId}`, organizationId: defaultTeam, userId, role: "owner" } });
    await tx.build.updateMany({ where: { submitterId: defaultUser }, data: { submitterId: userId } });
    await tx.bootTest.updateMany({ where: { submitterId: defaultUser }, data: { submitterId: userId } });
    return true;
  });
}

/** Whether anyone but the default user can sign in yet: a fresh install sends visitors to sign-up, not sign-in. */
export async function anyoneSignedUp(database: Db): Promise<boolean> {
  return (await database.user.count({ where: { id: { not: DEFAULT_ACTOR.userId } } })) > 0;
}
