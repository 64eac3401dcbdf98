import Docker from "dockerode";
import { stepEnvironment, toolchainProbeArgv } from "../../lib/builds/plan";
import type { Config } from "../../lib/config";
import type { ToolchainProfile } from "../../lib/toolchain/profiles";
import { parseToolchainProbe } from "../build-runner";
import { BwrapRuntime } from "./bwrap";
import { DockerRuntime } from "./docker";
import type { Runtime } from "./runtime";

/**
 * The worker's runtime: containers when the engine answers and holds a
 * toolchain image (KBUILD_RUNTIME=auto), or the one the operator names.
 * Says why when it falls back to bubblewrap.
 */
export async function selectRuntime(cfg: Config, profiles: Map<string, ToolchainProfile>, log: (msg: string) => void): Promise<Runtime> {
  if (cfg.runtime === "bwrap") return new BwrapRuntime();
  const docker = new Docker({ socketPath: cfg.dockerSocket, timeout: 30_000 });
  const reachable = await docker.ping().then(
    () => null,
    (err: Error) => err.message,
  );
  if (reachable !== null) {
    if (cfg.runtime === "docker") throw new Error(`no container engine answers at ${cfg.dockerSocket} (KBUILD_DOCKER_SOCKET): ${reachable}`);
    log(`no container engine at ${cfg.dockerSocket} (${reachable}): builds run in the bubblewrap sandbox`);
    return new BwrapRuntime();
  }
  const images = await imagesOf(docker, profiles);
  if (cfg.runtime === "auto" && ![...images.values()].some(Boolean)) {
    log("the container engine has no toolchain image (toolchain/build-image.sh builds them): builds run in the bubblewrap sandbox");
    return new BwrapRuntime();
  }
  const runtime = new DockerRuntime(docker, cfg.container, cfg.prefix);
  for (const [id, image] of images) {
    log(`profile ${id}: ${image ? `image ${image}, ${await toolsIn(runtime, profiles.get(id)!, cfg.workerId)}` : "no image on the engine (toolchain/build-image.sh builds it)"}`);
  }
  return runtime;
}

/** The tool versions a profile's image holds, as a build would record them. */
async function toolsIn(runtime: DockerRuntime, profile: ToolchainProfile, workerId: string): Promise<string> {
  const lines: string[] = [];
  try {
    const sandbox = await runtime.open({ buildId: `probe-${profile.id}`, workerId, profile, mounts: [] });
    try {
      await sandbox.run({ argv: toolchainProbeArgv(profile), env: stepEnvironment(profile), cwd: "/", signal: new AbortController().signal, onLine: (l) => lines.push(l) });
    } finally {
      await sandbox.close();
    }
  } catch (err) {
    return `its tools could not be probed: ${(err as Error).message}`;
  }
  return Object.entries(parseToolchainProbe(lines)).map(([tool, version]) => `${tool} ${version}`).join("; ");
}

/** Each profile's image id on the engine, or null. */
async function imagesOf(docker: Docker, profiles: Map<string, ToolchainProfile>): Promise<Map<string, string | null>> {
  const found = new Map<string, string | null>();
  for (const p of profiles.values()) {
    if (!p.image) {
      found.set(p.id, null);
      continue;
    }
    const inspected = await docker.getImage(p.image).inspect().catch(() => null);
    found.set(p.id, inspected ? `${p.image} (${inspected.Id})` : null);
  }
  return found;
}
