import { currentActor } from "@/lib/auth/current";
import { listProfiles } from "@/lib/builds/service";
import { handle, json } from "../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Toolchain profiles a build can use. */
export async function GET(request: Request): Promise<Response> {
  return handle("GET /api/v1/profiles", async () => {
    await currentActor(request);
    return json(await listProfiles());
  });
}
