-- Out-of-tree module builds are builds too (steps, log, artifacts, cancel and
-- liveness all carry over): a kind, the kernel build whose module kit they use,
-- and their report (each .ko's modinfo, diagnostics, the module API hint).
ALTER TABLE "Build" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'kernel';
ALTER TABLE "Build" ADD COLUMN "kernelBuildId" TEXT;
ALTER TABLE "Build" ADD COLUMN "moduleReport" JSONB;

CREATE INDEX "Build_kernelBuildId_idx" ON "Build"("kernelBuildId");

ALTER TABLE "Build" ADD CONSTRAINT "Build_kernelBuildId_fkey" FOREIGN KEY ("kernelBuildId") REFERENCES "Build"("id") ON DELETE SET NULL ON UPDATE CASCADE;
