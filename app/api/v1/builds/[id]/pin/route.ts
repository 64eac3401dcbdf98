import { currentActor } from "@/lib/auth/current";
import { setPinned } from "@/lib/builds/rebuild";
import { db } from "@/lib/db/client";
import { type Params, handle, json } from "../../../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Pins the build: retention keeps its artifacts. `{ pinned, artifactsPurgedAt }` (already removed ones do not come back). */
export async function POST(request: Request, { params }: Params<{ id: string }>): Promise<Response> {
  return handle("POST /api/v1/builds/[id]/pin", async () => {
    const actor = await currentActor(request, "submit");
    return json(await setPinned(db(), actor, (await params).id, true));
  });
}

/** Unpins it: the retention policy applies to it again. */
export async function DELETE(request: Request, { params }: Params<{ id: string }>): Promise<Response> {
  return handle("DELETE /api/v1/builds/[id]/pin", async () => {
    const actor = await currentActor(request, "submit");
    return json(await setPinned(db(), actor, (await params).id, false));
  });
}
