import { currentActor } from "@/lib/auth/current";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { redis } from "@/lib/redis";
import { removeSource } from "@/lib/sources/register";
import { type Params, handle } from "../../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Removes a source an admin registered (admins): 204; 409 while it has builds, is being prepared, or is the operator's. */
export async function DELETE(request: Request, { params }: Params<{ id: string }>): Promise<Response> {
  return handle("DELETE /api/v1/sources/[id]", async () => {
    await currentActor(request, "admin");
    const cfg = config();
    await removeSource(db(), redis(), { roots: cfg.sourceRoots, prefix: cfg.prefix }, (await params).id);
    return new Response(null, { status: 204 });
  });
}
