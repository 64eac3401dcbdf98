import type { Metadata } from "next";
import { ApiTokens } from "@/components/ApiTokens";
import { listApiTokens } from "@/lib/auth/api-tokens";
import { currentActor } from "@/lib/auth/current";
import { db } from "@/lib/db/client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API tokens" };

/** `/settings/tokens`: your API tokens in the current team, for the `kbuild` command line and scripts. */
export default async function ApiTokensPage() {
  const tokens = await listApiTokens(db(), await currentActor());
  return (
    <div className="max-w-4xl space-y-4">
      <div>
        <h1 className="text-lg font-semibold">API tokens</h1>
        <p className="mt-1 text-zinc-600">
          A token lets the <code className="font-mono">kbuild</code> command line and your scripts use the API as you, in this team, with
          your role in it: <code className="font-mono">KBUILD_TOKEN=kb_… bin/kbuild list</code>, or the header{" "}
          <code className="font-mono">Authorization: Bearer kb_…</code>. Revoke a token as soon as you no longer need it.
        </p>
      </div>
      <ApiTokens initial={tokens} />
    </div>
  );
}
