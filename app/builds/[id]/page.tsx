import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { BuildDetail } from "@/components/BuildDetail";
import { BuildLifecycle } from "@/components/BuildLifecycle";
import { shortId } from "@/components/format";
import { currentActor } from "@/lib/auth/current";
import { can } from "@/lib/auth/permissions";
import { RequestError, getBuild } from "@/lib/builds/service";
import { db } from "@/lib/db/client";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

/** One read per request (the build and who is asking), shared by the metadata and the page. */
const loadBuild = cache(async (id: string) => {
  const actor = await currentActor();
  try {
    return { build: await getBuild(db(), actor, id), actor };
  } catch (err) {
    if (err instanceof RequestError && err.status === 404) return null;
    throw err;
  }
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const build = (await loadBuild((await params).id))?.build;
  return { title: build ? `Build ${shortId(build.id)} (${build.status})` : "Build not found" };
}

export default async function BuildPage({ params }: Props) {
  const loaded = await loadBuild((await params).id);
  if (!loaded) notFound();
  const { build, actor } = loaded;
  const canSubmit = can(actor.role, "submit");
  return (
    <div className="space-y-3">
      <BuildLifecycle build={{ id: build.id, kind: build.kind, pinned: build.pinned, preset: build.preset, artifactsPurged: build.artifactsPurged }} canSubmit={canSubmit} />
      <BuildDetail initial={build} canSubmit={canSubmit} />
    </div>
  );
}
