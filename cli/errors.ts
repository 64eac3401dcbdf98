/** A failure the command reports in one message and an exit status: 1 for what went wrong, 2 for how it was asked. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

/** A usage error: exit status 2. */
export const usage = (message: string) => new CliError(message, 2);
