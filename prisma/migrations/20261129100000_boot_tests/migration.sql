-- Boot tests of kernel builds under QEMU, with their console log in chunks.
CREATE TABLE "BootTest" (
    "id" TEXT NOT NULL,
    "buildId" TEXT NOT NULL,
    "submitterId" TEXT NOT NULL,
    "spec" JSONB NOT NULL,
    "status" "BuildStatus" NOT NULL DEFAULT 'queued',
    "statusReason" TEXT,
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "workerId" TEXT,
    "verdict" JSONB,
    "logLines" INTEGER NOT NULL DEFAULT 0,
    "artifacts" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "BootTest_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "BootTestLogChunk" (
    "bootTestId" TEXT NOT NULL,
    "firstSeq" INTEGER NOT NULL,
    "lastSeq" INTEGER NOT NULL,
    "lines" JSONB NOT NULL,

    CONSTRAINT "BootTestLogChunk_pkey" PRIMARY KEY ("bootTestId","firstSeq")
);

CREATE INDEX "BootTest_buildId_createdAt_idx" ON "BootTest"("buildId", "createdAt" DESC);
CREATE INDEX "BootTest_status_createdAt_idx" ON "BootTest"("status", "createdAt");

ALTER TABLE "BootTest" ADD CONSTRAINT "BootTest_buildId_fkey" FOREIGN KEY ("buildId") REFERENCES "Build"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "BootTestLogChunk" ADD CONSTRAINT "BootTestLogChunk_bootTestId_fkey" FOREIGN KEY ("bootTestId") REFERENCES "BootTest"("id") ON DELETE CASCADE ON UPDATE CASCADE;
