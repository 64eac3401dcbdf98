import { z } from "zod";
import { MAX_MODULES } from "./initramfs";
import { PatternListSchema } from "./patterns";

/**
 * A boot test request (POST /api/v1/builds/:id/boot-tests). Modules are
 * references to .ko artifacts: of the kernel build itself when `build` is left
 * out, or of another build of the same team (an out-of-tree module build made
 * against this kernel's module kit).
 */
export const ModuleRefSchema = z
  .object({
    build: z.uuid().optional(),
    artifact: z.string().regex(/^[A-Za-z0-9._-]+\.ko$/, "a .ko artifact name, such as rust_minimal.ko").max(200),
  })
  .strict();

export const DEFAULT_BOOT_TIMEOUT_SECONDS = 60;

/** The boot environment (toolchain/boot/<id>.json) that boots x86_64 kernels. */
export const DEFAULT_BOOT_ENVIRONMENT = "qemu-x86_64";
export const MAX_BOOT_TIMEOUT_SECONDS = 600;

export const BootTestRequestSchema = z
  .object({
    modules: z.array(ModuleRefSchema).max(MAX_MODULES, `at most ${MAX_MODULES} modules`).default([]),
    /** Console patterns that must appear (literal strings or safe regexes). */
    expect: PatternListSchema,
    /** Console patterns that fail the test when they appear. */
    forbid: PatternListSchema,
    /** From QEMU's start to the verdict; a boot still undecided then fails, and QEMU is ended. */
    timeoutSeconds: z.number().int().min(5).max(MAX_BOOT_TIMEOUT_SECONDS).default(DEFAULT_BOOT_TIMEOUT_SECONDS),
  })
  .strict();

export type BootTestRequest = z.infer<typeof BootTestRequestSchema>;
export type BootTestRequestInput = z.input<typeof BootTestRequestSchema>;

/** A module as the worker fetches it: which build's artifact, by store key. */
export interface ResolvedModule {
  buildId: string;
  name: string;
  sha256: string;
  size: number;
}

/** What a BootTest row's spec holds: the request, and its modules and kernel resolved to artifacts. */
export interface BootTestSpec extends BootTestRequest {
  environment: string;
  kernel: { buildId: string; artifact: string; sha256: string };
  resolvedModules: ResolvedModule[];
}
