import { z } from "zod";

/**
 * What one module build may upload and use, set by the operator. Module code is
 * untrusted: these bound what it costs to store, to send and to build.
 */
const LimitsSchema = z.object({
  /** Files in one module (sources, headers, Makefile/Kbuild). */
  maxFiles: z.coerce.number().int().min(1).max(10_000),
  /** Bytes of all its files together. */
  maxBytes: z.coerce.number().int().min(1024),
  /** A module build still running after this many seconds is stopped and fails. */
  timeoutSeconds: z.coerce.number().positive(),
});

export type ModuleLimits = z.infer<typeof LimitsSchema>;

export function loadModuleLimits(env: Record<string, string | undefined> = process.env): ModuleLimits {
  return LimitsSchema.parse({
    maxFiles: env.KBUILD_MODULE_MAX_FILES ?? 64,
    maxBytes: env.KBUILD_MODULE_MAX_BYTES ?? 512 * 1024,
    timeoutSeconds: env.KBUILD_MODULE_TIMEOUT_SECONDS ?? 600,
  });
}
