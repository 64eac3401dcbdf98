import { z } from "zod";

/**
 * A team's retention policy: artifacts of at most `keepNewest` newest finished
 * builds, and none older than `keepDays` days. Either may be null (no limit of
 * that kind); both null keeps everything, as having no policy does.
 */
export const MAX_KEEP_NEWEST = 1_000_000;
export const MAX_KEEP_DAYS = 36_500;

export const RetentionPolicySchema = z.object({
  keepNewest: z.number().int().min(1, "keep at least the newest build, or set no count limit (null)").max(MAX_KEEP_NEWEST).nullable(),
  keepDays: z.number().int().min(1, "keep artifacts at least a day, or set no age limit (null)").max(MAX_KEEP_DAYS).nullable(),
});

export type RetentionRules = z.infer<typeof RetentionPolicySchema>;

export const KEEP_FOREVER: RetentionRules = { keepNewest: null, keepDays: null };

export function keepsEverything(p: RetentionRules): boolean {
  return p.keepNewest === null && p.keepDays === null;
}

/** "keep 5 newest / 30 days", as the build page and the settings page say it. */
export function describePolicy(p: RetentionRules): string {
  const parts: string[] = [];
  if (p.keepNewest !== null) parts.push(`keep ${p.keepNewest} newest`);
  if (p.keepDays !== null) parts.push(`${parts.length ? "" : "keep "}${p.keepDays} day${p.keepDays === 1 ? "" : "s"}`);
  return parts.length ? parts.join(" / ") : "keep everything";
}

/**
 * Artifacts retention never removes: they are the build's record (its
 * resolved .config, metadata and the commands to reproduce it, a few
 * kilobytes each) and its log. Comparing builds, the warnings regression and
 * rebuilding read them long after the big outputs are gone.
 */
export const KEPT_ARTIFACTS: readonly string[] = ["build.log.gz", ".config", "metadata.json", "reproduce.sh"];

export function isKeptArtifact(name: string): boolean {
  return KEPT_ARTIFACTS.includes(name);
}

/** What a build whose artifacts were removed says, on its page and in a 410. */
export function purgeNotice(b: { artifactsPurgedAt: Date | string; artifactsPurgeReason: string | null }): string {
  const day = new Date(b.artifactsPurgedAt).toISOString().slice(0, 10);
  return `Artifacts removed on ${day} by ${b.artifactsPurgeReason ?? "the team's retention policy"}; the record and log are kept. Pin a build to keep its artifacts.`;
}
