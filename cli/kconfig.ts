import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { hostShell, loadKconfig, makeEnvironment, resolveConfig, type MacroCache } from "../lib/kconfig/engine";

const USAGE = `usage: kbuild kconfig resolve --source DIR --arch ARCH --base TARGET [--set CONFIG_X=v ...]
                              [--shell-cache FILE] [--make-var VAR=v ...] [--base-config FILE]

Prints the .config the kernel's own tools would write, computed by kbuild's Kconfig engine:
TARGET (defconfig, tinyconfig, allnoconfig, olddefconfig, foo_defconfig, foo.config ...), then
the --set options merged in and resolved with olddefconfig, as a kbuild build does.

Kconfig macros ($(shell,...), $(cc-option,...)) are answered from --shell-cache FILE when it
exists; otherwise they run on this machine with the environment make gives Kconfig for
'make ARCH=ARCH <--make-var ...>' (default --make-var LLVM=1), and the answers are written
to FILE when one is given.
`;

export async function kconfigCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "resolve") {
    process.stderr.write(USAGE);
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      source: { type: "string" },
      arch: { type: "string" },
      base: { type: "string" },
      set: { type: "string", multiple: true, default: [] },
      "shell-cache": { type: "string" },
      "make-var": { type: "string", multiple: true },
      "base-config": { type: "string" },
    },
    strict: true,
  });
  if (!values.source || !values.arch || !values.base) {
    process.stderr.write(USAGE);
    return 2;
  }
  for (const set of values.set) {
    if (!/^CONFIG_[A-Za-z0-9_]+=/.test(set)) throw new Error(`--set ${set}: expected CONFIG_NAME=value`);
  }
  const srctree = path.resolve(values.source);
  const cacheFile = values["shell-cache"];
  const cache = cacheFile && existsSync(cacheFile) ? (JSON.parse(readFileSync(cacheFile, "utf8")) as MacroCache) : undefined;
  const env = cache ? {} : makeEnvironment(srctree, values.arch, values["make-var"] ?? ["LLVM=1"]);
  const { kconfig, cache: recorded } = loadKconfig({ srctree, arch: values.arch, env, shell: cache ? undefined : hostShell(env), cache });
  if (cacheFile && !cache) writeFileSync(cacheFile, `${JSON.stringify(recorded, null, 2)}\n`);

  const fragment = values.set.map((s) => (s.endsWith("=n") ? `# ${s.slice(0, -2)} is not set` : s)).join("\n");
  const baseConfig = values["base-config"] ? readFileSync(values["base-config"], "latin1") : undefined;
  const result = resolveConfig(kconfig, { base: values.base, baseConfig, fragment });
  for (const w of result.warnings) process.stderr.write(`${w.source}:${w.line}: ${w.message}: ${w.text}\n`);
  process.stdout.write(result.config);
  return 0;
}
