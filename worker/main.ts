import path from "node:path";
import { Worker } from "bullmq";
import { artifactStore } from "../lib/artifacts";
import { backfillResolvedOptions } from "../lib/builds/resolved-options";
import { config } from "../lib/config";
import { createDb } from "../lib/db/client";
import { BUILD_QUEUE, type BuildJob, buildQueue } from "../lib/queue";
import { KCONFIG_QUEUE, type KconfigModelJob } from "../lib/queue/kconfig";
import { BOOT_TEST_QUEUE, type BootTestJob, bootTestQueue } from "../lib/queue/boot";
import { loadBootEnvironments } from "../lib/boot/environment";
import { createRedis, keys } from "../lib/redis";
import { discoverSources } from "../lib/sources/discover";
import { loadProfiles } from "../lib/toolchain/profiles";
import { BuildDirCache } from "./build-dir-cache";
import type { AbortReason } from "./command-step";
import { loadModuleLimits } from "../lib/modules/limits";
import { ModuleKitCache } from "./module-kits";
import type { ModuleWorkerContext } from "./module-runner";
import { runAnyBuild } from "./run-any";
import { type BootContext, runBootTest } from "./boot-runner";
import { reapOrphanedBootTests, requeueLostBootTests } from "./boot-liveness";
import { reapOrphanedBuilds, requeueLostBuilds, startHeartbeat } from "./liveness";
import { DockerRuntime } from "./runtimes/docker";
import { selectRuntime } from "./runtimes/select";
import { prepareKconfigModel } from "./kconfig-model";
import { parseSourceNotice } from "../lib/sources/register";
import { type PreparedSource, prepareRegisteredSource, prepareSource, registeredSourceNames } from "./sources";
import { RETENTION_INTERVAL_MS, runRetention } from "./retention";

/**
 * The worker process: prepares the operator's kernel sources, then takes build
 * jobs from the queue and runs them through the runtime. Several workers (on
 * several hosts) may share one Redis and one PostgreSQL.
 */
const SHUTDOWN_GRACE_MS = 10_000;
const HOUSEKEEPING_INTERVAL_MS = 5_000;

const log = (msg: string) => console.log(`${new Date().toISOString()} worker: ${msg}`);

async function main() {
  const cfg = config();
  const db = createDb();
  const redis = createRedis();
  const subscriber = createRedis();
  const queue = buildQueue(redis, cfg.prefix);
  const bootQueue = bootTestQueue(redis, cfg.prefix);
  const running = new Map<string, AbortController>();
  const runningBootTests = new Map<string, AbortController>();

  const profiles = await loadProfiles(cfg.extraProfileDirs);
  log(`id ${cfg.workerId}; profiles: ${[...profiles.keys()].join(", ")}`);
  const stopHeartbeat = startHeartbeat(redis, cfg.prefix, cfg.workerId, () => [...running.keys()]);

  const sources = new Map<string, PreparedSource>();
  const prepared = (name: string, source: PreparedSource | null) => {
    if (source) {
      sources.set(source.name, source);
      log(`kernel source ${source.name} ready: Linux ${source.version}, ${source.symbols.size} Kconfig symbols`);
    } else {
      log(`kernel source ${name} could not be prepared (see its status on the page)`);
    }
  };
  for (const entry of await discoverSources(cfg.sources, cfg.sourceRoots)) {
    log(`preparing kernel source ${entry.name} (${entry.kind})`);
    prepared(entry.name, await prepareSource(db, entry, cfg.sourceCacheDir, "x86_64"));
  }
  // Then those admins registered through the API (POST /api/v1/sources), unless the operator's use the name.
  const prepareRegistered = async (name: string) => {
    log(`preparing registered kernel source ${name}`);
    prepared(name, await prepareRegisteredSource(db, name, cfg.sourceRoots, cfg.sourceCacheDir, "x86_64"));
  };
  for (const name of await registeredSourceNames(db)) if (!sources.has(name)) await prepareRegistered(name);
  if (!sources.size) log("no kernel sources: set KBUILD_SOURCES, install Debian's linux-source-6.1, or register one on the sources page");

  const store = artifactStore();
  const ctx: ModuleWorkerContext = {
    db,
    redis,
    prefix: cfg.prefix,
    workerId: cfg.workerId,
    runtime: await selectRuntime(cfg, profiles, log),
    profiles,
    sources,
    workDir: cfg.workDir,
    store,
    ccacheDir: cfg.ccacheDir,
    ccacheMaxSize: cfg.ccacheMaxSize,
    buildTimeoutSeconds: cfg.buildTimeoutSeconds,
    buildDirCache: new BuildDirCache(cfg.buildDirCacheDir, cfg.buildDirCacheEntries),
    logLimits: { streamMaxBytes: cfg.logStreamMaxBytes, artifactMaxBytes: cfg.logArtifactMaxBytes },
    moduleKits: new ModuleKitCache(path.join(cfg.workDir, "module-kits"), store),
    moduleLimits: loadModuleLimits(),
  };

  const bootCtx: BootContext = {
    db,
    redis,
    prefix: cfg.prefix,
    workerId: cfg.workerId,
    runtime: ctx.runtime,
    environments: await loadBootEnvironments(),
    workDir: cfg.workDir,
    store: ctx.store,
    logStreamMaxBytes: cfg.logStreamMaxBytes,
  };

  // Cancels travel from the web app over a Redis channel (and a database flag the runner polls).
  await subscriber.subscribe(keys.cancelChannel(cfg.prefix), keys.sourcesChannel(cfg.prefix));
  // Registrations are prepared one after another, in the order they came.
  let sourceWork = Promise.resolve();
  subscriber.on("message", (channel, message: string) => {
    if (channel === keys.cancelChannel(cfg.prefix)) {
      (running.get(message) ?? runningBootTests.get(message))?.abort("cancel" satisfies AbortReason);
      return;
    }
    const notice = parseSourceNotice(message);
    if (!notice) return;
    if (notice.action === "remove") {
      sources.delete(notice.name);
      log(`kernel source ${notice.name} removed`);
    } else {
      sourceWork = sourceWork.then(() => prepareRegistered(notice.name)).catch((err: Error) => log(`kernel source ${notice.name}: ${err.message}`));
    }
  });

  const housekeeping = async () => {
    const reaped = await reapOrphanedBuilds(db, redis, cfg.prefix);
    if (reaped.length) log(`marked ${reaped.length} build(s) of vanished workers as error: ${reaped.join(", ")}`);
    if (ctx.runtime instanceof DockerRuntime) {
      const alive = async (id: string) => id === cfg.workerId || (await redis.exists(keys.worker(cfg.prefix, id))) === 1;
      const removed = await ctx.runtime.removeOrphans(alive);
      if (removed.length) log(`removed ${removed.length} container(s) of vanished workers: ${removed.join(", ")}`);
    }
    const requeued = await requeueLostBuilds(db, queue);
    if (requeued.length) log(`re-enqueued ${requeued.length} queued build(s) the queue had lost: ${requeued.join(", ")}`);
    const reapedBoots = await reapOrphanedBootTests(db, redis, cfg.prefix);
    if (reapedBoots.length) log(`marked ${reapedBoots.length} boot test(s) of vanished workers as error: ${reapedBoots.join(", ")}`);
    const requeuedBoots = await requeueLostBootTests(db, bootQueue);
    if (requeuedBoots.length) log(`re-enqueued ${requeuedBoots.length} queued boot test(s) the queue had lost: ${requeuedBoots.join(", ")}`);
  };
  await housekeeping();
  // Builds resolved before the history's option filter existed: once, in the background.
  backfillResolvedOptions(db, store)
    .then((n) => n && log(`recorded the resolved options of ${n} earlier build(s) for the history's option filter`))
    .catch((e) => log(`could not record earlier builds' resolved options: ${e.message}`));
  const housekeepingTimer = setInterval(() => housekeeping().catch((e) => log(`housekeeping failed: ${e.message}`)), HOUSEKEEPING_INTERVAL_MS);
  // Retention: every team's policy now and then (a policy change or a build aging out), and the team's after each build.
  void runRetention(db, store, log);
  const retentionTimer = setInterval(() => void runRetention(db, store, log), RETENTION_INTERVAL_MS);

  const worker = new Worker<BuildJob>(
    BUILD_QUEUE,
    async (job, _token, signal) => {
      const controller = new AbortController();
      signal?.addEventListener("abort", () => controller.abort("cancel" satisfies AbortReason), { once: true });
      running.set(job.data.buildId, controller);
      try {
        log(`build ${job.data.buildId} started`);
        const ran = await runAnyBuild(ctx, job.data.buildId, controller.signal);
        log(`build ${job.data.buildId} ${ran?.status ?? "skipped (no longer queued)"}`);
        // The team's retention policy after a build, outside the job's slot: the next build need not wait for it.
        if (ran?.status) void runRetention(db, store, log, [ran.organizationId]);
      } finally {
        running.delete(job.data.buildId);
      }
    },
    {
      connection: createRedis(),
      prefix: `${cfg.prefix}:bull`,
      concurrency: cfg.workerConcurrency,
      lockDuration: 60_000,
      // Builds are never retried automatically: a stalled job (its worker died) is failed, and the
      // build itself is marked `error` by the heartbeat check.
      maxStalledCount: 0,
    },
  );
  // Configurator models: one at a time, beside the builds (a model takes a sandbox and some seconds).
  const modelWorker = new Worker<KconfigModelJob>(
    KCONFIG_QUEUE,
    async (job, _token, signal) => {
      const controller = new AbortController();
      signal?.addEventListener("abort", () => controller.abort(), { once: true });
      log(`configurator model ${job.data.key} started`);
      const model = await prepareKconfigModel(ctx, job.data, (p) => job.updateProgress(p as unknown as object), controller.signal);
      log(`configurator model ${job.data.key} ready: ${model.model.symbols.length} symbols, ${model.macroCount} macro commands`);
      return { key: model.key };
    },
    { connection: createRedis(), prefix: `${cfg.prefix}:bull`, concurrency: 1, lockDuration: 60_000, maxStalledCount: 1 },
  );
  modelWorker.on("error", (err) => log(`model queue error: ${err.message}`));
  modelWorker.on("failed", (job, err) => log(`configurator model ${job?.data.key} failed: ${err.message}`));
  // Boot tests: one at a time per worker (QEMU's software emulation takes a core), beside the builds.
  const bootWorker = new Worker<BootTestJob>(
    BOOT_TEST_QUEUE,
    async (job, _token, signal) => {
      const controller = new AbortController();
      signal?.addEventListener("abort", () => controller.abort("cancel" satisfies AbortReason), { once: true });
      runningBootTests.set(job.data.bootTestId, controller);
      try {
        log(`boot test ${job.data.bootTestId} started`);
        const status = await runBootTest(bootCtx, job.data.bootTestId, controller.signal);
        log(`boot test ${job.data.bootTestId} ${status ?? "skipped (no longer queued)"}`);
      } finally {
        runningBootTests.delete(job.data.bootTestId);
      }
    },
    { connection: createRedis(), prefix: `${cfg.prefix}:bull`, concurrency: 1, lockDuration: 60_000, maxStalledCount: 0 },
  );
  bootWorker.on("error", (err) => log(`boot test queue error: ${err.message}`));
  bootWorker.on("lockRenewalFailed", (ids) => ids.forEach((id) => runningBootTests.get(id)?.abort("shutdown" satisfies AbortReason)));

  worker.on("lockRenewalFailed", (ids) => ids.forEach((id) => running.get(id)?.abort("shutdown" satisfies AbortReason)));
  worker.on("error", (err) => log(`queue error: ${err.message}`));
  log(`waiting for builds (concurrency ${cfg.workerConcurrency}, runtime ${ctx.runtime.name})`);

  let stopping = false;
  const shutdown = async (signalName: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signalName}: finishing`);
    clearInterval(housekeepingTimer);
    clearInterval(retentionTimer);
    // worker.close() waits for active jobs with no limit: give them a deadline, then stop them.
    const deadline = setTimeout(() => [...running.values(), ...runningBootTests.values()].forEach((c) => c.abort("shutdown" satisfies AbortReason)), SHUTDOWN_GRACE_MS);
    await Promise.all([worker.close(), modelWorker.close(true), bootWorker.close()]);
    clearTimeout(deadline);
    await stopHeartbeat();
    await Promise.allSettled([subscriber.quit(), redis.quit(), db.$disconnect()]);
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((err) => {
  console.error(`worker: ${err.stack ?? err}`);
  process.exit(1);
});
