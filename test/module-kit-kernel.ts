import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { DEFAULT_ACTOR } from "../lib/auth/current";
import { submitBuild } from "../lib/builds/service";
import type { PrismaClient } from "../lib/db/client";
import { isTerminal } from "../lib/builds/status";
import { sourceOfVersion, waitUntil } from "./builds";
import { TEST_ENV } from "./env";

/**
 * The one real kernel build the module-build tests share: 6.1, tinyconfig with
 * Rust, modules and what the kernel needs to boot (as in the end-to-end
 * suite), built up to its module kit. Made once per test run (the run's
 * database is new each run, so a kernel build of an earlier run is never
 * taken) by whichever test file asks first, through the real queue and a
 * worker the caller has started; the others find it recorded here.
 */
const STATE_FILE = path.join(path.dirname(TEST_ENV.KBUILD_WORK_DIR!), "module-kit-kernel.json");

export const MODULE_KIT_OPTIONS = [
  "64BIT", "MODULES", "PRINTK", "TTY", "SERIAL_8250", "SERIAL_8250_CONSOLE", "BINFMT_ELF", "BINFMT_SCRIPT", "DEVTMPFS", "BLK_DEV_INITRD",
  "RUST", "SAMPLES", "SAMPLES_RUST",
].map((symbol) => ({ symbol, value: "y" }));

export interface KitKernel {
  buildId: string;
  kernelVersion: string;
}

export async function moduleKitKernel(db: PrismaClient): Promise<KitKernel> {
  const recorded = await readFile(STATE_FILE, "utf8").then((t) => JSON.parse(t) as KitKernel, () => null);
  if (recorded) {
    const build = await db.build.findUnique({ where: { id: recorded.buildId } });
    if (build?.status === "succeeded") return recorded;
  }
  const source = await sourceOfVersion(db, "6.1");
  const { id } = await submitBuild(db, DEFAULT_ACTOR, {
    source: source.name,
    profile: "debian-bookworm-llvm14",
    baseConfig: { kind: "target", target: "tinyconfig" },
    options: MODULE_KIT_OPTIONS,
    // The kernel image too: without vmlinux, Module.symvers would lack the kernel's own exports.
    targets: ["kernel", "module-kit"],
    jobs: 2,
  });
  // A whole kernel: on a busy machine longer than waitForEnd's ten minutes.
  const build = await waitUntil(
    `kernel build ${id} to end`,
    async () => {
      const b = await db.build.findUnique({ where: { id }, include: { artifacts: true } });
      return b && isTerminal(b.status) ? b : null;
    },
    90 * 60_000,
  );
  if (build.status !== "succeeded") throw new Error(`the module kit's kernel build ${id} ${build.status}: ${build.statusReason}`);
  if (!build.artifacts.some((a) => a.name === "module-kit.tar.xz")) throw new Error(`the kernel build ${id} left no module kit`);
  const state: KitKernel = { buildId: id, kernelVersion: source.version! };
  await mkdir(path.dirname(STATE_FILE), { recursive: true });
  await writeFile(STATE_FILE, JSON.stringify(state));
  return state;
}
