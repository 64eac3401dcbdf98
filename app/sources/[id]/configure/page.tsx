import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { normalizeRustSamples, type BaseTarget } from "@/components/buildRequest";
import { Configurator } from "@/components/configurator/Configurator";
import { requirePageActor } from "@/lib/auth/current";
import { listProfiles, listSources } from "@/lib/builds/service";
import { db } from "@/lib/db/client";
import { MODEL_BASES } from "@/lib/kconfig/model/types";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Configure" };

export default async function ConfigurePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | undefined>> }) {
  await requirePageActor();
  const { id } = await params;
  const query = await searchParams;
  const [sources, profiles] = await Promise.all([listSources(db()), listProfiles()]);
  const source = sources.find((s) => s.name === id);
  if (!source) notFound();
  const profile = profiles.find((p) => p.id === query.profile)?.id ?? profiles.find((p) => !(source.profileWarnings[p.id]?.length ?? 0))?.id ?? profiles[0]?.id ?? "";
  const base = (MODEL_BASES as readonly string[]).includes(query.base ?? "") ? (query.base as BaseTarget) : "defconfig";
  return (
    <div>
      <div className="mb-3 flex items-baseline gap-3">
        <h1 className="text-lg font-semibold">Configure {source.name}</h1>
        <Link href="/builds/new" className="text-xs text-sky-700 hover:underline">
          back to New build
        </Link>
      </div>
      {source.status !== "ready" ? (
        <div className="rounded border border-amber-300 bg-amber-50 p-3 text-amber-900" data-testid="source-not-ready">
          {source.name} is not ready ({source.status}).
        </div>
      ) : (
        <Configurator
          source={source.name}
          version={source.version}
          profiles={profiles.map((p) => ({ id: p.id, title: p.title }))}
          initialProfile={profile}
          initialBase={base}
          rustSamples={normalizeRustSamples(source.rustSamples)}
        />
      )}
    </div>
  );
}
