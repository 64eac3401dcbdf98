import { currentActor } from "@/lib/auth/current";
import { rebuild } from "@/lib/builds/rebuild";
import { db } from "@/lib/db/client";
import { type Params, handle, json, readJsonBody } from "../../../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Builds the same spec again: 201 `{ id }`. Optional body `{ "preset": "<id>" | null }`: the preset the new build belongs to (default: the build's). */
export async function POST(request: Request, { params }: Params<{ id: string }>): Promise<Response> {
  return handle("POST /api/v1/builds/[id]/rebuild", async () => {
    const actor = await currentActor(request, "submit");
    const body = request.headers.get("content-type") ? await readJsonBody(request) : {};
    const { id } = await rebuild(db(), actor, (await params).id, body);
    return json({ id }, { status: 201, headers: { Location: `/builds/${id}` } });
  });
}
