import path from "node:path";
import { BASE_CONFIG_TARGETS, type BuildSpecInput, BuildSpecSchema, parseOptionLines } from "../lib/builds/spec";
import { TARGET_NAMES } from "../lib/builds/targets";
import { usage } from "./errors";

/** `kbuild submit`'s flags that describe the build (the rest say where and how to send it). */
export interface SpecFlags {
  spec?: string;
  source?: string;
  profile?: string;
  arch?: string;
  base?: string;
  config?: string;
  set?: string[];
  target?: string[];
  "configure-only"?: boolean;
  jobs?: string;
}

const SPEC_FLAGS = ["source", "profile", "arch", "base", "config", "set", "target", "configure-only", "jobs"] as const;

/**
 * The build spec that `kbuild submit` sends: the whole of `--spec FILE.json`, or
 * one made of the flags. Checked with the server's own schema first, so that a
 * mistake is named before anything is sent; the server checks it again against
 * its sources, profiles and the tree's symbols.
 */
export async function specFromFlags(flags: SpecFlags, readFile: (file: string) => Promise<string>): Promise<BuildSpecInput> {
  const given = SPEC_FLAGS.filter((f) => (Array.isArray(flags[f]) ? (flags[f] as string[]).length > 0 : flags[f] !== undefined && flags[f] !== false));
  let input: unknown;
  if (flags.spec !== undefined) {
    if (given.length) throw usage(`--spec ${flags.spec} holds the whole build; drop ${given.map((f) => `--${f}`).join(", ")} or drop --spec`);
    const text = await read(readFile, flags.spec, "--spec");
    try {
      input = JSON.parse(text);
    } catch (err) {
      throw usage(`--spec ${flags.spec} is not JSON (${err instanceof Error ? err.message : String(err)}); it holds a build request as POST /api/v1/builds takes it`);
    }
  } else {
    input = await fromFlags(flags, readFile);
  }
  const parsed = BuildSpecSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(spec)"}: ${i.message}`);
    throw usage(`the build request is not valid:\n${lines.join("\n")}`);
  }
  return input as BuildSpecInput;
}

async function fromFlags(flags: SpecFlags, readFile: (file: string) => Promise<string>): Promise<BuildSpecInput> {
  if (!flags.source) throw usage("name the kernel source: --source NAME (the server's sources: GET /api/v1/sources)");
  if (!flags.profile) throw usage("name the toolchain profile: --profile NAME (e.g. debian-bookworm-llvm14)");
  if (flags.base !== undefined && flags.config !== undefined) throw usage("--base and --config both give the base configuration; keep one");
  let baseConfig: BuildSpecInput["baseConfig"];
  if (flags.config !== undefined) {
    baseConfig = { kind: "upload", fileName: path.basename(flags.config), text: await read(readFile, flags.config, "--config") };
  } else if (flags.base !== undefined) {
    if (!(BASE_CONFIG_TARGETS as readonly string[]).includes(flags.base)) {
      throw usage(`--base ${flags.base}: use one of ${BASE_CONFIG_TARGETS.join(", ")}, or --config FILE for a .config of your own`);
    }
    baseConfig = { kind: "target", target: flags.base as (typeof BASE_CONFIG_TARGETS)[number] };
  } else {
    throw usage(`choose the base configuration: --base ${BASE_CONFIG_TARGETS.join("|")}, or --config FILE`);
  }

  const targets = flags.target ?? [];
  if (flags["configure-only"] && targets.length) throw usage("--configure-only builds no target; drop it or the --target flags");
  if (!flags["configure-only"] && !targets.length) {
    throw usage(`say what to build: --target NAME (repeatable; ${TARGET_NAMES.join(", ")}), or --configure-only for the .config alone`);
  }

  const { options, errors } = parseOptionLines((flags.set ?? []).join("\n"));
  if (errors.length) throw usage(`--set takes CONFIG_NAME=value (or CONFIG_NAME=n to turn one off):\n${errors.map((e) => `  ${e.replace(/^line \d+: /, "")}`).join("\n")}`);

  let jobs: number | undefined;
  if (flags.jobs !== undefined) {
    if (!/^\d+$/.test(flags.jobs)) throw usage(`--jobs ${flags.jobs}: give a whole number of parallel make jobs`);
    jobs = Number(flags.jobs);
  }
  return {
    source: flags.source,
    profile: flags.profile,
    ...(flags.arch ? { arch: flags.arch as "x86_64" } : {}),
    baseConfig,
    options,
    targets,
    ...(jobs !== undefined ? { jobs } : {}),
  };
}

async function read(readFile: (file: string) => Promise<string>, file: string, flag: string): Promise<string> {
  try {
    return await readFile(file);
  } catch (err) {
    throw usage(`${flag} ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err))})`);
  }
}
