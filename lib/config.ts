import os from "node:os";
import path from "node:path";
import { z } from "zod";

/**
 * Everything an operator can set, read once from the environment. Defaults are
 * chosen so that `npm start` on a fresh Debian machine works with nothing set.
 */
const home = os.homedir();
const dataHome = process.env.XDG_DATA_HOME ?? path.join(home, ".local", "share");
const cacheHome = process.env.XDG_CACHE_HOME ?? path.join(home, ".cache");

const ConfigSchema = z.object({
  databaseUrl: z.string().url(),
  redisUrl: z.string().url(),
  /** Namespaces every Redis key and queue, so several installs (or test runs) can share one Redis. */
  prefix: z.string().regex(/^[a-z0-9_-]+$/i),
  /** Where kernel source trees are unpacked once and kept. */
  sourceCacheDir: z.string(),
  /** Where builds get their working (O=) directories; removed when a build ends. */
  workDir: z.string(),
  /** Root of the local artifact store. */
  artifactsDir: z.string(),
  /** Operator-registered sources: "name=/path/to/tree-or-tarball", comma separated. Empty: discover under the roots. */
  sources: z.string(),
  /** Only paths under these roots can be registered as sources. */
  sourceRoots: z.array(z.string()),
  /** Extra directories with toolchain profile files, after toolchain/profiles. */
  extraProfileDirs: z.array(z.string()),
  workerId: z.string().min(1),
  /** Concurrent builds per worker process. */
  workerConcurrency: z.coerce.number().int().min(1).max(64),
  /** ccache directories, one per toolchain profile under it; empty: no compiler cache. */
  ccacheDir: z.string(),
  /** Bound of each profile's ccache (ccache's own size syntax: 10G, 500M). */
  ccacheMaxSize: z.string().regex(/^\d+(\.\d+)?[KMGT]i?$/, "a size such as 10G or 500M"),
  /** Output directories of finished builds, reused by builds of the same source, profile, .config and goals. */
  buildDirCacheDir: z.string(),
  /** How many such directories are kept (least recently used go first); 0: none. */
  buildDirCacheEntries: z.coerce.number().int().min(0),
  /** A build still running after this many seconds is stopped and fails. */
  buildTimeoutSeconds: z.coerce.number().positive(),
  /** Where builds run: containers when an engine answers (auto), or always one or the other. */
  runtime: z.enum(["auto", "docker", "bwrap"]),
  /** The Docker Engine API socket: Docker's, or podman's (`podman system service`). */
  dockerSocket: z.string(),
  /**
   * The live stream and the database copy of one log stop after this many bytes
   * of text (a marker line says so, the last lines are appended when it ends).
   */
  logStreamMaxBytes: z.number().int().positive(),
  /** build.log.gz keeps at most this many bytes of (uncompressed) text, so at most that on disk. */
  logArtifactMaxBytes: z.number().int().positive(),
  /**
   * Signs session cookies and invitation links. The default is for a developer's
   * machine only: anyone who knows it can forge a session, so production sets its own.
   */
  authSecret: z.string().min(32, "at least 32 characters (openssl rand -base64 32)"),
  /** Sign-in and sign-up attempts each client address may make a minute (each; 0: no limit), against password guessing. */
  authAttemptsPerMinute: z.coerce.number().int().min(0),
  /** Limits of every build container. */
  container: z.object({
    user: z.string().regex(/^[1-9]\d*:\d+$/, "uid:gid of a user other than root"),
    memoryBytes: z.number().int().positive(),
    cpus: z.coerce.number().positive(),
    pids: z.coerce.number().int().positive(),
    nofile: z.coerce.number().int().positive(),
  }),
});

/** The secret used when BETTER_AUTH_SECRET is not set; public, so only fit for a developer's machine. */
export const DEVELOPMENT_AUTH_SECRET = "kbuild-development-secret-not-for-production";

export type Config = z.infer<typeof ConfigSchema>;

function list(value: string | undefined, fallback: string[]): string[] {
  if (value === undefined) return fallback;
  return value.split(":").filter(Boolean);
}

/** "512m", "8g", "1073741824" → bytes (Docker's units, powers of 1024). */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([kmgt]?)b?$/i.exec(text.trim());
  if (!m) throw new Error(`${JSON.stringify(text)} is not a size such as 512m or 8g`);
  const power = " kmgt".indexOf((m[2] || " ").toLowerCase());
  return Math.round(Number(m[1]) * 1024 ** power);
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  return ConfigSchema.parse({
    databaseUrl: env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/kbuild",
    redisUrl: env.REDIS_URL ?? "redis://127.0.0.1:6379",
    prefix: env.KBUILD_PREFIX ?? "kbuild",
    sourceCacheDir: env.KBUILD_SOURCE_CACHE_DIR ?? path.join(cacheHome, "kbuild", "sources"),
    workDir: env.KBUILD_WORK_DIR ?? path.join(os.tmpdir(), "kbuild-work"),
    artifactsDir: env.KBUILD_ARTIFACTS_DIR ?? path.join(dataHome, "kbuild", "artifacts"),
    sources: env.KBUILD_SOURCES ?? "",
    sourceRoots: list(env.KBUILD_SOURCE_ROOTS, ["/usr/src"]),
    extraProfileDirs: list(env.KBUILD_PROFILE_DIRS, []),
    workerId: env.KBUILD_WORKER_ID ?? `${os.hostname()}-${process.pid}`,
    workerConcurrency: env.KBUILD_WORKER_CONCURRENCY ?? 1,
    ccacheDir: env.KBUILD_CCACHE_DIR ?? path.join(cacheHome, "kbuild", "ccache"),
    ccacheMaxSize: env.KBUILD_CCACHE_MAX_SIZE ?? "10G",
    buildDirCacheDir: env.KBUILD_BUILD_DIR_CACHE_DIR ?? path.join(cacheHome, "kbuild", "build-dirs"),
    buildDirCacheEntries: env.KBUILD_BUILD_DIR_CACHE_ENTRIES ?? 4,
    buildTimeoutSeconds: env.KBUILD_BUILD_TIMEOUT_SECONDS ?? 4 * 3600,
    runtime: env.KBUILD_RUNTIME ?? "auto",
    // Bytes, not lines: a line may be 16 KiB long, so only bytes bound what Redis, PostgreSQL and the page hold.
    // A defconfig build's log is 5-50 MB and stays whole; an allyesconfig with W=1 is cut.
    logStreamMaxBytes: parseSize(env.KBUILD_LOG_STREAM_MAX_BYTES ?? "64m"),
    logArtifactMaxBytes: parseSize(env.KBUILD_LOG_ARTIFACT_MAX_BYTES ?? "2g"),
    dockerSocket: env.KBUILD_DOCKER_SOCKET ?? "/var/run/docker.sock",
    authSecret: env.BETTER_AUTH_SECRET ?? DEVELOPMENT_AUTH_SECRET,
    authAttemptsPerMinute: env.KBUILD_AUTH_ATTEMPTS_PER_MINUTE ?? 10,
    container: {
      // Never root; a worker that is not root shares its own ids with the container, so both can write.
      user: env.KBUILD_CONTAINER_USER ?? (process.getuid?.() === 0 ? "1000:1000" : `${process.getuid?.()}:${process.getgid?.()}`),
      memoryBytes: parseSize(env.KBUILD_CONTAINER_MEMORY ?? "8g"),
      cpus: env.KBUILD_CONTAINER_CPUS ?? os.availableParallelism(),
      pids: env.KBUILD_CONTAINER_PIDS ?? 4096,
      nofile: env.KBUILD_CONTAINER_NOFILE ?? 20000,
    },
  });
}

let cached: Config | undefined;
/** The process-wide configuration. */
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}
