import { currentActor } from "@/lib/auth/current";
import { createBootTest, listBootTests } from "@/lib/boot/service";
import { db } from "@/lib/db/client";
import { type Params, handle, json, readJsonBody } from "../../../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The build's boot tests, newest first. */
export async function GET(request: Request, { params }: Params<{ id: string }>): Promise<Response> {
  return handle("GET /api/v1/builds/[id]/boot-tests", async () => {
    const actor = await currentActor(request);
    return json({ bootTests: await listBootTests(db(), actor, (await params).id) });
  });
}

/**
 * Boots the build's kernel under QEMU: `201 {"id"}`. Body (all optional):
 * `{"modules": [{"artifact": "rust_minimal.ko"}, {"build": "<id>", "artifact": "x.ko"}],
 * "expect": [{"literal": "..."}, {"regex": "..."}], "forbid": [...], "timeoutSeconds": 60}`.
 * A kernel that cannot boot this way is refused with `422`, naming the missing options.
 */
export async function POST(request: Request, { params }: Params<{ id: string }>): Promise<Response> {
  return handle("POST /api/v1/builds/[id]/boot-tests", async () => {
    const actor = await currentActor(request, "submit");
    const body = await readJsonBody(request, 64 * 1024);
    return json(await createBootTest(db(), actor, (await params).id, body), { status: 201 });
  });
}
