-- The team's build history: filters, text search and the resolved-option filter
-- (lib/builds/history.ts), each backed by an index so a team with 100,000 builds
-- pages as fast as one with fifty.

-- Trigram indexes make substring search (ILIKE '%...%') index-backed. pg_trgm is
-- part of PostgreSQL's contrib (Debian ships it with the server).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Resolved .configs as "SYMBOL=value" entries (n is absence), each stored once
-- and shared by the builds that resolved it: a team rebuilds a few dozen
-- configurations, so 100,000 builds of 1,000–2,000 set symbols each hold
-- megabytes here rather than gigabytes in the Build rows. Written by the worker
-- when it checks the configuration; builds resolved before this migration are
-- filled from their .config artifact by the worker at start. An array rather
-- than jsonb: GIN containment on arrays needs no recheck of the value, and
-- ANALYZE keeps per-element frequencies for the planner.
CREATE TABLE "ResolvedConfig" (
    "id" TEXT NOT NULL,
    "entries" TEXT[],
    CONSTRAINT "ResolvedConfig_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "ResolvedConfig_entries_idx" ON "ResolvedConfig" USING GIN ("entries");

ALTER TABLE "Build" ADD COLUMN "resolvedConfigId" TEXT;
ALTER TABLE "Build" ADD CONSTRAINT "Build_resolvedConfigId_fkey" FOREIGN KEY ("resolvedConfigId") REFERENCES "ResolvedConfig"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- What the text search looks through on the build itself; the source and
-- submitter names are matched in their own (small) tables.
ALTER TABLE "Build" ADD COLUMN "searchText" TEXT NOT NULL DEFAULT '';

CREATE FUNCTION build_search_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."searchText" := lower(concat_ws(' ',
    NEW."id",
    NEW."baseConfig",
    (SELECT string_agg('CONFIG_' || (o->>'symbol') || '=' || (o->>'value'), ' ')
       FROM jsonb_array_elements(CASE WHEN jsonb_typeof(NEW."spec"->'options') = 'array' THEN NEW."spec"->'options' ELSE '[]'::jsonb END) o),
    NEW."statusReason"));
  RETURN NEW;
END
$$;

-- Only writes that touch what the text is made of pay for it (not the frequent
-- log-line and progress updates).
CREATE TRIGGER "Build_searchText"
  BEFORE INSERT OR UPDATE OF "id", "baseConfig", "spec", "statusReason" ON "Build"
  FOR EACH ROW EXECUTE FUNCTION build_search_text();

UPDATE "Build" SET "spec" = "spec";

CREATE INDEX "Build_organizationId_status_createdAt_idx" ON "Build"("organizationId", "status", "createdAt" DESC);
CREATE INDEX "Build_organizationId_submitterId_createdAt_idx" ON "Build"("organizationId", "submitterId", "createdAt" DESC);
CREATE INDEX "Build_organizationId_sourceId_createdAt_idx" ON "Build"("organizationId", "sourceId", "createdAt" DESC);
CREATE INDEX "Build_organizationId_kernelVersion_createdAt_idx" ON "Build"("organizationId", "kernelVersion", "createdAt" DESC);
CREATE INDEX "Build_organizationId_profile_createdAt_idx" ON "Build"("organizationId", "profile", "createdAt" DESC);
CREATE INDEX "Build_organizationId_resolvedConfigId_createdAt_idx" ON "Build"("organizationId", "resolvedConfigId", "createdAt" DESC);
CREATE INDEX "Build_searchText_idx" ON "Build" USING GIN ("searchText" gin_trgm_ops);
