import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ACTOR } from "../lib/auth/current";
import { submitBuild } from "../lib/builds/service";
import { createDb } from "../lib/db/client";
import { redis } from "../lib/redis";
import { sourceOfVersion, waitForEnd } from "../test/builds";
import { WorkerProcess } from "../test/worker-process";

/**
 * Boot tests against a real kernel: one 6.1 tinyconfig build with Rust, the
 * minimal Rust sample as a module and what a serial-console boot needs, built
 * once by a real worker in a container and shared by every test here.
 */
const db = createDb();
let worker: WorkerProcess;
let kernelBuildId: string;

const BOOTABLE = ["64BIT", "MODULES", "PRINTK", "TTY", "SERIAL_8250", "SERIAL_8250_CONSOLE", "BINFMT_ELF", "BINFMT_SCRIPT", "DEVTMPFS", "BLK_DEV_INITRD"];
const RUST = ["RUST", "SAMPLES", "SAMPLES_RUST"];

beforeAll(async () => {
  await redis().flushdb();
  worker = await WorkerProcess.start("int-boot", { KBUILD_RUNTIME: "docker" });
  const source = (await sourceOfVersion(db, "6.1")).name;
  const { id } = await submitBuild(db, DEFAULT_ACTOR, {
    source,
    profile: "debian-bookworm-llvm14",
    baseConfig: { kind: "target", target: "tinyconfig" },
    options: [...[...BOOTABLE, ...RUST].map((symbol) => ({ symbol, value: "y" })), { symbol: "SAMPLE_RUST_MINIMAL", value: "m" }],
    targets: ["kernel", "modules", "module-kit"],
    jobs: 2,
  });
  kernelBuildId = id;
  const build = await waitForEnd(db, id);
  if (build.status !== "succeeded") throw new Error(`the kernel build ${id} ${build.status}: ${build.statusReason}`);
}, 60 * 60_000);

afterAll(async () => {
  await worker?.stop();
  await db.$disconnect();
  redis().disconnect();
});

describe("boot tests", () => {
  it("have a bootable kernel build", async () => {
    const artifacts = await db.artifact.findMany({ where: { buildId: kernelBuildId } });
    expect(artifacts.map((a) => a.name)).toEqual(expect.arrayContaining(["bzImage", "rust_minimal.ko", "module-kit.tar.xz", ".config"]));
  });
});
