import { currentActor } from "@/lib/auth/current";
import { parseHistoryFilter, queryHistory } from "@/lib/builds/history";
import { submitBuild } from "@/lib/builds/service";
import { db } from "@/lib/db/client";
import { handle, json, readJsonBody } from "../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Submits a build: 201 `{ id }` with `Location: /builds/<id>`. */
export async function POST(request: Request): Promise<Response> {
  return handle("POST /api/v1/builds", async () => {
    const actor = await currentActor(request, "submit");
    const body = await readJsonBody(request);
    const { id } = await submitBuild(db(), actor, body);
    return json({ id }, { status: 201, headers: { Location: `/builds/${id}` } });
  });
}

/**
 * The team's builds, newest first: `{ builds, nextCursor }`; pass `?cursor=<nextCursor>` (with the same
 * filters) for the next page. Filters: status (comma-separated), submitter (user id), source, kernel,
 * profile, option (CONFIG_X=y|m|n|value of the resolved .config; repeatable), from, to, q (text search).
 */
export async function GET(request: Request): Promise<Response> {
  return handle("GET /api/v1/builds", async () => {
    const actor = await currentActor(request);
    const filter = parseHistoryFilter(new URL(request.url).searchParams);
    return json(await queryHistory(db(), actor, filter));
  });
}
