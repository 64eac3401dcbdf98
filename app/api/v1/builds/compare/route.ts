import { z } from "zod";
import { currentActor } from "@/lib/auth/current";
import { compareTeamBuilds } from "@/lib/builds/comparison";
import { RequestError } from "@/lib/builds/service";
import { db } from "@/lib/db/client";
import { handle, json } from "../../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const CompareQuery = z.object({ a: z.uuid("a build id"), b: z.uuid("a build id") });

/** `?a=<id>&b=<id>`: two builds of the team compared — resolved .config, options, toolchain, diagnostics, artifacts, durations. */
export async function GET(request: Request): Promise<Response> {
  return handle("GET /api/v1/builds/compare", async () => {
    const actor = await currentActor(request);
    const params = new URL(request.url).searchParams;
    const query = CompareQuery.safeParse({ a: params.get("a") ?? undefined, b: params.get("b") ?? undefined });
    if (!query.success) throw new RequestError(400, "expected ?a=<build id>&b=<build id>", query.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
    return json(await compareTeamBuilds(db(), actor, query.data.a, query.data.b));
  });
}
