import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as buildRoute from "@/app/api/v1/builds/[id]/route";
import * as buildsRoute from "@/app/api/v1/builds/route";
import * as tokenRoute from "@/app/api/v1/tokens/[id]/route";
import * as tokensRoute from "@/app/api/v1/tokens/route";
import { HTTP_METHODS, type RouteModule, apiRoutes, callRoute } from "@/test/route-call";
import { useScratchSource } from "@/test/scratch-source";
import { auth } from "./auth";
import type { Actor } from "./default-actor";
import { createApiToken, listApiTokens, revokeApiToken } from "./api-tokens";
import { parseToken } from "./token-format";

/**
 * API tokens against the real database, through the real route handlers with
 * `Authorization: Bearer`: who a token acts as, in which team, with which role,
 * and the clear 401 of every token that must not work.
 */

const run = randomUUID().slice(0, 8);
const { db, sourceId } = useScratchSource(`tokens-${run}`);
const MY_TEAM = `tokens-mine-${run}`;
const OTHER_TEAM = `tokens-team-${run}`;
const VIEWER = `tokens-viewer-${run}`;
const BASE = "http://kbuild.test";

/** The user the tests act as: signed up like anyone, owner of MY_TEAM; `sessionCookie` is their browser session. */
let me: Actor;
let sessionCookie: string;
let ownBuild: string;
let otherTeamBuild: string;

async function writeBuild(organizationId: string): Promise<string> {
  const b = await db().build.create({
    data: { organizationId, submitterId: me.userId, sourceId, spec: {}, profile: "p", arch: "x86_64", baseConfig: "tinyconfig", status: "succeeded" },
  });
  return b.id;
}

beforeAll(async () => {
  for (const id of [MY_TEAM, OTHER_TEAM]) await db().organization.create({ data: { id, name: id, slug: id } });
  const signedUp = await auth().api.signUpEmail({ body: { name: "Token owner", email: `tokens-${run}@kbuild.test`, password: `tokens-password-${run}` }, asResponse: true });
  expect(signedUp.status).toBe(200);
  const userId = ((await signedUp.json()) as { user: { id: string } }).user.id;
  sessionCookie = signedUp.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  me = { userId, organizationId: MY_TEAM, role: "owner" };
  await db().member.create({ data: { id: `${MY_TEAM}-m`, organizationId: MY_TEAM, userId, role: "owner" } });
  // The first sign-up of an install inherits the default team: act in this file's own team.
  await db().session.updateMany({ where: { userId }, data: { activeOrganizationId: MY_TEAM } });
  await db().user.create({ data: { id: VIEWER, name: "A viewer", email: `${VIEWER}@kbuild.test` } });
  await db().member.createMany({
    data: [
      { id: `${VIEWER}-m`, organizationId: MY_TEAM, userId: VIEWER, role: "viewer" },
      // I am only a viewer in the other team.
      { id: `${OTHER_TEAM}-m`, organizationId: OTHER_TEAM, userId: me.userId, role: "viewer" },
    ],
  });
  ownBuild = await writeBuild(MY_TEAM);
  otherTeamBuild = await writeBuild(OTHER_TEAM);
});

afterAll(async () => {
  await db().build.deleteMany({ where: { sourceId } });
  await db().apiToken.deleteMany({ where: { OR: [{ userId: VIEWER }, { organizationId: OTHER_TEAM }, { name: { startsWith: `t-${run}` } }] } });
  await db().organization.deleteMany({ where: { id: { in: [MY_TEAM, OTHER_TEAM] } } });
  await db().user.deleteMany({ where: { id: { in: [VIEWER, me.userId] } } });
});

const actorOf = (userId: string, organizationId = MY_TEAM) => ({ userId, organizationId, role: "viewer" as const });

async function newToken(userId = me.userId, organizationId = MY_TEAM) {
  return createApiToken(db(), actorOf(userId, organizationId), { name: `t-${run}-${randomUUID().slice(0, 6)}` });
}

/** A request with `credential`: a token, an Authorization header as is, or "session" for my session cookie. */
const request = (url: string, credential: string, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  if (credential === "session") headers.set("Cookie", sessionCookie);
  else headers.set("Authorization", credential.startsWith("kb_") ? `Bearer ${credential}` : credential);
  return new Request(`${BASE}${url}`, { ...init, headers });
};
const body = async (res: Response) => (await res.json()) as Record<string, unknown>;
const submitRequest = (token: string) =>
  request("/api/v1/builds", token, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ source: "" }) });

describe("creating, listing and revoking tokens", () => {
  it("shows the secret once: the creation answers it, lists never hold it or its hash", async () => {
    const res = await tokensRoute.POST(request("/api/v1/tokens", "session", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: `t-${run}-cli` }) }));
    expect(res.status).toBe(201);
    const created = (await body(res)) as { token: { id: string; prefix: string }; secret: string };
    const parsed = parseToken(created.secret)!;
    expect(created.token.prefix).toBe(`kb_${parsed.prefix}`);
    const row = await db().apiToken.findUniqueOrThrow({ where: { id: created.token.id } });
    expect(row.secretHash).not.toContain(parsed.secret);

    const listed = await (await tokensRoute.GET(request("/api/v1/tokens", created.secret))).text();
    expect(listed).toContain(created.token.id);
    expect(listed).not.toContain(parsed.secret);
    expect(listed).not.toContain(row.secretHash);
  });

  it("refuses a token without a name, naming the field", async () => {
    const res = await tokensRoute.POST(request("/api/v1/tokens", "session", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: " " }) }));
    expect(res.status).toBe(400);
    expect((await body(res)).issues).toEqual([expect.objectContaining({ path: "name" })]);
  });

  it("lists and revokes only the user's own tokens in the current team", async () => {
    const mine = await newToken();
    const viewers = await newToken(VIEWER);
    const mineElsewhere = await newToken(me.userId, OTHER_TEAM);

    const ids = (await listApiTokens(db(), me)).map((t) => t.id);
    expect(ids).toContain(mine.token.id);
    expect(ids).not.toContain(viewers.token.id);
    expect(ids).not.toContain(mineElsewhere.token.id);

    // Someone else's token, and my token of another team, are not there to revoke.
    for (const id of [viewers.token.id, mineElsewhere.token.id]) {
      const res = await tokenRoute.DELETE(request(`/api/v1/tokens/${id}`, mine.secret, { method: "DELETE" }), { params: Promise.resolve({ id }) });
      expect(res.status).toBe(404);
    }
    expect(await db().apiToken.count({ where: { id: { in: [viewers.token.id, mineElsewhere.token.id] }, revokedAt: { not: null } } })).toBe(0);

    const res = await tokenRoute.DELETE(request(`/api/v1/tokens/${mine.token.id}`, "session", { method: "DELETE" }), { params: Promise.resolve({ id: mine.token.id }) });
    expect(res.status).toBe(200);
    const revokedAt = ((await body(res)).token as { revokedAt: string }).revokedAt;
    expect(revokedAt).toBeTruthy();
    // Revoking again changes nothing.
    expect((await revokeApiToken(db(), me, mine.token.id)).revokedAt).toBe(revokedAt);
  });
});

describe("a request with a token", () => {
  it("acts in the token's team: its builds are there, another team's build is not found", async () => {
    const { secret } = await newToken();
    const list = (await body(await buildsRoute.GET(request("/api/v1/builds", secret)))) as { builds: { id: string }[] };
    expect(list.builds.map((b) => b.id)).toContain(ownBuild);
    expect(list.builds.map((b) => b.id)).not.toContain(otherTeamBuild);

    const get = (id: string, token: string) => buildRoute.GET(request(`/api/v1/builds/${id}`, token), { params: Promise.resolve({ id }) });
    expect((await get(ownBuild, secret)).status).toBe(200);
    const other = await get(otherTeamBuild, secret);
    expect(other.status).toBe(404);
    expect(await body(other)).toEqual({ error: "no such build" });

    // The same user's token for the other team sees that team's build, and not the first team's.
    const elsewhere = await newToken(me.userId, OTHER_TEAM);
    expect((await get(otherTeamBuild, elsewhere.secret)).status).toBe(200);
    expect((await get(ownBuild, elsewhere.secret)).status).toBe(404);
  });

  it("has the user's current role in the token's team: a viewer cannot submit until made a member; a removed member is refused", async () => {
    const { secret } = await newToken(VIEWER);
    const refused = await buildsRoute.POST(submitRequest(secret));
    expect(refused.status).toBe(403);
    expect((await body(refused)).error).toMatch(/your role in this team \(viewer\) may not do this/);

    await db().member.update({ where: { id: `${VIEWER}-m` }, data: { role: "member" } });
    // Past the permission check: the (empty) build request itself is what is wrong now.
    const accepted = await buildsRoute.POST(submitRequest(secret));
    expect(accepted.status).toBe(400);
    expect((await body(accepted)).error).toBe("invalid build request");

    // My role in the other team is viewer.
    const elsewhere = await newToken(me.userId, OTHER_TEAM);
    expect((await buildsRoute.POST(submitRequest(elsewhere.secret))).status).toBe(403);

    await db().member.delete({ where: { id: `${VIEWER}-m` } });
    const gone = await buildsRoute.GET(request("/api/v1/builds", secret));
    expect(gone.status).toBe(401);
    expect((await body(gone)).error).toMatch(/no longer a member of its team/);
  });

  it("records when it was last used, at most once a minute", async () => {
    const { token, secret } = await newToken();
    expect(token.lastUsedAt).toBeNull();
    await buildsRoute.GET(request("/api/v1/builds", secret));
    const first = (await db().apiToken.findUniqueOrThrow({ where: { id: token.id } })).lastUsedAt;
    expect(first).not.toBeNull();
    await buildsRoute.GET(request("/api/v1/builds", secret));
    expect((await db().apiToken.findUniqueOrThrow({ where: { id: token.id } })).lastUsedAt).toEqual(first);

    const twoMinutesAgo = new Date(Date.now() - 120_000);
    await db().apiToken.update({ where: { id: token.id }, data: { lastUsedAt: twoMinutesAgo } });
    await buildsRoute.GET(request("/api/v1/builds", secret));
    expect((await db().apiToken.findUniqueOrThrow({ where: { id: token.id } })).lastUsedAt!.getTime()).toBeGreaterThan(twoMinutesAgo.getTime());
  });
});

describe("tokens that must not work", () => {
  /** The 401's message; and the secret part of the token appears nowhere in the answer. */
  async function refusal(authorization: string): Promise<string> {
    const res = await buildsRoute.GET(request("/api/v1/builds", authorization));
    const text = await res.text();
    expect(res.status, text).toBe(401);
    const secret = parseToken(authorization.replace(/^Bearer /, ""))?.secret;
    if (secret) expect(text).not.toContain(secret.slice(0, 12));
    return (JSON.parse(text) as { error: string }).error;
  }

  it("a malformed one: says what a token looks like and where to get one", async () => {
    expect(await refusal("Bearer hunter2")).toMatch(/not a kbuild API token \(kb_<prefix>_<secret>\).*\/settings\/tokens/);
    expect(await refusal("Basic dXNlcjpodW50ZXIy")).toMatch(/scheme must be Bearer/);
    expect(await refusal("Basic dXNlcjpodW50ZXIy")).not.toContain("dXNlcjpodW50ZXIy");
  });

  it("an unknown one, also a real token's prefix with another secret", async () => {
    const { secret } = await newToken();
    const prefix = parseToken(secret)!.prefix;
    const forged = `kb_${prefix}_${"A".repeat(43)}`;
    expect(await refusal(`Bearer ${forged}`)).toMatch(new RegExp(`^unknown API token kb_${prefix}…`));
    expect(await refusal(`Bearer kb_aaaaaaaaaa_${"B".repeat(43)}`)).toMatch(/^unknown API token kb_aaaaaaaaaa…/);
  });

  it("a revoked one: says it was revoked and when", async () => {
    const { token, secret } = await newToken();
    await revokeApiToken(db(), me, token.id);
    expect(await refusal(`Bearer ${secret}`)).toMatch(/was revoked on \d{4}-\d\d-\d\dT/);
  });

  it("an expired one: says it expired and when", async () => {
    const { token, secret } = await newToken();
    await db().apiToken.update({ where: { id: token.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await refusal(`Bearer ${secret}`)).toMatch(/expired on \d{4}-\d\d-\d\dT/);
  });
});

describe("every API route", () => {
  it("authenticates with the token: a revoked token is refused by each, before anything else happens", async () => {
    const { token, secret } = await newToken();
    await revokeApiToken(db(), me, token.id);
    const routes = await apiRoutes();
    const seen: string[] = [];
    for (const route of routes) {
      const mod: RouteModule = await route.load();
      const params = Object.fromEntries(route.paramNames.map((n) => [n, n === "id" ? ownBuild : "x"]));
      for (const method of HTTP_METHODS) {
        if (!mod[method]) continue;
        const withBody = method !== "GET" && method !== "HEAD";
        const req = request(route.pattern, secret, withBody ? { method, headers: { "Content-Type": "application/json" }, body: "{}" } : { method });
        const res = await callRoute(mod, method, req, params);
        expect(res.status, `${method} ${route.pattern}`).toBe(401);
        if (method !== "HEAD") expect(((await res.json()) as { error: string }).error, `${method} ${route.pattern}`).toMatch(/was revoked/);
        seen.push(`${method} ${route.pattern}`);
      }
    }
    // The routes the design names are among them.
    expect(seen).toEqual(expect.arrayContaining([
      "POST /api/v1/builds", "GET /api/v1/builds/[id]", "GET /api/v1/builds/[id]/log", "GET /api/v1/builds/[id]/artifacts/[name]", "POST /api/v1/builds/[id]/cancel",
    ]));
  });
});
