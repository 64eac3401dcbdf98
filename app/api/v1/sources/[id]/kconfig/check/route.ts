import { z } from "zod";
import { currentActor } from "@/lib/auth/current";
import { RequestError } from "@/lib/builds/service";
import { MAX_UPLOADED_CONFIG_BYTES } from "@/lib/builds/spec";
import { db } from "@/lib/db/client";
import { checkConfigText } from "@/lib/kconfig/model/service";
import { handle, json, readJsonBody, type Params } from "../../../../_lib/http";
import { modelRequest } from "../_request";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const Body = z.object({ arch: z.string().default("x86_64"), profile: z.string(), text: z.string() });

/**
 * Per-line warnings for a .config (or fragment) someone uploads: unknown
 * symbols, values of the wrong type, lines that are no assignment. Never an
 * error for the text itself; 202 while the tree's model is being prepared.
 */
export async function POST(request: Request, { params }: Params<{ id: string }>): Promise<Response> {
  return handle("POST /api/v1/sources/:id/kconfig/check", async () => {
    await currentActor(request);
    const { id } = await params;
    const parsed = Body.safeParse(await readJsonBody(request, MAX_UPLOADED_CONFIG_BYTES * 2));
    if (!parsed.success) throw new RequestError(400, "expected { profile, text, arch? }");
    const { state, warnings } = await checkConfigText(db(), modelRequest(id, request.url, parsed.data), parsed.data.text);
    if (!warnings) return json({ status: state.status, ...(state.status === "preparing" ? { progress: state.progress } : {}), warnings: null }, { status: state.status === "failed" ? 502 : 202 });
    return json({ status: "ready", warnings });
  });
}
