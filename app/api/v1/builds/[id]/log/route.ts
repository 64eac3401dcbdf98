import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { currentActor } from "@/lib/auth/current";
import { getBuild } from "@/lib/builds/service";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { readWholeLog } from "@/lib/logs/reader";
import { buildLogTarget } from "@/lib/logs/target";
import { redis as sharedRedis } from "@/lib/redis";
import { type Params, errorResponse } from "../../../_lib/http";
import { logStream } from "../../../_lib/log-stream";
import { resumePoint } from "../../../_lib/sse";

const gzipAsync = promisify(gzip);

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * A build's log.
 *
 * Default: Server-Sent Events from the line after `Last-Event-ID` (or
 * `?after=N`) until the build ends: `lines` events (data: JSON array of
 * [seq, t, step, text]; id: seq of the last line), a `: keepalive` comment
 * every 15 s, and a final `end` event (data: {"status": ...}) after which the
 * stream closes.
 *
 * `?format=text`: the whole log so far as plain text.
 * `?format=gzip`: the same, gzip-compressed, as a download (for a build whose
 * worker has not stored build.log.gz).
 */
export async function GET(request: Request, { params }: Params<{ id: string }>): Promise<Response> {
  let buildId: string;
  try {
    const actor = await currentActor(request);
    buildId = (await getBuild(db(), actor, (await params).id)).id;
  } catch (err) {
    return errorResponse(err, "GET /api/v1/builds/[id]/log");
  }

  const url = new URL(request.url);
  const format = url.searchParams.get("format");
  if (format === "text" || format === "gzip") {
    try {
      const lines = await readWholeLog(db(), sharedRedis(), config().prefix, buildId);
      const body = lines.length ? lines.map((l) => l.text).join("\n") + "\n" : "";
      if (format === "gzip") {
        return new Response(new Uint8Array(await gzipAsync(body)), {
          headers: {
            "Content-Type": "application/gzip",
            "Content-Disposition": `attachment; filename="build-${buildId}.log.gz"`,
            "Cache-Control": "no-store",
          },
        });
      }
      return new Response(body, {
        headers: {
          "Content-Type": "text/plain; charset=utf-8",
          "Content-Disposition": `inline; filename="build-${buildId}.log"`,
          "Cache-Control": "no-store",
        },
      });
    } catch (err) {
      return errorResponse(err, `GET /api/v1/builds/[id]/log?format=${format}`);
    }
  }

  const afterSeq = resumePoint(request.headers.get("last-event-id"), url.searchParams.get("after"));
  return new Response(logStream(request.signal, buildLogTarget(db(), config().prefix, buildId), afterSeq), {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
}
