import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useScratchSource } from "../../test/scratch-source";
import { auth } from "./auth";
import { DEFAULT_ACTOR } from "./default-actor";
import { inheritDefaultTeam } from "./first-user";

/** The first sign-up of an install takes over the default team and what was built before accounts existed. */
const { db, sourceId } = useScratchSource("first-user-src");
const RUN = Math.random().toString(36).slice(2, 8);

async function signUp(name: string): Promise<string> {
  const { user } = await auth().api.signUpEmail({ body: { name, email: `${name}-${RUN}@first-user.test`, password: `${name}-password-${RUN}` } });
  return user.id;
}

describe("the first user", () => {
  beforeAll(async () => {
    // The install as the migration left it, whatever other files of the run did: only the default user in the default team.
    await db().member.deleteMany({ where: { organizationId: DEFAULT_ACTOR.organizationId } });
    await db().member.create({ data: { id: `default-member-${RUN}`, organizationId: DEFAULT_ACTOR.organizationId, userId: DEFAULT_ACTOR.userId, role: "owner" } });
  });
  afterAll(async () => {
    await db().build.deleteMany({ where: { sourceId } });
  });

  it("owns the default team and its earlier builds; the next one to sign up gets no team", async () => {
    const earlier = await db().build.create({
      data: { organizationId: DEFAULT_ACTOR.organizationId, submitterId: DEFAULT_ACTOR.userId, sourceId, spec: {}, profile: "p", arch: "x86_64", baseConfig: "tinyconfig" },
    });
    const first = await signUp("first");
    const members = await db().member.findMany({ where: { organizationId: DEFAULT_ACTOR.organizationId }, select: { userId: true, role: true } });
    expect(members).toEqual([{ userId: first, role: "owner" }]);
    expect((await db().build.findUniqueOrThrow({ where: { id: earlier.id } })).submitterId).toBe(first);

    const second = await signUp("second");
    expect(await db().member.count({ where: { userId: second } })).toBe(0);
    expect(await inheritDefaultTeam(db(), second)).toBe(false);
  });

  it("refuses a second account with the same email, and a short password, saying why", async () => {
    const email = `dup-${RUN}@first-user.test`;
    await auth().api.signUpEmail({ body: { name: "dup", email, password: "a-long-enough-password" } });
    const dup = await auth().api.signUpEmail({ body: { name: "dup", email: email.toUpperCase(), password: "a-long-enough-password" }, asResponse: true });
    expect(dup.status).toBe(422);
    expect(((await dup.json()) as { code: string }).code).toMatch(/USER_ALREADY_EXISTS/);
    const short = await auth().api.signUpEmail({ body: { name: "short", email: `short-${RUN}@first-user.test`, password: "short" }, asResponse: true });
    expect(short.status).toBe(400);
    expect(((await short.json()) as { code: string }).code).toBe("PASSWORD_TOO_SHORT");
  });
});
