import { currentActor } from "@/lib/auth/current";
import { listSources } from "@/lib/builds/service";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { redis } from "@/lib/redis";
import { registerSource } from "@/lib/sources/register";
import { handle, json, readJsonBody } from "../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Registered kernel sources (never their server paths). */
export async function GET(request: Request): Promise<Response> {
  return handle("GET /api/v1/sources", async () => {
    await currentActor(request);
    return json(await listSources(db()));
  });
}

/**
 * Registers a kernel source (admins): `{ name, path }`, a kernel tree directory
 * or a tarball whose real path is under KBUILD_SOURCE_ROOTS. 201 with the
 * source (status `preparing`); the workers prepare it as they do the
 * operator's. 400 for a path elsewhere, 409 for a name that is taken.
 */
export async function POST(request: Request): Promise<Response> {
  return handle("POST /api/v1/sources", async () => {
    const actor = await currentActor(request, "admin");
    const body = await readJsonBody(request);
    const cfg = config();
    const source = await registerSource(db(), redis(), { roots: cfg.sourceRoots, prefix: cfg.prefix }, actor, body);
    return json(source, { status: 201, headers: { Location: `/sources` } });
  });
}
