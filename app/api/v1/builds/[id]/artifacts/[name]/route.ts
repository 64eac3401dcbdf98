import { Readable } from "node:stream";
import { artifactKey, artifactStore } from "@/lib/artifacts";
import { currentActor } from "@/lib/auth/current";
import { downloadableArtifact } from "@/lib/builds/artifact-download";
import { getBuild } from "@/lib/builds/service";
import { db } from "@/lib/db/client";
import { type Params, handle, jsonError } from "../../../../_lib/http";
import { parseRange } from "../../../../_lib/range";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Downloads one of a build's artifacts, with single byte ranges. The artifact
 * is looked up among the build's recorded artifacts by exact name; the store
 * key comes from artifactKey(), never from the URL.
 */
export async function GET(request: Request, ctx: Params<{ id: string; name: string }>): Promise<Response> {
  return serve(request, ctx, true);
}

export async function HEAD(request: Request, ctx: Params<{ id: string; name: string }>): Promise<Response> {
  return serve(request, ctx, false);
}

async function serve(request: Request, { params }: Params<{ id: string; name: string }>, withBody: boolean): Promise<Response> {
  return handle("GET /api/v1/builds/[id]/artifacts/[name]", async () => {
    const actor = await currentActor(request);
    const { id, name } = await params;
    const build = await getBuild(db(), actor, id);
    const artifact = downloadableArtifact(build, name);

    const store = artifactStore();
    const key = artifactKey(build.id, artifact.name);
    const size = await store.size(key);
    if (size === null) {
      console.error(`[api] artifact ${key} is recorded but missing from the store`);
      return jsonError(404, "artifact file is missing from the store");
    }

    const etag = `"${artifact.sha256}"`;
    const headers = new Headers({
      "Accept-Ranges": "bytes",
      ETag: etag,
      "X-Checksum-Sha256": artifact.sha256,
      // Next.js (16.4) drops Content-Length from route handler responses; this one it passes on.
      "X-Artifact-Size": String(size),
      "Content-Type": artifact.contentType || "application/octet-stream",
      "Content-Disposition": `attachment; filename="${artifact.name}"`,
      // no-transform: compression would break Content-Length and byte ranges.
      "Cache-Control": "private, no-cache, no-transform",
    });

    if (etagMatches(request.headers.get("if-none-match"), etag)) {
      return new Response(null, { status: 304, headers });
    }

    // A Range is honoured only while the client's copy is this one (If-Range).
    const ifRange = request.headers.get("if-range");
    const rangeHeader = ifRange && ifRange.trim() !== etag ? null : request.headers.get("range");
    const range = parseRange(rangeHeader, size);

    if (range.kind === "unsatisfiable") {
      return Response.json(
        { error: `requested range not satisfiable (the artifact has ${size} bytes)` },
        { status: 416, headers: { "Content-Range": `bytes */${size}`, "Accept-Ranges": "bytes", ETag: etag, "Cache-Control": "no-store" } },
      );
    }

    let status = 200;
    let length = size;
    if (range.kind === "range") {
      status = 206;
      length = range.end - range.start + 1;
      headers.set("Content-Range", `bytes ${range.start}-${range.end}/${size}`);
    }
    headers.set("Content-Length", String(length));

    if (!withBody || length === 0) return new Response(null, { status, headers });

    const nodeStream = await store.read(key, range.kind === "range" ? { start: range.start, end: range.end } : undefined);
    const body = Readable.toWeb(nodeStream) as unknown as ReadableStream<Uint8Array>;
    return new Response(body, { status, headers });
  });
}

function etagMatches(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((t) => {
    const v = t.trim();
    return v === "*" || v === etag || v === `W/${etag}`;
  });
}
