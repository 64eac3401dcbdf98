-- A log longer than KBUILD_LOG_STREAM_MAX_BYTES is cut in its stored copy (live
-- stream and chunks): the number of the first line it lacks, for the page's notice.
ALTER TABLE "Build" ADD COLUMN "logTruncatedAt" INTEGER;
ALTER TABLE "BootTest" ADD COLUMN "logTruncatedAt" INTEGER;
-- build.log.gz stops at KBUILD_LOG_ARTIFACT_MAX_BYTES: the first line it lacks.
ALTER TABLE "Build" ADD COLUMN "logArtifactTruncatedAt" INTEGER;
-- Sources an admin registered through the API (null: the operator's environment);
-- workers prepare these as well as KBUILD_SOURCES.
ALTER TABLE "KernelSource" ADD COLUMN "registeredById" TEXT;
