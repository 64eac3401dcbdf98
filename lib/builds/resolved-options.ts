import { createHash } from "node:crypto";
import { type ArtifactStore, readArtifactText } from "../artifacts";
import type { PrismaClient } from "../db/client";
import { parseDotConfig } from "../kconfig/dotconfig";

/**
 * A build's resolved .config as the history's option filter reads it: one
 * "SYMBOL=value" entry per symbol the .config sets (y, m, a number or a string),
 * none for n — `# CONFIG_X is not set` and a symbol the .config does not name
 * mean the same to the kernel. Stored once per distinct .config in
 * ResolvedConfig (a GIN-indexed text[]) and referenced by Build.resolvedConfigId,
 * written by the worker when it checks the configuration.
 */

/**
 * A GIN index entry must fit in a third of a page; a long string value (a
 * command line, a list of firmware files) is kept as its digest instead, and a
 * filter on that value computes the same digest, so it still matches.
 */
const MAX_ENTRY_LENGTH = 256;

/** The stored entry for CONFIG_<symbol>=<value> (value as the .config reader gives it, strings unquoted). */
export function resolvedOptionEntry(symbol: string, value: string): string {
  const entry = `${symbol}=${value}`;
  if (entry.length <= MAX_ENTRY_LENGTH) return entry;
  return `${symbol}=sha256:${createHash("sha256").update(value).digest("hex")}`;
}

/** Every set symbol of a .config's text as entries, in the file's order. */
export function resolvedOptionEntries(dotConfigText: string): string[] {
  const entries: string[] = [];
  for (const [symbol, value] of parseDotConfig(dotConfigText).values) {
    if (value !== "n") entries.push(resolvedOptionEntry(symbol, value));
  }
  return entries;
}

/**
 * Stores a .config's entries (once per distinct set) and points the build at
 * them; returns the ResolvedConfig id.
 */
export async function recordResolvedConfig(db: PrismaClient, buildId: string, dotConfigText: string): Promise<string> {
  const entries = resolvedOptionEntries(dotConfigText);
  const id = createHash("sha256").update(entries.join("\n")).digest("hex");
  await db.$executeRaw`INSERT INTO "ResolvedConfig" (id, entries) VALUES (${id}, ${entries}::text[]) ON CONFLICT (id) DO NOTHING`;
  await db.build.update({ where: { id: buildId }, data: { resolvedConfigId: id } });
  return id;
}

const BACKFILL_BATCH = 100;

/**
 * Records the resolved .config of finished kernel builds recorded before the column
 * existed, from their .config artifact (only builds that reached the
 * configuration check, whose .config is the resolved one). Safe to run from every worker at
 * start: each build is written once, and a build whose artifact is gone is
 * left as it is. Returns how many builds it filled.
 */
export async function backfillResolvedOptions(db: PrismaClient, store: ArtifactStore): Promise<number> {
  let filled = 0;
  let after = "";
  for (;;) {
    const batch = await db.$queryRaw<{ buildId: string; storageKey: string }[]>`
      SELECT a."buildId", a."storageKey" FROM "Artifact" a JOIN "Build" b ON b.id = a."buildId"
      WHERE a.name = '.config' AND b.kind = 'kernel' AND b."resolvedConfigId" IS NULL AND b."configReport" IS NOT NULL
        AND b.status IN ('succeeded', 'failed', 'canceled', 'error') AND a."buildId" > ${after}
      ORDER BY a."buildId" LIMIT ${BACKFILL_BATCH}`;
    if (!batch.length) return filled;
    after = batch.at(-1)!.buildId;
    for (const a of batch) {
      const text = await readArtifactText(a.storageKey, store);
      if (text === null) continue;
      await recordResolvedConfig(db, a.buildId, text);
      filled++;
    }
  }
}
