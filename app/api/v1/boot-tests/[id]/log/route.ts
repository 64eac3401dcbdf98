import { currentActor } from "@/lib/auth/current";
import { bootLogTarget } from "@/lib/boot/log";
import { getBootTestRow } from "@/lib/boot/service";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { readWholeLog } from "@/lib/logs/reader";
import { redis } from "@/lib/redis";
import { type Params, errorResponse } from "../../../_lib/http";
import { logStream } from "../../../_lib/log-stream";
import { resumePoint } from "../../../_lib/sse";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** A boot test's log (its console) as Server-Sent Events, like a build's; `?format=text` for plain text. */
export async function GET(request: Request, { params }: Params<{ id: string }>): Promise<Response> {
  let id: string;
  try {
    id = (await getBootTestRow(db(), await currentActor(request), (await params).id)).id;
  } catch (err) {
    return errorResponse(err, "GET /api/v1/boot-tests/[id]/log");
  }
  const target = bootLogTarget(db(), config().prefix, id);
  const url = new URL(request.url);
  if (url.searchParams.get("format") === "text") {
    try {
      const lines = await readWholeLog(db(), redis(), config().prefix, id, target);
      return new Response(lines.length ? lines.map((l) => l.text).join("\n") + "\n" : "", {
        headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
      });
    } catch (err) {
      return errorResponse(err, "GET /api/v1/boot-tests/[id]/log?format=text");
    }
  }
  const afterSeq = resumePoint(request.headers.get("last-event-id"), url.searchParams.get("after"));
  return new Response(logStream(request.signal, target, afterSeq), {
    headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache, no-transform", "X-Accel-Buffering": "no" },
  });
}
