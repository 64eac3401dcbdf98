import type { Metadata } from "next";
import Link from "next/link";
import { PresetList } from "@/components/PresetList";
import { currentActor } from "@/lib/auth/current";
import { db } from "@/lib/db/client";
import { listPresets } from "@/lib/presets/service";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Presets" };

export default async function PresetsPage() {
  const presets = await listPresets(db(), await currentActor(undefined, "read"));
  return (
    <div className="max-w-5xl space-y-3">
      <h1 className="text-lg font-semibold">Presets</h1>
      <p className="text-zinc-600">
        The team&apos;s saved build configurations. Save one from a build&apos;s page (<em>Save as preset</em>); build it as it is, or start a{" "}
        <Link href="/builds/new" className="text-sky-700 hover:underline">
          new build
        </Link>{" "}
        from it.
      </p>
      <PresetList presets={presets} />
    </div>
  );
}
