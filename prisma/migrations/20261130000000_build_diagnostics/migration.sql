-- The errors and warnings read from a build's log as it streams: counts per
-- severity and tool, and the diagnostics themselves (lib/diagnostics/summary.ts),
-- with the warnings new and fixed against the previous comparable build.
ALTER TABLE "Build" ADD COLUMN "diagnostics" JSONB;
-- The counts again, small enough for the build list.
ALTER TABLE "Build" ADD COLUMN "errorCount" INTEGER;
ALTER TABLE "Build" ADD COLUMN "warningCount" INTEGER;
ALTER TABLE "Build" ADD COLUMN "newWarningCount" INTEGER;
ALTER TABLE "Build" ADD COLUMN "fixedWarningCount" INTEGER;
