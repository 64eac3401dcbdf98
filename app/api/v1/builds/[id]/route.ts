import { currentActor } from "@/lib/auth/current";
import { getBuild } from "@/lib/builds/service";
import { db } from "@/lib/db/client";
import { type Params, handle, json } from "../../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** One build (BuildView), with its steps, reports and artifacts. */
export async function GET(request: Request, { params }: Params<{ id: string }>): Promise<Response> {
  return handle("GET /api/v1/builds/[id]", async () => {
    const actor = await currentActor(request);
    const { id } = await params;
    return json(await getBuild(db(), actor, id));
  });
}
