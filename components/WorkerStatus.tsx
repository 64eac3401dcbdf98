import { connection } from "next/server";
import { onlineWorkers } from "@/lib/builds/service";

/** Server component: how many workers have a fresh heartbeat. */
export async function WorkerStatus() {
  // Rendered per request, also in otherwise static pages (not-found): never a status frozen at build time.
  await connection();
  let count: number | null = null;
  let title = "";
  try {
    // Redis commands wait while the connection is down; the nav must not.
    const workers = await Promise.race([
      onlineWorkers(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timed out after 2 s")), 2000).unref?.()),
    ]);
    count = workers.length;
    title = workers.map((w) => `${w.id} (${w.host}, ${w.activeBuilds.length} active)`).join("\n");
  } catch (err) {
    console.error("[web] reading worker heartbeats:", err);
  }
  if (count === null) {
    return (
      <span data-testid="worker-status" data-count="" className="inline-flex items-center gap-1.5 text-xs text-zinc-500">
        <span className="h-2 w-2 rounded-full bg-zinc-400" /> worker status unknown (Redis unreachable)
      </span>
    );
  }
  return count > 0 ? (
    <span data-testid="worker-status" data-count={count} title={title} className="inline-flex items-center gap-1.5 text-xs text-emerald-700">
      <span className="h-2 w-2 rounded-full bg-emerald-500" />
      {count} worker{count === 1 ? "" : "s"} online
    </span>
  ) : (
    <span data-testid="worker-status" data-count={0} className="inline-flex items-center gap-1.5 text-xs font-medium text-red-700">
      <span className="h-2 w-2 rounded-full bg-red-500" />
      no worker online — builds will wait
    </span>
  );
}
