import { currentActor } from "@/lib/auth/current";
import { listBuilds, submitBuild } from "@/lib/builds/service";
import { db } from "@/lib/db/client";
import { handle, json, readJsonBody } from "../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Submits a build: 201 `{ id }` with `Location: /builds/<id>`. */
export async function POST(request: Request): Promise<Response> {
  return handle("POST /api/v1/builds", async () => {
    const actor = await currentActor(request, "submit");
    const body = await readJsonBody(request);
    const { id } = await submitBuild(db(), actor, body);
    return json({ id }, { status: 201, headers: { Location: `/builds/${id}` } });
  });
}

/** Newest builds first: `{ builds, nextCursor }`; pass `?cursor=<nextCursor>` for the next page. */
export async function GET(request: Request): Promise<Response> {
  return handle("GET /api/v1/builds", async () => {
    const actor = await currentActor(request);
    const cursor = new URL(request.url).searchParams.get("cursor") || undefined;
    return json(await listBuilds(db(), actor, cursor));
  });
}
