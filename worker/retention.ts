import type { ArtifactStore } from "../lib/artifacts/store";
import type { PrismaClient } from "../lib/db/client";
import { applyRetention, teamsWithRetention } from "../lib/retention/apply";

/** How often a worker applies every team's retention policy, besides after each build it finishes. */
export const RETENTION_INTERVAL_MS = 10 * 60 * 1000;

/**
 * Applies the retention policy of the given teams (every team with one when
 * none are given). Any number of workers may do this at once (see
 * applyRetention); one team's failure does not stop the others.
 */
export async function runRetention(db: PrismaClient, store: ArtifactStore, log: (msg: string) => void, organizationIds?: string[]): Promise<void> {
  for (const organizationId of organizationIds ?? (await teamsWithRetention(db))) {
    try {
      const purged = await applyRetention(db, store, organizationId, new Date());
      if (purged.length) {
        log(`retention: removed the artifacts of ${purged.length} build(s) of team ${organizationId}: ${purged.map((p) => `${p.id} (${p.rule}, ${p.removed} files)`).join(", ")}`);
      }
    } catch (err) {
      log(`retention for team ${organizationId} failed: ${(err as Error).message}`);
    }
  }
}
