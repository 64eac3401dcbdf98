import { currentActor } from "@/lib/auth/current";
import { db } from "@/lib/db/client";
import { loadModuleLimits } from "@/lib/modules/limits";
import { builtModulesOf, kernelForModules, submitModuleBuild } from "@/lib/modules/service";
import { type Params, handle, json, readJsonBody } from "../../../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Out-of-tree modules built against kernel build :id's module kit.
 * GET: whether it can take modules (and why not), its module API and templates, the upload limits,
 * and its newest succeeded module builds with their .ko files (what a boot test can load).
 * POST `{ files: [{ path, content }], template?, jobs? }`: 201 `{ id }` of the module build, a build like any other.
 */
export async function GET(request: Request, { params }: Params<{ id: string }>): Promise<Response> {
  return handle("GET /api/v1/builds/[id]/modules", async () => {
    const actor = await currentActor(request);
    const { kernel, problem } = await kernelForModules(db(), actor, (await params).id);
    const limits = loadModuleLimits();
    return json({
      kernelBuild: kernel.id,
      kernelVersion: kernel.kernelVersion,
      available: problem === null,
      reason: problem,
      api: kernel.family && { id: kernel.family.id, checkedOn: kernel.family.checkedOn, summary: kernel.family.summary },
      templates: kernel.family?.templates ?? [],
      limits: { maxFiles: limits.maxFiles, maxBytes: limits.maxBytes },
      moduleBuilds: await builtModulesOf(db(), actor, kernel.id),
    });
  });
}

export async function POST(request: Request, { params }: Params<{ id: string }>): Promise<Response> {
  return handle("POST /api/v1/builds/[id]/modules", async () => {
    const actor = await currentActor(request, "submit");
    const { id: kernelBuildId } = await params;
    // JSON escapes can double a text's size; the files' own limit is checked on the parsed body.
    const body = await readJsonBody(request, loadModuleLimits().maxBytes * 2 + 64 * 1024);
    const { id } = await submitModuleBuild(db(), actor, kernelBuildId, body);
    return json({ id }, { status: 201, headers: { Location: `/builds/${id}` } });
  });
}
