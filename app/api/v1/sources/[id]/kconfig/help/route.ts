import { currentActor } from "@/lib/auth/current";
import { RequestError } from "@/lib/builds/service";
import { db } from "@/lib/db/client";
import { helpTexts } from "@/lib/kconfig/model/service";
import { handle, json, type Params } from "../../../../_lib/http";
import { modelRequest } from "../_request";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Help texts of menu entries (?menus=12,40 — the model's menu indices), loaded
 * when a symbol is opened; ?menus=all for every one (searching help text).
 */
export async function GET(request: Request, { params }: Params<{ id: string }>): Promise<Response> {
  return handle("GET /api/v1/sources/:id/kconfig/help", async () => {
    await currentActor(request);
    const { id } = await params;
    const raw = new URL(request.url).searchParams.get("menus") ?? "";
    if (raw === "all") {
      const help = await helpTexts(db(), modelRequest(id, request.url), "all");
      if (!help) throw new RequestError(404, "the Kconfig model is not prepared yet");
      return json({ help }, { headers: { "Cache-Control": "private, max-age=86400" } });
    }
    const menus = raw.split(",").filter(Boolean).map(Number);
    if (!menus.length || menus.length > 100 || menus.some((m) => !Number.isInteger(m) || m < 0)) {
      throw new RequestError(400, "menus must be 1 to 100 comma-separated menu indices");
    }
    const help = await helpTexts(db(), modelRequest(id, request.url), menus);
    if (!help) throw new RequestError(404, "the Kconfig model is not prepared yet");
    return json({ help }, { headers: { "Cache-Control": "private, max-age=86400" } });
  });
}
