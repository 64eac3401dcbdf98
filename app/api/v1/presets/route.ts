import { currentActor } from "@/lib/auth/current";
import { db } from "@/lib/db/client";
import { createPreset, listPresets } from "@/lib/presets/service";
import { handle, json, readJsonBody } from "../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The team's presets, by name: `{ presets }`. */
export async function GET(request: Request): Promise<Response> {
  return handle("GET /api/v1/presets", async () => {
    const actor = await currentActor(request);
    return json({ presets: await listPresets(db(), actor) });
  });
}

/** Saves a build spec under a name: `{ name, spec }` → 201 with the preset; 409 when the team has that name. */
export async function POST(request: Request): Promise<Response> {
  return handle("POST /api/v1/presets", async () => {
    const actor = await currentActor(request, "submit");
    const preset = await createPreset(db(), actor, await readJsonBody(request));
    return json(preset, { status: 201, headers: { Location: `/api/v1/presets/${preset.id}` } });
  });
}
