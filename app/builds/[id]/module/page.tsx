import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ModuleEditor } from "@/components/ModuleEditor";
import { shortId } from "@/components/format";
import { currentActor } from "@/lib/auth/current";
import { RequestError } from "@/lib/builds/service";
import { db } from "@/lib/db/client";
import { loadModuleLimits } from "@/lib/modules/limits";
import { kernelForModules, moduleBuildFiles } from "@/lib/modules/service";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Build a module" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * The module editor for one kernel build: only for a finished Rust kernel with
 * modules and a module kit. `?template=ID` starts from a template, `?from=ID`
 * from the files of one of its module builds (to fix and build again).
 */
export default async function NewModulePage({ params, searchParams }: Props) {
  const { id } = await params;
  const { template, from } = await searchParams;
  const actor = await currentActor();
  let found: Awaited<ReturnType<typeof kernelForModules>>;
  try {
    found = await kernelForModules(db(), actor, id);
  } catch (err) {
    if (err instanceof RequestError && err.status === 404) notFound();
    throw err;
  }
  const { kernel, problem } = found;
  const limits = loadModuleLimits();
  const previous = typeof from === "string" ? await moduleBuildFiles(db(), actor, kernel.id, from) : null;
  return (
    <div className="max-w-6xl space-y-3">
      <h1 className="text-lg font-semibold">
        Build a module against kernel build{" "}
        <Link href={`/builds/${kernel.id}`} className="font-mono text-sky-700 hover:underline">
          {shortId(kernel.id)}
        </Link>{" "}
        <span className="text-sm font-normal text-zinc-500">
          Linux {kernel.kernelVersion}, {kernel.profile}
        </span>
      </h1>
      {problem ? (
        <div role="alert" data-testid="module-unavailable" className="rounded-md border border-amber-300 bg-amber-50 p-4 text-amber-900">
          No module can be built against this kernel build: {problem}.
        </div>
      ) : !kernel.family ? (
        <div role="alert" data-testid="module-unavailable" className="rounded-md border border-amber-300 bg-amber-50 p-4 text-amber-900">
          kbuild has no module templates for Linux {kernel.kernelVersion}.
        </div>
      ) : (
        <ModuleEditor
          kernelBuildId={kernel.id}
          kernelVersion={kernel.kernelVersion}
          apiSummary={kernel.family.summary}
          templates={kernel.family.templates}
          initialTemplate={typeof template === "string" ? template : (previous?.template ?? null)}
          initialFiles={previous?.files ?? null}
          limits={{ maxFiles: limits.maxFiles, maxBytes: limits.maxBytes }}
        />
      )}
    </div>
  );
}
