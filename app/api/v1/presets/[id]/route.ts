import { currentActor } from "@/lib/auth/current";
import { db } from "@/lib/db/client";
import { deletePreset, getPreset, updatePreset } from "@/lib/presets/service";
import { type Params, handle, json, readJsonBody } from "../../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: Params<{ id: string }>): Promise<Response> {
  return handle("GET /api/v1/presets/[id]", async () => {
    const actor = await currentActor(request);
    return json(await getPreset(db(), actor, (await params).id));
  });
}

/** Renames it and/or replaces its spec: `{ name?, spec? }`. */
export async function PUT(request: Request, { params }: Params<{ id: string }>): Promise<Response> {
  return handle("PUT /api/v1/presets/[id]", async () => {
    const actor = await currentActor(request, "submit");
    return json(await updatePreset(db(), actor, (await params).id, await readJsonBody(request)));
  });
}

/** Deletes it; builds made from it stay. */
export async function DELETE(request: Request, { params }: Params<{ id: string }>): Promise<Response> {
  return handle("DELETE /api/v1/presets/[id]", async () => {
    const actor = await currentActor(request, "submit");
    await deletePreset(db(), actor, (await params).id);
    return new Response(null, { status: 204 });
  });
}
