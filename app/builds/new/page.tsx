import type { Metadata } from "next";
import { NewBuildForm } from "@/components/NewBuildForm";
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

export default async function NewBuildPage() {
  const actor = await requirePageActor();
  let data: { sources: Awaited<ReturnType<typeof listSources>>; profiles: Awaited<ReturnType<typeof listProfiles>> } | null = null;
  try {
    const [sources, profiles] = await Promise.all([listSources(db()), listProfiles()]);
    data = { sources, profiles };
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
        <NewBuildForm sources={data.sources} profiles={data.profiles} targets={targets} canSubmit={can(actor.role, "submit")} />
      )}
    </div>
  );
}
