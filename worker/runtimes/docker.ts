import { execFile } from "node:child_process";
import { stat } from "node:fs/promises";
import { PassThrough } from "node:stream";
import { promisify } from "node:util";
import Docker from "dockerode";
import { LineSplitter } from "../../lib/logs/line";
import type { RunResult, Runtime, Sandbox, SandboxSpec, StepRequest } from "./runtime";

const run = promisify(execFile);

/** Labels on every build container: which build, and which worker owns it. */
export const BUILD_LABEL = "io.kbuild.build";
export const WORKER_LABEL = "io.kbuild.worker";
/** The install (its key prefix): several kbuilds may share one engine. */
export const INSTALL_LABEL = "io.kbuild.install";

export interface ContainerLimits {
  /** The user steps run as ("uid:gid"); never root. */
  user: string;
  memoryBytes: number;
  cpus: number;
  pids: number;
  /** Open files, soft and hard; hosts cap it (20000 on the machines kbuild is tested on). */
  nofile: number;
}

/**
 * Builds in containers over the Docker Engine API (Docker, or podman's
 * compatible socket): one container per build from its profile's toolchain
 * image, kept alive by a no-op init while each step runs in it with `exec`.
 * Every container has no network, a read-only root, all capabilities dropped,
 * no-new-privileges, a non-root user and the worker's limits; only the build's
 * writable mounts can be written.
 */
export class DockerRuntime implements Runtime {
  readonly name = "docker";

  constructor(
    readonly docker: Docker,
    private readonly limits: ContainerLimits,
    private readonly install: string,
  ) {}

  async open(spec: SandboxSpec): Promise<Sandbox> {
    await this.makeWritable(spec.mounts.filter((m) => m.writable).map((m) => m.host));
    if (!spec.profile.image) throw new Error(`toolchain profile ${spec.profile.id} names no container image`);
    const image = await this.docker
      .getImage(spec.profile.image)
      .inspect()
      .catch((err: Error) => {
        throw new Error(`the toolchain image ${spec.profile.image} is not on this engine (${err.message}); build it with toolchain/build-image.sh ${spec.profile.id}`);
      });
    const container = await this.docker.createContainer({
      Image: image.Id,
      Cmd: ["sleep", "infinity"],
      User: this.limits.user,
      WorkingDir: "/",
      Labels: { [BUILD_LABEL]: spec.buildId, [WORKER_LABEL]: spec.workerId, [INSTALL_LABEL]: this.install },
      HostConfig: {
        Binds: spec.mounts.map((m) => `${m.host}:${m.target}:${m.writable ? "rw" : "ro"}`),
        NetworkMode: "none",
        CapDrop: ["ALL"],
        SecurityOpt: ["no-new-privileges"],
        ReadonlyRootfs: true,
        Tmpfs: { "/tmp": "rw,exec,nosuid,size=1g" },
        Memory: this.limits.memoryBytes,
        MemorySwap: this.limits.memoryBytes, // no swap beyond the limit
        NanoCpus: Math.round(this.limits.cpus * 1e9),
        PidsLimit: this.limits.pids,
        Ulimits: [
          { Name: "nofile", Soft: this.limits.nofile, Hard: this.limits.nofile },
          // podman, given any ulimit, also sets nproc to 1048576 unless nproc is given, and a
          // host that caps nproc lower refuses to start the container. nproc counts all of the
          // build user's processes on the host; PidsLimit already bounds the container's, so
          // the same number here never stops a lone build first.
          { Name: "nproc", Soft: this.limits.pids, Hard: this.limits.pids },
        ],
        Init: true,
      },
    });
    try {
      await container.start();
    } catch (err) {
      await container.remove({ force: true }).catch(() => {});
      throw err;
    }
    return {
      info: { runtime: this.name, image: spec.profile.image, imageId: image.Id, user: this.limits.user },
      run: (step) =>
        this.exec(container, step).catch((err: Error) => {
          // The engine went away (stopped, restarted, socket gone): the build cannot go on.
          throw new Error(`the container engine stopped answering during the step (${err.message}); the build's container may still exist`);
        }),
      close: () => container.remove({ force: true }).then(() => {}, () => {}),
    };
  }

  /**
   * Removes build containers whose worker is gone (a crash, a reboot): their
   * builds are marked `error` by the orphan check. A live worker's containers stay.
   */
  async removeOrphans(isAlive: (workerId: string) => Promise<boolean>): Promise<string[]> {
    const containers = await this.docker.listContainers({ all: true, filters: { label: [`${INSTALL_LABEL}=${this.install}`] } });
    const removed: string[] = [];
    for (const c of containers) {
      const worker = c.Labels[WORKER_LABEL]!;
      if (await isAlive(worker)) continue;
      await this.docker.getContainer(c.Id).remove({ force: true }).catch(() => {});
      removed.push(`${c.Id.slice(0, 12)} (build ${c.Labels[BUILD_LABEL]}, worker ${worker})`);
    }
    return removed;
  }

  /**
   * The container's user must be able to write the writable mounts. A root
   * worker hands them over (recursively only when the top is not yet theirs:
   * a cache directory is large and stays theirs).
   */
  private async makeWritable(dirs: string[]): Promise<void> {
    if (process.getuid?.() !== 0) return;
    const [uid, gid] = this.limits.user.split(":").map(Number) as [number, number];
    for (const dir of dirs) {
      const st = await stat(dir);
      if (st.uid === uid && st.gid === gid) continue;
      await run("chown", ["-R", `${uid}:${gid}`, dir]);
    }
  }

  private async exec(container: Docker.Container, step: StepRequest): Promise<RunResult> {
    if (step.signal.aborted) return { exitCode: null, signal: "SIGKILL", aborted: true };
    const exec = await container.exec({
      Cmd: step.argv,
      Env: Object.entries(step.env).map(([k, v]) => `${k}=${v}`),
      WorkingDir: step.cwd,
      User: this.limits.user,
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = await exec.start({ hijack: true, stdin: false });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    this.docker.modem.demuxStream(stream, stdout, stderr);
    const out = new LineSplitter();
    const err = new LineSplitter();
    stdout.on("data", (c: Buffer) => out.push(c).forEach((l) => step.onLine(l, "stdout")));
    stderr.on("data", (c: Buffer) => err.push(c).forEach((l) => step.onLine(l, "stderr")));

    // An exec cannot be signalled through the API; a stopped step ends its build, so the container goes.
    let aborted = false;
    const kill = () => {
      aborted = true;
      container.kill().catch(() => {});
    };
    step.signal.addEventListener("abort", kill, { once: true });
    try {
      await new Promise<void>((resolve, reject) => {
        stream.on("end", resolve);
        stream.on("close", resolve);
        stream.on("error", reject);
      });
    } finally {
      step.signal.removeEventListener("abort", kill);
    }
    out.end().forEach((l) => step.onLine(l, "stdout"));
    err.end().forEach((l) => step.onLine(l, "stderr"));
    const { ExitCode } = await exec.inspect();
    // The kernel's OOM killer picks a process (a compiler under make, say), so the
    // step's exit code says little; the container's memory cgroup counts the kills.
    const oomKilled = !aborted && ExitCode !== 0 && (await this.oomKills(container)) > 0;
    return { exitCode: aborted ? null : (ExitCode ?? null), signal: aborted ? "SIGKILL" : null, aborted, oomKilled };
  }

  /** How many processes the container's memory limit has killed (cgroup v2 or v1). */
  private async oomKills(container: Docker.Container): Promise<number> {
    const lines: string[] = [];
    const exec = await container.exec({
      Cmd: ["sh", "-c", "cat /sys/fs/cgroup/memory.events 2>/dev/null || cat /sys/fs/cgroup/memory/memory.oom_control"],
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = await exec.start({ hijack: true, stdin: false });
    const stdout = new PassThrough();
    this.docker.modem.demuxStream(stream, stdout, new PassThrough());
    stdout.on("data", (c: Buffer) => lines.push(c.toString()));
    await new Promise<void>((resolve) => {
      stream.on("end", resolve);
      stream.on("close", resolve);
      stream.on("error", () => resolve());
    });
    return Number(/^oom_kill (\d+)$/m.exec(lines.join(""))?.[1] ?? 0);
  }
}
