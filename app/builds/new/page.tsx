import type { Metadata } from "next";
import { NewBuildForm } from "@/components/NewBuildForm";
import { PresetPicker } from "@/components/PresetPicker";
import { listPresets } from "@/lib/presets/service";
import type { TargetInfo } from "@/components/buildRequest";
import { requirePageActor } from "@/lib/auth/current";
import { can } from "@/lib/auth/permissions";
import { listProfiles, listSources } from "@/lib/builds/service";
import { TARGETS } from "@/lib/builds/targets";
import { db } from "@/lib/db/client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "New build" };

/** The target catalogue as plain data for the form: what it shows, not how targets are built. */
const targets: TargetInfo[] = [...TARGETS.values()].map(({ name, title, description, dependsOn, preconditions }) => ({
  name,
  title,
  description,
  dependsOn,
  preconditions,
}));

export default async function NewBuildPage({ searchParams }: { searchParams: Promise<{ preset?: string }> }) {
  const actor = await requirePageActor();
  const presetId = (await searchParams).preset;
  let data: { sources: Awaited<ReturnType<typeof listSources>>; profiles: Awaited<ReturnType<typeof listProfiles>>; presets: Awaited<ReturnType<typeof listPresets>> } | null = null;
  try {
    const [sources, profiles, presets] = await Promise.all([listSources(db()), listProfiles(), listPresets(db(), actor)]);
    data = { sources, profiles, presets };
  } catch (err) {
    console.error("[web] loading kernel sources and toolchain profiles:", err);
  }
  return (
    <div className="max-w-5xl">
      <h1 className="mb-3 text-lg font-semibold">New build</h1>
      {data === null ? (
        <div className="rounded-md border border-red-300 bg-red-50 p-4 text-red-900" data-testid="form-error">
          The kernel sources and toolchain profiles could not be loaded (see the web server&apos;s log), so no build can be
          submitted right now.
        </div>
      ) : (
        <>
          <PresetPicker presets={data.presets.map((p) => ({ id: p.id, name: p.name }))} selected={presetId ?? ""} />
          {/* Keyed by the preset: choosing another starts the form afresh from it. */}
          <NewBuildForm key={presetId ?? ""} sources={data.sources} profiles={data.profiles} targets={targets} preset={data.presets.find((p) => p.id === presetId)} canSubmit={can(actor.role, "submit")} />
        </>
      )}
    </div>
  );
}
