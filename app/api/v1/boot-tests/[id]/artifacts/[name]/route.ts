import { Readable } from "node:stream";
import { artifactStore } from "@/lib/artifacts";
import { currentActor } from "@/lib/auth/current";
import { bootArtifactKey } from "@/lib/boot/log";
import { getBootTest } from "@/lib/boot/service";
import { db } from "@/lib/db/client";
import { type Params, handle, jsonError } from "../../../../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Downloads a boot test's file (console.log, result.json, initramfs.cpio), looked up by exact name. */
export async function GET(request: Request, { params }: Params<{ id: string; name: string }>): Promise<Response> {
  return handle("GET /api/v1/boot-tests/[id]/artifacts/[name]", async () => {
    const { id, name } = await params;
    const test = await getBootTest(db(), await currentActor(request), id);
    const artifact = test.artifacts.find((a) => a.name === name);
    if (!artifact) return jsonError(404, "no such artifact");
    const store = artifactStore();
    const key = bootArtifactKey(test.id, artifact.name);
    const size = await store.size(key);
    if (size === null) return jsonError(404, "artifact file is missing from the store");
    const body = Readable.toWeb(await store.read(key)) as unknown as ReadableStream<Uint8Array>;
    return new Response(size ? body : null, {
      headers: {
        "Content-Type": artifact.contentType,
        "Content-Length": String(size),
        "X-Artifact-Size": String(size),
        ETag: `"${artifact.sha256}"`,
        "X-Checksum-Sha256": artifact.sha256,
        // Text opens in the browser; the rest downloads.
        "Content-Disposition": `${artifact.contentType.startsWith("text/") ? "inline" : "attachment"}; filename="${artifact.name}"`,
        "Cache-Control": "private, no-cache, no-transform",
      },
    });
  });
}
