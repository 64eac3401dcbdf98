import type { Metadata } from "next";
import { RetentionForm } from "@/components/RetentionForm";
import { currentActor } from "@/lib/auth/current";
import { can } from "@/lib/auth/permissions";
import { db } from "@/lib/db/client";
import { getRetention } from "@/lib/retention/service";
import { KEPT_ARTIFACTS } from "@/lib/retention/policy";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Retention" };

export default async function RetentionPage() {
  const actor = await currentActor(undefined, "read");
  const policy = await getRetention(db(), actor);
  return (
    <div className="max-w-3xl space-y-3">
      <h1 className="text-lg font-semibold">Artifact retention</h1>
      <p className="text-zinc-600">
        How long the team keeps build artifacts (kernel images, modules, module kits). Workers apply the policy every few minutes and after every build.
        Pinned builds, queued and running builds, and kernels a queued module build or boot test needs keep theirs. A build whose artifacts were removed
        keeps its record, its log and its small files ({KEPT_ARTIFACTS.join(", ")}) and says so on its page.
      </p>
      <RetentionForm initial={policy} canEdit={can(actor.role, "admin")} />
    </div>
  );
}
