import { createApiToken, listApiTokens } from "@/lib/auth/api-tokens";
import { currentActor } from "@/lib/auth/current";
import { db } from "@/lib/db/client";
import { handle, json, readJsonBody } from "../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Your API tokens in the current team, newest first: `{ tokens }` (never a secret). */
export async function GET(request: Request): Promise<Response> {
  return handle("GET /api/v1/tokens", async () => json({ tokens: await listApiTokens(db(), await currentActor(request)) }));
}

/**
 * Creates a token: `201 { token, secret }`; the secret is in no other answer, ever. Body: `{ name, expiresInDays? }`.
 * Only a signed-in session may: a token that could mint tokens would let a leaked one survive its revocation.
 */
export async function POST(request: Request): Promise<Response> {
  return handle("POST /api/v1/tokens", async () => {
    const actor = await currentActor(request, "read", "session");
    const created = await createApiToken(db(), actor, await readJsonBody(request, 16 * 1024));
    return json(created, { status: 201 });
  });
}
