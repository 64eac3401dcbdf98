import { spawn } from "node:child_process";
import { existsSync, lstatSync, readlinkSync } from "node:fs";
import { LineSplitter } from "../../lib/logs/line";
import type { Mount, RunResult, Runtime, Sandbox, SandboxSpec, StepRequest } from "./runtime";

/** One command with its mounts: what a bwrap invocation is. */
export interface RunRequest extends StepRequest {
  mounts: Mount[];
}

/**
 * The local sandbox: bubblewrap with every namespace unshared (so no network),
 * nothing of the host but the mounts given (the toolchain and the kernel tree
 * read-only, the build's output directory writable), a fresh /tmp, /proc and
 * /dev, and its own session. bwrap is started as the leader of a new process
 * group and dies with its parent, so ending the group ends everything.
 */
export class BwrapRuntime implements Runtime {
  readonly name = "bwrap";

  constructor(private readonly bwrap = "/usr/bin/bwrap") {}

  /** A build's "sandbox" is its mounts: the profile's host toolchain read-only, then the build's own. */
  async open(spec: SandboxSpec): Promise<Sandbox> {
    const mounts = [...spec.profile.hostPaths.map((p) => ({ host: p, target: p, writable: false })), ...spec.mounts];
    return {
      info: { runtime: this.name, toolchain: `host paths ${spec.profile.hostPaths.join(" ")}` },
      run: (step) => this.run({ ...step, mounts }),
      close: async () => {},
    };
  }

  /** The bwrap arguments for a request (exported for tests and reproducers). */
  argv(request: Omit<RunRequest, "signal" | "onLine">): string[] {
    const args = [
      "--unshare-all",
      "--die-with-parent",
      "--new-session",
      "--proc", "/proc",
      "--dev", "/dev",
      "--tmpfs", "/tmp",
      "--clearenv",
    ];
    for (const m of request.mounts) args.push(...mountArgs(m));
    // Merged-/usr hosts have /bin, /lib, ... as symlinks into /usr: recreate them.
    for (const link of ["/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"]) {
      const mountedUsr = request.mounts.some((m) => m.target === "/usr");
      if (mountedUsr && isSymlink(link)) args.push("--symlink", readlinkSync(link), link);
    }
    for (const [k, v] of Object.entries(request.env)) args.push("--setenv", k, v);
    args.push("--chdir", request.cwd, "--", ...request.argv);
    return args;
  }

  run(request: RunRequest): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      if (request.signal.aborted) {
        resolve({ exitCode: null, signal: "SIGKILL", aborted: true });
        return;
      }
      const child = spawn(this.bwrap, this.argv(request), {
        detached: true, // its own process group: a cancel ends the whole tree
        stdio: ["ignore", "pipe", "pipe"],
        env: {} as NodeJS.ProcessEnv,
      });
      const out = new LineSplitter();
      const err = new LineSplitter();
      child.stdout.on("data", (c: Buffer) => out.push(c).forEach((l) => request.onLine(l, "stdout")));
      child.stderr.on("data", (c: Buffer) => err.push(c).forEach((l) => request.onLine(l, "stderr")));
      let aborted = false;
      const kill = () => {
        aborted = true;
        killGroup(child.pid, "SIGTERM");
        // make and its children normally stop at SIGTERM; don't wait on stragglers.
        setTimeout(() => killGroup(child.pid, "SIGKILL"), 2000).unref();
      };
      request.signal.addEventListener("abort", kill, { once: true });
      child.on("error", (e) => {
        request.signal.removeEventListener("abort", kill);
        reject(new Error(`cannot start bubblewrap (${this.bwrap}): ${e.message}`));
      });
      child.on("close", (code, signal) => {
        request.signal.removeEventListener("abort", kill);
        out.end().forEach((l) => request.onLine(l, "stdout"));
        err.end().forEach((l) => request.onLine(l, "stderr"));
        killGroup(child.pid, "SIGKILL"); // anything left in the group
        resolve({ exitCode: code, signal, aborted });
      });
    });
  }
}

function mountArgs(m: Mount): string[] {
  if (!existsSync(m.host)) return [];
  return [m.writable ? "--bind" : "--ro-bind", m.host, m.target];
}

function isSymlink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}
