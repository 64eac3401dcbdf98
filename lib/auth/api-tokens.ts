import { z } from "zod";
import { RequestError } from "../builds/service";
import { type ApiToken, type PrismaClient, db as sharedDb } from "../db/client";
import type { Actor } from "./default-actor";
import { roleOf } from "./permissions";
import { displayPrefix, generateToken, hashSecret, readBearer } from "./token-format";

/**
 * API tokens: a user's credential for one team, for the CLI and scripts
 * (`Authorization: Bearer kb_<prefix>_<secret>`). The secret is shown once, at
 * creation; only its hash is kept (lib/auth/token-format.ts says why sha256).
 * A token carries no role of its own: it acts with its user's current role in
 * its team, so removing a member or lowering their role takes effect at once.
 */

const WHERE_TO_GET_ONE = "create one on the API tokens page (/settings/tokens) and send it as Authorization: Bearer <token>";
/** lastUsedAt is a hint for the user ("used 3 hours ago"), not an audit log: one write a minute per token is plenty. */
export const LAST_USED_RESOLUTION_MS = 60_000;
export const MAX_TOKENS_PER_USER_AND_TEAM = 50;

export const CreateTokenSchema = z.object({
  name: z.string().trim().min(1, "give the token a name, e.g. the machine or job that uses it").max(100),
  /** Days until it stops working; absent: until revoked. */
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

/** A token as lists show it: never its secret or hash. */
export interface ApiTokenView {
  id: string;
  name: string;
  /** `kb_<prefix>`: the start of the token, enough to recognise it. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

function view(t: ApiToken): ApiTokenView {
  return {
    id: t.id,
    name: t.name,
    prefix: displayPrefix(t.prefix),
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    expiresAt: t.expiresAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}

/** Creates a token for the actor in the actor's team; `secret` is the whole token, returned this once. */
export async function createApiToken(db: PrismaClient, actor: Actor, input: unknown): Promise<{ token: ApiTokenView; secret: string }> {
  const parsed = CreateTokenSchema.safeParse(input);
  if (!parsed.success) {
    throw new RequestError(400, "invalid token request", parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
  }
  const active = await db.apiToken.count({ where: { userId: actor.userId, organizationId: actor.organizationId, revokedAt: null } });
  if (active >= MAX_TOKENS_PER_USER_AND_TEAM) {
    throw new RequestError(409, `you already have ${active} active tokens in this team; revoke one you no longer use first`);
  }
  const { token, prefix, secretHash } = generateToken();
  const { expiresInDays } = parsed.data;
  const row = await db.apiToken.create({
    data: {
      userId: actor.userId,
      organizationId: actor.organizationId,
      name: parsed.data.name,
      prefix,
      secretHash,
      expiresAt: expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000) : null,
    },
  });
  return { token: view(row), secret: token };
}

/** The actor's own tokens in the actor's team, newest first, revoked ones included. */
export async function listApiTokens(db: PrismaClient, actor: Actor): Promise<ApiTokenView[]> {
  const rows = await db.apiToken.findMany({
    where: { userId: actor.userId, organizationId: actor.organizationId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  return rows.map(view);
}

/** Revokes one of the actor's own tokens in the actor's team (anyone else's answers 404). Revoking twice is a no-op. */
export async function revokeApiToken(db: PrismaClient, actor: Actor, id: string): Promise<ApiTokenView> {
  const where = { id, userId: actor.userId, organizationId: actor.organizationId };
  await db.apiToken.updateMany({ where: { ...where, revokedAt: null }, data: { revokedAt: new Date() } });
  const row = await db.apiToken.findFirst({ where });
  if (!row) throw new RequestError(404, "no such token");
  return view(row);
}

/**
 * The actor a request's API token stands for: null when the request has no
 * Authorization header (another way of signing in applies), otherwise the
 * token's user with their current role in the token's team. A malformed,
 * unknown, revoked or expired token, or one whose user has left the team, is
 * a 401 that says which and what to do, and never echoes the secret.
 */
export async function actorFromApiToken(request?: Request, db: PrismaClient = sharedDb()): Promise<Actor | null> {
  const credential = readBearer(request?.headers.get("authorization"));
  if (credential.kind === "none") return null;
  if (credential.kind === "malformed") throw new RequestError(401, `${credential.reason}; ${WHERE_TO_GET_ONE}`);

  const row = await db.apiToken.findUnique({ where: { secretHash: hashSecret(credential.token.secret) } });
  const name = displayPrefix(credential.token.prefix);
  // A matching hash with another prefix is a token whose halves were mixed up: as unknown as any other.
  if (!row || row.prefix !== credential.token.prefix) throw new RequestError(401, `unknown API token ${name}…; ${WHERE_TO_GET_ONE}`);
  const now = new Date();
  if (row.revokedAt) throw new RequestError(401, `API token ${name}… ("${row.name}") was revoked on ${row.revokedAt.toISOString()}; ${WHERE_TO_GET_ONE}`);
  if (row.expiresAt && row.expiresAt <= now) throw new RequestError(401, `API token ${name}… ("${row.name}") expired on ${row.expiresAt.toISOString()}; ${WHERE_TO_GET_ONE}`);

  const member = await db.member.findUnique({ where: { organizationId_userId: { organizationId: row.organizationId, userId: row.userId } } });
  if (!member) throw new RequestError(401, `API token ${name}… belongs to someone who is no longer a member of its team`);
  // Read as a session's role is (better-auth may store several, comma-separated).
  const role = roleOf(member.role);
  if (!role) throw new RequestError(403, `your role in this team (${member.role}) is not one kbuild knows`);

  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    // Conditional, so concurrent requests of the same minute write once.
    await db.apiToken.updateMany({
      where: { id: row.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: new Date(now.getTime() - LAST_USED_RESOLUTION_MS) } }] },
      data: { lastUsedAt: now },
    });
  }
  return { userId: row.userId, organizationId: row.organizationId, role };
}
