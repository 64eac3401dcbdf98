import { Readable } from "node:stream";
import { createGzip } from "node:zlib";
import { artifactStore } from "@/lib/artifacts";
import { currentActor } from "@/lib/auth/current";
import { db } from "@/lib/db/client";
import { modelState, type ModelState } from "@/lib/kconfig/model/service";
import { gzipped, outlineObject } from "@/lib/kconfig/model/store";
import { RequestError } from "@/lib/builds/service";
import { handle, json, type Params } from "../../../_lib/http";
import { modelRequest } from "./_request";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * The configurator model of a source for an arch and toolchain profile
 * (?arch=x86_64&profile=...[&part=outline][&packed=gzip]): 200 with the
 * model (or its outline, the page's part) once a worker has prepared it, 202
 * with the job's progress while it prepares, 502 when it failed.
 */
export async function GET(request: Request, { params }: Params<{ id: string }>): Promise<Response> {
  return handle("GET /api/v1/sources/:id/kconfig", async () => {
    await currentActor(request);
    const { id } = await params;
    return answer(await modelState(db(), modelRequest(id, request.url)), request);
  });
}

/** Asks again: a failed preparation starts over (worker time, so members and up). */
export async function POST(request: Request, { params }: Params<{ id: string }>): Promise<Response> {
  return handle("POST /api/v1/sources/:id/kconfig", async () => {
    await currentActor(request, "submit");
    const { id } = await params;
    return answer(await modelState(db(), modelRequest(id, request.url), { retry: true }), request);
  });
}

async function answer(state: ModelState, request: Request): Promise<Response> {
  if (state.status === "preparing") return json(state, { status: 202 });
  if (state.status === "failed") return json({ ...state, error: `preparing the Kconfig model failed: ${state.error}` }, { status: 502 });
  const query = new URL(request.url).searchParams;
  // ?part=outline: what the page renders; the whole model is what its Web Worker evaluates.
  const part = query.get("part");
  if (part !== null && part !== "outline") throw new RequestError(400, `unknown part ${JSON.stringify(part)}; the one part is "outline"`);
  // ?packed=gzip: the copy gzipped when the model was stored, as application/gzip for the page to unpack
  // (a route's own Content-Encoding does not reach the browser, and compressing megabytes per request costs the server).
  const packed = query.get("packed");
  if (packed !== null && packed !== "gzip") throw new RequestError(400, `unknown packing ${JSON.stringify(packed)}; the one packing is "gzip"`);
  const object = part === "outline" ? outlineObject(state.key) : state.object;
  const store = artifactStore();
  const stream = packed ? await packedStream(store, object) : await store.read(object);
  // The key names everything the model depends on: the same key is the same model.
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
    headers: {
      "Content-Type": packed ? "application/gzip" : "application/json",
      "Cache-Control": "private, max-age=86400, no-transform",
      ETag: `"${state.key}-${part ?? "model"}${packed ? "-gzip" : ""}"`,
    },
  });
}

/** The stored gzipped copy; a model stored without one is gzipped on the way. */
async function packedStream(store: ReturnType<typeof artifactStore>, object: string): Promise<Readable> {
  if ((await store.size(gzipped(object))) !== null) return store.read(gzipped(object));
  return (await store.read(object)).pipe(createGzip());
}
