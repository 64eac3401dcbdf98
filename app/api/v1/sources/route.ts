import { currentActor } from "@/lib/auth/current";
import { listSources } from "@/lib/builds/service";
import { db } from "@/lib/db/client";
import { handle, json } from "../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Registered kernel sources (never their server paths). */
export async function GET(request: Request): Promise<Response> {
  return handle("GET /api/v1/sources", async () => {
    await currentActor(request);
    return json(await listSources(db()));
  });
}
