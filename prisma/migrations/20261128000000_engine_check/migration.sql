-- The TypeScript Kconfig engine's resolution of a build's inputs compared with
-- the kernel's olddefconfig: agrees, disagrees (with the symbols), or unavailable.
ALTER TABLE "Build" ADD COLUMN "engineCheck" JSONB;
