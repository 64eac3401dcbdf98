-- Full builds: the hash that makes builds comparable for progress estimates,
-- and each step's progress (objects so far, and the previous build's count).
ALTER TABLE "Build" ADD COLUMN "configHash" TEXT;
ALTER TABLE "BuildStep" ADD COLUMN "progressDone" INTEGER;
ALTER TABLE "BuildStep" ADD COLUMN "progressTotal" INTEGER;

CREATE INDEX "Build_sourceId_profile_configHash_idx" ON "Build"("sourceId", "profile", "configHash");
