import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { TEST_ENV } from "./env";

const ROOT = path.join(import.meta.dirname, "..");

/** A real worker process, as the product runs it, with the test environment. */
export class WorkerProcess {
  readonly output: string[] = [];
  private constructor(
    readonly child: ChildProcess,
    readonly id: string,
  ) {}

  static async start(id: string, env: Record<string, string> = {}): Promise<WorkerProcess> {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "worker", "main.ts")], {
      cwd: ROOT,
      env: { ...process.env, ...TEST_ENV, KBUILD_WORKER_ID: id, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const w = new WorkerProcess(child, id);
    const collect = (chunk: Buffer) => w.output.push(...chunk.toString().split("\n").filter(Boolean));
    child.stdout!.on("data", collect);
    child.stderr!.on("data", collect);
    await w.waitFor(/waiting for builds/, 600_000);
    return w;
  }

  /** Resolves when the worker prints a matching line; rejects if it exits first. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => this.output.find((l) => pattern.test(l));
      const timer = setInterval(() => {
        const line = check();
        if (line) {
          cleanup();
          resolve(line);
        }
      }, 100);
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`worker ${this.id} exited (${code}) before printing ${pattern}:\n${this.output.join("\n")}`));
      };
      const deadline = setTimeout(() => {
        cleanup();
        reject(new Error(`worker ${this.id} did not print ${pattern}:\n${this.output.join("\n")}`));
      }, timeoutMs);
      const cleanup = () => {
        clearInterval(timer);
        clearTimeout(deadline);
        this.child.off("exit", onExit);
      };
      if (this.child.exitCode !== null) return onExit(this.child.exitCode);
      this.child.on("exit", onExit);
    });
  }

  /** Stops it (SIGTERM, or SIGKILL to simulate a crash) and waits for the exit. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once("exit", r));
    this.child.kill(signal);
    await exited;
  }
}
