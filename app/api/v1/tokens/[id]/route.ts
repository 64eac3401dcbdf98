import { z } from "zod";
import { revokeApiToken } from "@/lib/auth/api-tokens";
import { currentActor } from "@/lib/auth/current";
import { db } from "@/lib/db/client";
import { type Params, handle, json, jsonError } from "../../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const TokenId = z.uuid();

/** Revokes one of your tokens in the current team: `{ token }` with its `revokedAt`. It stops working at once. */
export async function DELETE(request: Request, { params }: Params<{ id: string }>): Promise<Response> {
  return handle("DELETE /api/v1/tokens/[id]", async () => {
    const actor = await currentActor(request);
    const { id } = await params;
    if (!TokenId.safeParse(id).success) return jsonError(404, "no such token");
    return json({ token: await revokeApiToken(db(), actor, id) });
  });
}
