import { diagnosticsCommand } from "./diagnostics";
import { kconfigCommand } from "./kconfig";

/** `kbuild <command> ...`: one module per command. */
const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  kconfig: kconfigCommand,
  diagnostics: diagnosticsCommand,
};

const USAGE = `usage: kbuild <command> [...]
commands:
  kconfig resolve --source DIR --arch ARCH --base TARGET [--set CONFIG_X=v ...] [--shell-cache FILE] [--make-var VAR=v ...]
  diagnostics LOGFILE [--json] [--source-prefix /src/]
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(USAGE);
    return 2;
  }
  return command(rest);
}

// exitCode, not exit(): a large .config written to a pipe must be flushed before the process ends.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`kbuild: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
