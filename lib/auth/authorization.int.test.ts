import { createHash } from "node:crypto";
import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useScratchSource } from "../../test/scratch-source";
import { artifactKey, artifactStore } from "../artifacts";
import { bootArtifactKey } from "../boot/log";
import { createApiToken } from "./api-tokens";
import { auth } from "./auth";
import { type Permission, TEAM_ROLES, type TeamRole, can } from "./permissions";

/**
 * The authorization matrix: every route handler under app/api/v1, called as
 * each role of the team that owns the records, as the owner of another team,
 * without credentials and with a tampered cookie. What each route needs is
 * the table below; a route file without an entry fails the test, so a new
 * route cannot ship unlisted.
 *
 * A credential kind is one entry of CREDENTIALS: how to make the request
 * headers that act as a user in a team. Every kind runs the whole matrix.
 */

const APP_API = path.join(import.meta.dirname, "../../app/api/v1");
const { db, sourceId } = useScratchSource("authz-src");

interface Fixture {
  buildId: string;
  bootTestId: string;
  source: string;
  presetId: string;
}

/** How a route is called: the path (after /api/v1/) with its params, and a body for POSTs. */
interface RouteCall {
  /**
   * "record": the ids are one team's records (another team gets 404);
   * "team": the acting team's own collection (every team may, for itself);
   * "install": shared by every team (sources, profiles, workers).
   */
  scope: "record" | "team" | "install";
  permission: Permission;
  /** Only a session may (an API token gets 403). */
  sessionOnly?: true;
  /** `who` is the caller, for routes about the caller's own records (their tokens). */
  call: (f: Fixture, who: Principal) => RequestShape | Promise<RequestShape>;
}

interface RequestShape {
  url: string;
  params?: Record<string, string>;
  body?: unknown;
}

/** Every route × method, keyed as "METHOD route-dir" (the directory under app/api/v1). */
const ROUTES: Record<string, RouteCall> = {
  "GET builds": { scope: "team", permission: "read", call: () => ({ url: "builds" }) },
  "POST builds": { scope: "team", permission: "submit", call: () => ({ url: "builds", body: {} }) },
  "GET builds/compare": { scope: "record", permission: "read", call: (f) => ({ url: `builds/compare?a=${f.buildId}&b=${f.buildId}` }) },
  "GET builds/[id]": { scope: "record", permission: "read", call: (f) => ({ url: `builds/${f.buildId}`, params: { id: f.buildId } }) },
  "POST builds/[id]/cancel": { scope: "record", permission: "submit", call: (f) => ({ url: `builds/${f.buildId}/cancel`, params: { id: f.buildId }, body: {} }) },
  "GET builds/[id]/log": { scope: "record", permission: "read", call: (f) => ({ url: `builds/${f.buildId}/log?format=text`, params: { id: f.buildId } }) },
  "GET builds/[id]/artifacts/[name]": {
    scope: "record",
    permission: "read",
    call: (f) => ({ url: `builds/${f.buildId}/artifacts/.config`, params: { id: f.buildId, name: ".config" } }),
  },
  "HEAD builds/[id]/artifacts/[name]": {
    scope: "record",
    permission: "read",
    call: (f) => ({ url: `builds/${f.buildId}/artifacts/.config`, params: { id: f.buildId, name: ".config" } }),
  },
  "GET builds/[id]/boot-tests": { scope: "record", permission: "read", call: (f) => ({ url: `builds/${f.buildId}/boot-tests`, params: { id: f.buildId } }) },
  "POST builds/[id]/boot-tests": { scope: "record", permission: "submit", call: (f) => ({ url: `builds/${f.buildId}/boot-tests`, params: { id: f.buildId }, body: { modules: 7 } }) },
  "GET builds/[id]/modules": { scope: "record", permission: "read", call: (f) => ({ url: `builds/${f.buildId}/modules`, params: { id: f.buildId } }) },
  "POST builds/[id]/modules": { scope: "record", permission: "submit", call: (f) => ({ url: `builds/${f.buildId}/modules`, params: { id: f.buildId }, body: { files: [{ path: "Makefile", content: "obj-m := x.o\n" }, { path: "x.c", content: "" }] } }) },
  "GET boot-tests/[id]": { scope: "record", permission: "read", call: (f) => ({ url: `boot-tests/${f.bootTestId}`, params: { id: f.bootTestId } }) },
  "POST boot-tests/[id]/cancel": { scope: "record", permission: "submit", call: (f) => ({ url: `boot-tests/${f.bootTestId}/cancel`, params: { id: f.bootTestId }, body: {} }) },
  "GET boot-tests/[id]/log": { scope: "record", permission: "read", call: (f) => ({ url: `boot-tests/${f.bootTestId}/log?format=text`, params: { id: f.bootTestId } }) },
  "GET boot-tests/[id]/artifacts/[name]": {
    scope: "record",
    permission: "read",
    call: (f) => ({ url: `boot-tests/${f.bootTestId}/artifacts/console.log`, params: { id: f.bootTestId, name: "console.log" } }),
  },
  "POST builds/[id]/rebuild": { scope: "record", permission: "submit", call: (f) => ({ url: `builds/${f.buildId}/rebuild`, params: { id: f.buildId }, body: {} }) },
  "POST builds/[id]/pin": { scope: "record", permission: "submit", call: (f) => ({ url: `builds/${f.buildId}/pin`, params: { id: f.buildId } }) },
  "DELETE builds/[id]/pin": { scope: "record", permission: "submit", call: (f) => ({ url: `builds/${f.buildId}/pin`, params: { id: f.buildId } }) },
  "GET presets": { scope: "team", permission: "read", call: () => ({ url: "presets" }) },
  "POST presets": { scope: "team", permission: "submit", call: () => ({ url: "presets", body: {} }) },
  "GET presets/[id]": { scope: "record", permission: "read", call: (f) => ({ url: `presets/${f.presetId}`, params: { id: f.presetId } }) },
  "PUT presets/[id]": { scope: "record", permission: "submit", call: (f) => ({ url: `presets/${f.presetId}`, params: { id: f.presetId }, body: {} }) },
  "DELETE presets/[id]": {
    scope: "record",
    permission: "submit",
    // A preset of its own for every call: the first allowed delete would leave the next caller a 404.
    call: async () => {
      const { id } = await presetOfTeamA();
      return { url: `presets/${id}`, params: { id } };
    },
  },
  "POST presets/[id]/builds": { scope: "record", permission: "submit", call: (f) => ({ url: `presets/${f.presetId}/builds`, params: { id: f.presetId } }) },
  "GET retention": { scope: "team", permission: "read", call: () => ({ url: "retention" }) },
  "PUT retention": { scope: "team", permission: "admin", call: () => ({ url: "retention", body: { keepNewest: "many" } }) },
  // Everyone in a team manages their own tokens; a token acts with its user's role, so a viewer's gives nothing more.
  "GET tokens": { scope: "team", permission: "read", call: () => ({ url: "tokens" }) },
  // A token may list and revoke tokens (itself too) but not mint more.
  "POST tokens": { scope: "team", permission: "read", sessionOnly: true, call: () => ({ url: "tokens", body: {} }) },
  "DELETE tokens/[id]": {
    scope: "team",
    permission: "read",
    call: async (_f, who) => {
      const { token } = await createApiToken(db(), { userId: who.userId, organizationId: who.teamId, role: who.role }, { name: "to revoke" });
      return { url: `tokens/${token.id}`, params: { id: token.id } };
    },
  },
  "GET profiles": { scope: "install", permission: "read", call: () => ({ url: "profiles" }) },
  "GET workers": { scope: "install", permission: "read", call: () => ({ url: "workers" }) },
  "GET sources": { scope: "install", permission: "read", call: () => ({ url: "sources" }) },
  "POST sources": { scope: "install", permission: "admin", call: () => ({ url: "sources", body: {} }) },
  // The fixture's source is the operator's: an admin's delete is refused (409) after the permission check.
  "DELETE sources/[id]": { scope: "install", permission: "admin", call: (f) => ({ url: `sources/${f.source}`, params: { id: f.source } }) },
  "GET sources/[id]/kconfig": { scope: "install", permission: "read", call: (f) => ({ url: `sources/${f.source}/kconfig?arch=bogus`, params: { id: f.source } }) },
  "POST sources/[id]/kconfig": { scope: "install", permission: "submit", call: (f) => ({ url: `sources/${f.source}/kconfig?arch=bogus`, params: { id: f.source }, body: {} }) },
  "GET sources/[id]/kconfig/help": { scope: "install", permission: "read", call: (f) => ({ url: `sources/${f.source}/kconfig/help?arch=bogus`, params: { id: f.source } }) },
  "POST sources/[id]/kconfig/check": { scope: "install", permission: "read", call: (f) => ({ url: `sources/${f.source}/kconfig/check`, params: { id: f.source }, body: {} }) },
};

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;

async function routeFiles(dir = APP_API, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) out.push(...(await routeFiles(path.join(dir, entry.name), prefix ? `${prefix}/${entry.name}` : entry.name)));
    else if (entry.name === "route.ts") out.push(prefix);
  }
  return out;
}

type Handler = (request: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Every exported method handler of every route module, by "METHOD route-dir". */
async function handlers(): Promise<Map<string, Handler>> {
  const found = new Map<string, Handler>();
  for (const dir of await routeFiles()) {
    const mod = (await import(path.join(APP_API, dir, "route.ts"))) as Record<string, unknown>;
    for (const method of METHODS) if (typeof mod[method] === "function") found.set(`${method} ${dir}`, mod[method] as Handler);
  }
  return found;
}

// ---------------------------------------------------------------------------
// Who asks: users with a role in team A (which owns the records), the owner of
// team B, nobody, and a forged session.

const RUN = Math.random().toString(36).slice(2, 8);
const TEAM_A = `authz-a-${RUN}`;
const TEAM_B = `authz-b-${RUN}`;

interface Principal {
  name: string;
  userId: string;
  teamId: string;
  role: TeamRole;
}

/** A way of presenting credentials: the request headers that make `user` act in `team`. */
interface CredentialKind {
  name: string;
  headersFor(user: Principal): Promise<Record<string, string>>;
}

const sessionCookies = new Map<string, string>();
const apiTokens = new Map<string, string>();

const CREDENTIALS: CredentialKind[] = [
  {
    name: "session cookie",
    async headersFor(user) {
      return { cookie: sessionCookies.get(user.userId)! };
    },
  },
  {
    name: "API token",
    async headersFor(user) {
      return { authorization: `Bearer ${apiTokens.get(user.userId)!}` };
    },
  },
];

async function signUp(name: string): Promise<{ userId: string; cookie: string }> {
  const res = await auth().api.signUpEmail({ body: { name, email: `${name}-${RUN}@authz.test`, password: `${name}-password-${RUN}` }, asResponse: true });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { user: { id: string } };
  const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  return { userId: body.user.id, cookie };
}

const principals: Principal[] = [];
let fixture: Fixture;
let teamAOwnerId: string;

function presetOfTeamA(): Promise<{ id: string }> {
  const spec = { source: sourceId, profile: "p", arch: "x86_64", baseConfig: "tinyconfig" };
  return db().preset.create({ data: { organizationId: TEAM_A, name: `preset-${Math.random().toString(36).slice(2, 10)}`, spec, createdById: teamAOwnerId } });
}

beforeAll(async () => {
  for (const id of [TEAM_A, TEAM_B]) await db().organization.create({ data: { id, name: id, slug: id } });
  const wanted: [string, string, TeamRole][] = [...TEAM_ROLES.map((role) => [`a-${role}`, TEAM_A, role] as [string, string, TeamRole]), ["b-owner", TEAM_B, "owner"]];
  for (const [name, teamId, role] of wanted) {
    const { userId, cookie } = await signUp(name);
    // A user may have inherited the default team (the first sign-up of an install); act in the fixture's team.
    await db().member.create({ data: { id: `${name}-${RUN}`, organizationId: teamId, userId, role } });
    await db().session.updateMany({ where: { userId }, data: { activeOrganizationId: teamId } });
    sessionCookies.set(userId, cookie);
    const { secret } = await createApiToken(db(), { userId, organizationId: teamId, role }, { name: `authz ${name}` });
    apiTokens.set(userId, secret);
    principals.push({ name, userId, teamId, role });
  }
  const owner = principals[principals.length - 2]!; // a-owner
  const build = await db().build.create({
    data: { organizationId: TEAM_A, submitterId: owner.userId, sourceId, spec: {}, profile: "p", arch: "x86_64", baseConfig: "tinyconfig", status: "succeeded", finishedAt: new Date() },
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), "authz-"));
  const text = "CONFIG_RUST=y\n";
  const sha256 = createHash("sha256").update(text).digest("hex");
  await writeFile(path.join(dir, "file"), text);
  await artifactStore().putFile(artifactKey(build.id, ".config"), path.join(dir, "file"));
  await db().artifact.create({ data: { buildId: build.id, name: ".config", size: text.length, sha256, contentType: "text/plain", storageKey: artifactKey(build.id, ".config") } });
  const bootTest = await db().bootTest.create({
    data: {
      buildId: build.id,
      submitterId: owner.userId,
      spec: { modules: [], expect: [], forbid: [], timeoutSeconds: 60, environment: "qemu-x86_64", kernel: { buildId: build.id, artifact: "bzImage", sha256 }, resolvedModules: [] },
      status: "succeeded", artifacts: [{ name: "console.log", size: text.length, sha256, contentType: "text/plain" }] },
  });
  await artifactStore().putFile(bootArtifactKey(bootTest.id, "console.log"), path.join(dir, "file"));
  teamAOwnerId = owner.userId;
  fixture = { buildId: build.id, bootTestId: bootTest.id, source: sourceId, presetId: (await presetOfTeamA()).id };
});

afterAll(async () => {
  await db().build.deleteMany({ where: { organizationId: { in: [TEAM_A, TEAM_B] } } });
  await db().organization.deleteMany({ where: { id: { in: [TEAM_A, TEAM_B] } } });
});

function expected(route: RouteCall, who: Principal | null, kind: CredentialKind): "allowed" | 401 | 403 | 404 {
  if (!who) return 401;
  if (route.sessionOnly && kind.name !== "session cookie") return 403;
  if (!can(who.role, route.permission)) return 403;
  if (route.scope === "record" && who.teamId !== TEAM_A) return 404;
  return "allowed";
}

async function call(handler: Handler, method: string, route: RouteCall, who: Principal, headers: Record<string, string>): Promise<number> {
  const { url, params = {}, body } = await route.call(fixture, who);
  const init: RequestInit = { method, headers: { ...headers, ...(body !== undefined ? { "content-type": "application/json" } : {}) } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await handler(new Request(`http://kbuild.test/api/v1/${url}`, init), { params: Promise.resolve(params) });
  await res.body?.cancel();
  return res.status;
}

describe("authorization matrix", () => {
  it("has an entry for every route handler under app/api/v1, and none for a route that does not exist", async () => {
    expect([...(await handlers()).keys()].sort()).toEqual(Object.keys(ROUTES).sort());
  });

  for (const kind of CREDENTIALS) {
    it(`answers every route as its table says, for every role of the team and another team's owner (${kind.name})`, async () => {
      const all = await handlers();
      const outcomes: string[] = [];
      const wrong: string[] = [];
      for (const [key, route] of Object.entries(ROUTES)) {
        const method = key.split(" ")[0]!;
        for (const who of principals) {
          const status = await call(all.get(key)!, method, route, who, await kind.headersFor(who));
          const want = expected(route, who, kind);
          const ok = want === "allowed" ? status < 500 && ![401, 403, 404].includes(status) : status === want;
          outcomes.push(`${key} as ${who.name}: ${status}`);
          if (!ok) wrong.push(`${key} as ${who.name}: got ${status}, want ${want}`);
        }
      }
      expect(wrong).toEqual([]);
      expect(outcomes.length).toBe(Object.keys(ROUTES).length * principals.length);
    });
  }

  it("answers 401 to every route without credentials and with a tampered session cookie", async () => {
    const all = await handlers();
    const owner = principals.find((p) => p.name === "a-owner")!;
    const cookie = sessionCookies.get(owner.userId)!;
    // Flip the last character of the token before its signature: the signature no longer matches.
    const tampered = cookie.replace(/=([^.;]*)([^.;])\./, (_m, head: string, last: string) => `=${head}${last === "A" ? "B" : "A"}.`);
    expect(tampered).not.toBe(cookie);
    const wrong: string[] = [];
    for (const [key, route] of Object.entries(ROUTES)) {
      const method = key.split(" ")[0]!;
      const attempts: Record<string, string>[] = [{}, { cookie: tampered }, { cookie: "better-auth.session_token=forged.c2lnbmF0dXJl" }];
      for (const headers of attempts) {
        const status = await call(all.get(key)!, method, route, owner, headers);
        if (status !== 401) wrong.push(`${key} with ${JSON.stringify(headers)}: ${status}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
