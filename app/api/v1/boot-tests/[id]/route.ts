import { currentActor } from "@/lib/auth/current";
import { getBootTest } from "@/lib/boot/service";
import { db } from "@/lib/db/client";
import { type Params, handle, json } from "../../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** One boot test: status, verdict (every check), modules, patterns, artifacts. */
export async function GET(request: Request, { params }: Params<{ id: string }>): Promise<Response> {
  return handle("GET /api/v1/boot-tests/[id]", async () => json(await getBootTest(db(), await currentActor(request), (await params).id)));
}
