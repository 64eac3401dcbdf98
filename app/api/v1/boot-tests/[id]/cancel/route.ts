import { currentActor } from "@/lib/auth/current";
import { cancelBootTest } from "@/lib/boot/service";
import { db } from "@/lib/db/client";
import { type Params, handle, json } from "../../../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Cancels a boot test; a running one's worker ends QEMU and owns the final status. */
export async function POST(request: Request, { params }: Params<{ id: string }>): Promise<Response> {
  return handle("POST /api/v1/boot-tests/[id]/cancel", async () => json(await cancelBootTest(db(), await currentActor(request, "submit"), (await params).id)));
}
