import { mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import type { ArtifactStore } from "../lib/artifacts/store";
import { OUT_DIR, SOURCE_DIR, stepEnvironment } from "../lib/builds/plan";
import { resolveConfig } from "../lib/kconfig/engine";
import type { MacroCall } from "../lib/kconfig/engine/explain";
import type { Property } from "../lib/kconfig/engine/model";
import { serializeKconfig } from "../lib/kconfig/engine/serialize";
import { storeModel } from "../lib/kconfig/model/store";
import { MODEL_BASES, type ConfiguratorModel, type ModelProgress } from "../lib/kconfig/model/types";
import type { KconfigModelJob } from "../lib/queue/kconfig";
import type { ToolchainProfile } from "../lib/toolchain/profiles";
import { recordMacros, sandboxMakeEnvironment, type MacroSandbox } from "./kconfig-macros";
import type { Runtime } from "./runtimes/runtime";
import type { PreparedSource } from "./sources";

/**
 * The worker job behind the configurator: records the tree's macros in the
 * profile's sandbox, parses the tree here with those answers, resolves the
 * base configurations, and stores the serialized model where the web server
 * reads it (the artifact store).
 */

export interface KconfigModelContext {
  runtime: Runtime;
  workerId: string;
  profiles: Map<string, ToolchainProfile>;
  sources: Map<string, PreparedSource>;
  workDir: string;
  store: ArtifactStore;
}

export async function prepareKconfigModel(ctx: KconfigModelContext, job: KconfigModelJob, progress: (p: ModelProgress) => Promise<void>, signal: AbortSignal): Promise<ConfiguratorModel> {
  const source = [...ctx.sources.values()].find((s) => s.id === job.sourceId);
  if (!source) throw new Error(`kernel source ${job.sourceId} is not prepared on worker ${ctx.workerId}`);
  const profile = ctx.profiles.get(job.profile);
  if (!profile) throw new Error(`toolchain profile ${job.profile} is not installed on worker ${ctx.workerId}`);

  const hostOut = path.join(ctx.workDir, `kconfig-${job.key}`, "out");
  await rm(path.dirname(hostOut), { recursive: true, force: true });
  await mkdir(hostOut, { recursive: true });
  await progress({ stage: "sandbox", message: `opening a ${ctx.runtime.name} sandbox for ${profile.id}` });
  const sandbox = await ctx.runtime.open({
    buildId: `kconfig-${job.key}`.slice(0, 60),
    workerId: ctx.workerId,
    profile,
    mounts: [
      { host: source.tree, target: SOURCE_DIR, writable: false },
      { host: hostOut, target: OUT_DIR, writable: true },
    ],
  });
  try {
    const s: MacroSandbox = { sandbox, hostTree: source.tree, sandboxTree: SOURCE_DIR, hostOut, sandboxOut: OUT_DIR, env: stepEnvironment(profile), signal };
    await progress({ stage: "environment", message: "reading make's Kconfig environment in the sandbox" });
    const makeVars = Object.entries(profile.makeVariables).map(([k, v]) => `${k}=${v}`);
    const env = await sandboxMakeEnvironment(s, job.arch, makeVars);
    await progress({ stage: "macros", message: "running Kconfig's macros in the sandbox", commands: 0 });
    const recorded = await recordMacros(s, job.arch, env, (commands) => progress({ stage: "macros", message: "running Kconfig's macros in the sandbox", commands }));

    await progress({ stage: "bases", message: "resolving the base configurations" });
    const kc = recorded.kconfig;
    const bases: Record<string, string> = {};
    const baseErrors: Record<string, string> = {};
    for (const base of MODEL_BASES) {
      try {
        bases[base] = resolveConfig(kc, { base }).config;
      } catch (err) {
        baseErrors[base] = (err as Error).message;
      }
    }

    await progress({ stage: "store", message: "storing the model" });
    const hide = (text: string) => text.split(source.tree).join("$(srctree)");
    const sites = new Map<string, string[]>();
    for (const [command, at] of kc.tree.preprocessor.shellSites) for (const site of at) sites.set(site, [...(sites.get(site) ?? []), command]);
    const lines = new Map<string, string[]>();
    const lineOf = async (file: string, line: number) => {
      if (!lines.has(file)) lines.set(file, (await readFile(path.join(source.tree, file), "latin1").catch(() => "")).split("\n"));
      return lines.get(file)![line - 1]?.trim();
    };
    // Statement texts are read before serializing, which cannot wait for files.
    const notes = new Map<Property, { source?: string; macros?: MacroCall[] }>();
    for (const sym of kc.tree.symbols) {
      for (const p of sym.props) {
        const commands = sites.get(`${p.file}:${p.line}`);
        if (!commands) continue;
        notes.set(p, {
          source: hide((await lineOf(p.file, p.line)) ?? ""),
          macros: commands.map((c) => ({
            command: hide(c),
            output: hide(recorded.cache.shell[c] ?? ""),
            ...(recorded.diagnostics[c] ? { diagnostic: hide(recorded.diagnostics[c]!) } : {}),
          })),
        });
      }
    }
    const { model, help } = serializeKconfig(kc, { annotate: (p) => notes.get(p) });
    const result: ConfiguratorModel = {
      key: job.key,
      source: source.name,
      version: source.version,
      arch: job.arch,
      profile: profile.id,
      createdAt: new Date().toISOString(),
      model,
      bases,
      baseErrors,
      macroCount: Object.keys(recorded.cache.shell).length,
    };
    await storeModel(ctx.store, job.key, result, help);
    return result;
  } finally {
    await sandbox.close().catch(() => {});
    await rm(path.dirname(hostOut), { recursive: true, force: true }).catch(() => {});
  }
}
