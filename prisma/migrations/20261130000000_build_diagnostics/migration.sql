-- The errors and warnings read from a build's log as it streams: counts per
-- severity and tool, and the diagnostics themselves (lib/diagnostics/summary.ts).
ALTER TABLE "Build" ADD COLUMN "diagnostics" JSONB;
