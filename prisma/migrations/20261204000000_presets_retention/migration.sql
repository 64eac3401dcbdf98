-- Presets: a team's build specs saved under a name, to build again.
CREATE TABLE "Preset" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "spec" JSONB NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Preset_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "Preset_organizationId_name_key" ON "Preset"("organizationId", "name");

ALTER TABLE "Preset" ADD CONSTRAINT "Preset_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Preset" ADD CONSTRAINT "Preset_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A team's retention policy: how many newest builds and how many days keep their artifacts.
CREATE TABLE "RetentionPolicy" (
    "organizationId" TEXT NOT NULL,
    "keepNewest" INTEGER,
    "keepDays" INTEGER,
    "updatedById" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RetentionPolicy_pkey" PRIMARY KEY ("organizationId")
);

ALTER TABLE "RetentionPolicy" ADD CONSTRAINT "RetentionPolicy_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A build's preset, its pin, and when retention removed its artifacts (the record and the log stay).
ALTER TABLE "Build" ADD COLUMN "presetId" TEXT;
ALTER TABLE "Build" ADD COLUMN "pinned" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Build" ADD COLUMN "pinnedById" TEXT;
ALTER TABLE "Build" ADD COLUMN "pinnedAt" TIMESTAMP(3);
ALTER TABLE "Build" ADD COLUMN "artifactsPurgedAt" TIMESTAMP(3);
ALTER TABLE "Build" ADD COLUMN "artifactsPurgeReason" TEXT;

CREATE INDEX "Build_presetId_finishedAt_idx" ON "Build"("presetId", "finishedAt" DESC);

ALTER TABLE "Build" ADD CONSTRAINT "Build_presetId_fkey" FOREIGN KEY ("presetId") REFERENCES "Preset"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- An artifact whose file retention deleted keeps its row: the record of what the build produced.
ALTER TABLE "Artifact" ADD COLUMN "removedAt" TIMESTAMP(3);
