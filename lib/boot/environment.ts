import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

export { DEFAULT_BOOT_ENVIRONMENT } from "./spec";

/**
 * Boot environments are data (toolchain/boot/*.json), like toolchain
 * profiles: the Debian packages of the image, the image's name, the binaries
 * by absolute path, the host paths the bubblewrap sandbox mounts, and the
 * virtual machine's fixed shape. toolchain/build-image.sh builds the image.
 */
const AbsolutePath = z.string().startsWith("/");

const EnvironmentFile = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
  title: z.string(),
  description: z.string().default(""),
  debianPackages: z.array(z.string()),
  image: z.string().regex(/^[a-z0-9][a-z0-9._\/:-]*$/),
  binaries: z.object({ qemu: AbsolutePath, busybox: AbsolutePath }),
  path: z.array(AbsolutePath),
  hostPaths: z.array(AbsolutePath),
  machine: z.object({
    memoryMb: z.number().int().min(64).max(4096),
    cpus: z.number().int().min(1).max(8),
    append: z.array(z.string().regex(/^[A-Za-z0-9_.=,:-]+$/)),
  }),
});

export type BootEnvironment = z.infer<typeof EnvironmentFile>;

export const BOOT_ENVIRONMENT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "toolchain", "boot");

export async function loadBootEnvironments(dir = BOOT_ENVIRONMENT_DIR): Promise<Map<string, BootEnvironment>> {
  const found = new Map<string, BootEnvironment>();
  for (const name of (await readdir(dir)).filter((n) => n.endsWith(".json")).sort()) {
    const file = path.join(dir, name);
    const parsed = EnvironmentFile.safeParse(JSON.parse(await readFile(file, "utf8")));
    if (!parsed.success) throw new Error(`invalid boot environment ${file}: ${z.prettifyError(parsed.error)}`);
    found.set(parsed.data.id, parsed.data);
  }
  return found;
}
