import { currentActor } from "@/lib/auth/current";
import { db } from "@/lib/db/client";
import { getRetention, setRetention } from "@/lib/retention/service";
import { handle, json, readJsonBody } from "../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The team's retention policy: `{ keepNewest, keepDays, description, updatedAt }` (null: no limit of that kind). */
export async function GET(request: Request): Promise<Response> {
  return handle("GET /api/v1/retention", async () => {
    const actor = await currentActor(request);
    return json(await getRetention(db(), actor));
  });
}

/** Sets it (team admins): `{ "keepNewest": 20, "keepDays": 30 }`; workers apply it within minutes and after every build. */
export async function PUT(request: Request): Promise<Response> {
  return handle("PUT /api/v1/retention", async () => {
    const actor = await currentActor(request, "admin");
    return json(await setRetention(db(), actor, await readJsonBody(request)));
  });
}
