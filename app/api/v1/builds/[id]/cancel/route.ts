import { currentActor } from "@/lib/auth/current";
import { cancelBuild } from "@/lib/builds/service";
import { db } from "@/lib/db/client";
import { type Params, handle, json } from "../../../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Cancels a build: `{ status }` is "canceled" when it had not started, or
 * "running" while its worker stops it (the build page shows the final status).
 * Canceling a finished build is a no-op that answers its status.
 */
export async function POST(request: Request, { params }: Params<{ id: string }>): Promise<Response> {
  return handle("POST /api/v1/builds/[id]/cancel", async () => {
    const actor = await currentActor(request, "submit");
    const { id } = await params;
    return json(await cancelBuild(db(), actor, id));
  });
}
