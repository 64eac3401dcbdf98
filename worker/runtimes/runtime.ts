import type { ToolchainProfile } from "../../lib/toolchain/profiles";

/**
 * A runtime gives each build a sandbox — a container, or a bubblewrap
 * namespace — and runs the build's steps in it, streaming their output. Builds
 * only ever talk to these interfaces; the backends are worker/runtimes/*.ts.
 */
export interface Mount {
  /** Path on the worker's host. */
  host: string;
  /** Path inside the sandbox. */
  target: string;
  writable: boolean;
}

/** One command of a build. */
export interface StepRequest {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  /** Aborting ends the command's whole process tree. */
  signal: AbortSignal;
  onLine(text: string, stream: "stdout" | "stderr"): void;
}

export interface RunResult {
  /** null when the command was killed by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The request's signal ended it. */
  aborted: boolean;
  /** The sandbox's memory limit killed it. */
  oomKilled?: boolean;
}

/** What a sandbox needs of a toolchain profile (or of a boot environment): its image, or the host paths that stand in for it. */
export type SandboxProfile = Pick<ToolchainProfile, "id" | "image" | "hostPaths">;

/** What a build's sandbox is made of. */
export interface SandboxSpec {
  buildId: string;
  workerId: string;
  profile: SandboxProfile;
  /** The build's own mounts: the tree, its output directory, its caches. */
  mounts: Mount[];
}

export interface Sandbox {
  /** Where the build ran, for its record and its reproducer: runtime name, image and image id. */
  readonly info: Record<string, string>;
  run(step: StepRequest): Promise<RunResult>;
  /** Removes the sandbox; the mounted host directories stay. */
  close(): Promise<void>;
}

export interface Runtime {
  readonly name: string;
  open(spec: SandboxSpec): Promise<Sandbox>;
}
