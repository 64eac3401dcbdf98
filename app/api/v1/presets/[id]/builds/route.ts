import { currentActor } from "@/lib/auth/current";
import { db } from "@/lib/db/client";
import { buildFromPreset } from "@/lib/presets/service";
import { type Params, handle, json } from "../../../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Builds the preset's spec as a build of the preset: 201 `{ id }`. A route of
 * its own rather than a `preset` field in POST /api/v1/builds, so that body
 * stays exactly the build spec, with no rule for which wins when both come.
 */
export async function POST(request: Request, { params }: Params<{ id: string }>): Promise<Response> {
  return handle("POST /api/v1/presets/[id]/builds", async () => {
    const actor = await currentActor(request, "submit");
    const { id } = await buildFromPreset(db(), actor, (await params).id);
    return json({ id }, { status: 201, headers: { Location: `/builds/${id}` } });
  });
}
