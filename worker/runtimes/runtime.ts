/**
 * A runtime runs one command in isolation and streams its output. Builds only
 * ever talk to this interface; the local bubblewrap sandbox implements it
 * today, a container engine later.
 */
export interface Mount {
  /** Path on the worker's host. */
  host: string;
  /** Path inside the sandbox. */
  target: string;
  writable: boolean;
}

export interface RunRequest {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  mounts: Mount[];
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
}

export interface Runtime {
  readonly name: string;
  run(request: RunRequest): Promise<RunResult>;
}
