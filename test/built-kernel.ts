import { createWriteStream } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { artifactStore } from "../lib/artifacts";
import { LocalArtifactStore } from "../lib/artifacts/local";
import { DEFAULT_ACTOR } from "../lib/auth/current";
import { submitBuild } from "../lib/builds/service";
import { isTerminal } from "../lib/builds/status";
import { type PrismaClient, Prisma, createDb } from "../lib/db/client";
import { E2E_ENV } from "../e2e/env";
import { loadKernelBuild } from "../e2e/kernel";
import { sourceOfVersion, waitUntil } from "./builds";
import { TEST_ENV } from "./env";

/**
 * The one real kernel build of the integration suites that need a built
 * kernel (module builds, boot tests): 6.1, tinyconfig with Rust, the minimal
 * Rust sample as a module and what a serial-console boot needs; kernel,
 * modules and module kit.
 *
 * The end-to-end suite runs first and makes the same kernel from the browser
 * (e2e/kernel-build.spec.ts). When its build is there and succeeded, it is
 * imported into this run's database and artifact store: same id, same record,
 * same files, owned by the default team and pointing at this database's
 * source of the same name. Only when there is none (the integration suites run
 * alone) is a kernel built here, once, through the real queue and a worker the
 * caller has started.
 *
 * Either way it is recorded in the run directory, so the second suite to ask
 * finds it; the run's database is new each run, so a kernel of an earlier run
 * is never taken.
 */
const STATE_FILE = path.join(path.dirname(TEST_ENV.KBUILD_WORK_DIR!), "built-kernel.json");

const BOOTABLE = ["64BIT", "MODULES", "PRINTK", "TTY", "SERIAL_8250", "SERIAL_8250_CONSOLE", "BINFMT_ELF", "BINFMT_SCRIPT", "DEVTMPFS", "BLK_DEV_INITRD"];
const RUST = ["RUST", "SAMPLES", "SAMPLES_RUST"];

/** The options of the end-to-end suite's kernel (its Rust toggle and sample choice included). */
export const BUILT_KERNEL_OPTIONS = [...[...BOOTABLE, ...RUST].map((symbol) => ({ symbol, value: "y" })), { symbol: "SAMPLE_RUST_MINIMAL", value: "m" }];
/**
 * The kernel image (without vmlinux, Module.symvers would lack the kernel's own
 * exports; the boot tests boot bzImage), the modules (rust_minimal.ko) and the module kit.
 */
export const BUILT_KERNEL_TARGETS = ["kernel", "modules", "module-kit"];
/** What the suites read of the build; an end-to-end build without one of these is not taken. */
export const BUILT_KERNEL_ARTIFACTS = [".config", "bzImage", "module-kit.tar.xz", "rust_minimal.ko"];

/** A whole kernel with a cold compiler cache on a busy machine; callers' hooks allow a little more. */
export const BUILT_KERNEL_LIMIT_MS = 55 * 60_000;

export interface BuiltKernel {
  buildId: string;
  kernelVersion: string;
  /** "end-to-end": imported from the end-to-end suite's build; "built": built by this run. */
  origin: "end-to-end" | "built";
}

export async function builtKernel(db: PrismaClient): Promise<BuiltKernel> {
  const recorded = await readFile(STATE_FILE, "utf8").then((t) => JSON.parse(t) as BuiltKernel, () => null);
  if (recorded) {
    const build = await db.build.findUnique({ where: { id: recorded.buildId } });
    if (build?.status === "succeeded") return recorded;
  }
  const imported = await importEndToEndKernel(db);
  let state: BuiltKernel;
  if ("buildId" in imported) {
    state = imported;
  } else {
    console.log(`built kernel: not taken from the end-to-end suite (${imported.notTaken}); building one`);
    state = await buildKernel(db);
  }
  await mkdir(path.dirname(STATE_FILE), { recursive: true });
  await writeFile(STATE_FILE, JSON.stringify(state));
  return state;
}

/** The end-to-end suite's kernel build copied into this run, or why it is not taken. */
async function importEndToEndKernel(db: PrismaClient): Promise<BuiltKernel | { notTaken: string }> {
  const recorded = await loadKernelBuild().catch(() => null);
  if (!recorded) return { notTaken: "it recorded no kernel build" };
  const e2eDb = createDb(E2E_ENV.DATABASE_URL);
  try {
    const build = await e2eDb.build
      .findUnique({ where: { id: recorded.buildId }, include: { source: true, steps: true, artifacts: true } })
      .catch((err: Error) => new Error(`its database cannot be read: ${err.message.split("\n")[0]}`));
    if (build instanceof Error) return { notTaken: build.message };
    if (!build) return { notTaken: `its database has no build ${recorded.buildId}` };
    if (build.status !== "succeeded" || build.kind !== "kernel") return { notTaken: `its ${build.kind} build ${build.id} is ${build.status}` };
    const missing = BUILT_KERNEL_ARTIFACTS.filter((name) => !build.artifacts.some((a) => a.name === name));
    if (missing.length) return { notTaken: `its build ${build.id} has no ${missing.join(", ")}` };

    // Module builds mount this run's tree at /src, where the kernel build had the end-to-end
    // worker's: the same tree only if both registered the same tarball (unpacked into the one
    // source cache both use) of the same version.
    const sources = await db.kernelSource.findMany({ where: { status: "ready" } });
    const source = sources.find((s) => s.name === build.source.name) ?? (await sourceOfVersion(db, "6.1"));
    if (source.location !== build.source.location || source.version !== build.source.version) {
      return { notTaken: `its source ${build.source.name} (${build.source.location}, ${build.source.version}) is not this run's ${source.name} (${source.location}, ${source.version})` };
    }
    const kernelVersion = build.kernelVersion ?? recorded.kernelVersion;

    const existing = await db.build.findUnique({ where: { id: build.id } });
    if (existing) {
      if (existing.status !== "succeeded") throw new Error(`build ${build.id} is already in this run's database, ${existing.status}`);
      return { buildId: build.id, kernelVersion, origin: "end-to-end" };
    }

    // The files first, each checked against its record; the rows after, at once.
    const from = new LocalArtifactStore(E2E_ENV.KBUILD_ARTIFACTS_DIR!);
    const to = artifactStore();
    for (const a of build.artifacts) {
      if ((await from.size(a.storageKey)) !== Number(a.size)) return { notTaken: `its artifact ${a.name} is not in its store as recorded` };
    }
    const staging = path.join(path.dirname(TEST_ENV.KBUILD_WORK_DIR!), "built-kernel-import");
    await mkdir(staging, { recursive: true });
    try {
      for (const a of build.artifacts) {
        const file = path.join(staging, a.id);
        await pipeline(await from.read(a.storageKey), createWriteStream(file));
        const stored = await to.putFile(a.storageKey, file);
        await rm(file);
        if (stored.sha256 !== a.sha256) throw new Error(`the end-to-end artifact ${a.name} of build ${build.id} does not match its sha256`);
      }
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
    const json = (v: Prisma.JsonValue) => (v === null ? Prisma.DbNull : (v as Prisma.InputJsonValue));
    await db.$transaction([
      db.build.create({
        data: {
          id: build.id,
          organizationId: DEFAULT_ACTOR.organizationId,
          submitterId: DEFAULT_ACTOR.userId,
          sourceId: source.id,
          spec: build.spec as Prisma.InputJsonValue,
          profile: build.profile,
          arch: build.arch,
          baseConfig: build.baseConfig,
          kernelVersion: build.kernelVersion,
          status: build.status,
          statusReason: build.statusReason,
          toolchain: json(build.toolchain),
          configReport: json(build.configReport),
          engineCheck: json(build.engineCheck),
          configHash: build.configHash,
          kind: build.kind,
          createdAt: build.createdAt,
          startedAt: build.startedAt,
          finishedAt: build.finishedAt,
        },
      }),
      // The steps as they ran; the log itself stays behind (its build.log.gz artifact comes along).
      db.buildStep.createMany({ data: build.steps.map(({ buildId: _, ...step }) => ({ ...step, buildId: build.id })) }),
      db.artifact.createMany({ data: build.artifacts.map(({ buildId: _, ...a }) => ({ ...a, buildId: build.id })) }),
    ]);
    console.log(`built kernel: imported the end-to-end suite's kernel build ${build.id} (${kernelVersion}, ${build.artifacts.length} artifacts)`);
    return { buildId: build.id, kernelVersion, origin: "end-to-end" };
  } finally {
    await e2eDb.$disconnect();
  }
}

async function buildKernel(db: PrismaClient): Promise<BuiltKernel> {
  const source = await sourceOfVersion(db, "6.1");
  const { id } = await submitBuild(db, DEFAULT_ACTOR, {
    source: source.name,
    profile: "debian-bookworm-llvm14",
    baseConfig: { kind: "target", target: "tinyconfig" },
    options: BUILT_KERNEL_OPTIONS,
    targets: BUILT_KERNEL_TARGETS,
    jobs: 2,
  });
  // Longer than waitForEnd's ten minutes.
  const build = await waitUntil(
    `kernel build ${id} to end`,
    async () => {
      const b = await db.build.findUnique({ where: { id }, include: { artifacts: true } });
      return b && isTerminal(b.status) ? b : null;
    },
    BUILT_KERNEL_LIMIT_MS,
  );
  if (build.status !== "succeeded") throw new Error(`the shared kernel build ${id} ${build.status}: ${build.statusReason}`);
  const missing = BUILT_KERNEL_ARTIFACTS.filter((name) => !build.artifacts.some((a) => a.name === name));
  if (missing.length) throw new Error(`the shared kernel build ${id} left no ${missing.join(", ")}`);
  return { buildId: id, kernelVersion: source.version!, origin: "built" };
}
