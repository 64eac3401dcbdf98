-- The configurator model of a source follows its Kconfig files (a directory source edited in place).
ALTER TABLE "KernelSource" ADD COLUMN "kconfigDigest" TEXT;
