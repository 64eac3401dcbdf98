import { currentActor } from "@/lib/auth/current";
import { onlineWorkers } from "@/lib/builds/service";
import { handle, json } from "../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Workers with a fresh heartbeat. */
export async function GET(request: Request): Promise<Response> {
  return handle("GET /api/v1/workers", async () => {
    await currentActor(request);
    return json(await onlineWorkers());
  });
}
