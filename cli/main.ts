import { artifactsCommand } from "./artifacts";
import { cancelCommand, listCommand, statusCommand, submitCommand } from "./builds";
import { diagnosticsCommand } from "./diagnostics";
import { CliError } from "./errors";
import { kconfigCommand } from "./kconfig";

/** `kbuild <command> ...`: one module per command. */
const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  submit: submitCommand,
  status: statusCommand,
  list: listCommand,
  cancel: cancelCommand,
  artifacts: artifactsCommand,
  kconfig: kconfigCommand,
  diagnostics: diagnosticsCommand,
};

const USAGE = `usage: kbuild <command> [...]   (kbuild <command> --help for more)
commands that talk to a kbuild server (--url or KBUILD_URL, --token or KBUILD_TOKEN):
  submit --source NAME --profile NAME (--base TARGET | --config FILE) [--set CONFIG_X=v ...]
         (--target NAME ... | --configure-only) [--follow] [--json]     or: submit --spec FILE.json
  status ID [--json]
  list [--cursor CURSOR] [--json]
  cancel ID
  artifacts ID --out DIR [--name NAME ...]
commands that work on local files:
  kconfig resolve --source DIR --arch ARCH --base TARGET [--set CONFIG_X=v ...] [--shell-cache FILE] [--make-var VAR=v ...]
  diagnostics LOGFILE [--json] [--source-prefix /src/]
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--help" || name === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(`${name ? `kbuild: unknown command ${JSON.stringify(name)}\n` : ""}${USAGE}`);
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
    process.exitCode = err instanceof CliError ? err.exitCode : 1;
  },
);
