import { Readable } from "node:stream";
import { artifactStore } from "@/lib/artifacts";
import { currentActor } from "@/lib/auth/current";
import { db } from "@/lib/db/client";
import { modelState, type ModelState } from "@/lib/kconfig/model/service";
import { handle, json, type Params } from "../../../_lib/http";
import { modelRequest } from "./_request";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * The configurator model of a source for an arch and toolchain profile
 * (?arch=x86_64&profile=...): 200 with the model once a worker has prepared
 * it, 202 with the job's progress while it prepares, 502 when it failed.
 */
export async function GET(request: Request, { params }: Params<{ id: string }>): Promise<Response> {
  return handle("GET /api/v1/sources/:id/kconfig", async () => {
    await currentActor(request);
    const { id } = await params;
    return answer(await modelState(db(), modelRequest(id, request.url)));
  });
}

/** Asks again: a failed preparation starts over. */
export async function POST(request: Request, { params }: Params<{ id: string }>): Promise<Response> {
  return handle("POST /api/v1/sources/:id/kconfig", async () => {
    await currentActor(request);
    const { id } = await params;
    return answer(await modelState(db(), modelRequest(id, request.url), { retry: true }));
  });
}

async function answer(state: ModelState): Promise<Response> {
  if (state.status === "preparing") return json(state, { status: 202 });
  if (state.status === "failed") return json({ ...state, error: `preparing the Kconfig model failed: ${state.error}` }, { status: 502 });
  const stream = Readable.toWeb(await artifactStore().read(state.object)) as ReadableStream<Uint8Array>;
  // The key names everything the model depends on: the same key is the same model.
  return new Response(stream, { headers: { "Content-Type": "application/json", "Cache-Control": "private, max-age=86400", ETag: `"${state.key}"` } });
}
