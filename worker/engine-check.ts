import type { BuildSpec } from "../lib/builds/spec";
import { fragmentText } from "../lib/builds/spec";
import type { ArtifactStore } from "../lib/artifacts/store";
import { parseDotConfig } from "../lib/kconfig/dotconfig";
import { diffValues, whyNot, type WhyNode } from "../lib/kconfig/engine/explain";
import type { Kconfig } from "../lib/kconfig/engine/kconfig";
import { annotationOf, deserializeKconfig } from "../lib/kconfig/engine/serialize";
import { mergeConfig, olddefconfig } from "../lib/kconfig/engine/targets";
import { modelKey, modelObject, readStoredJson, type ModelSource } from "../lib/kconfig/model/store";
import type { ConfiguratorModel } from "../lib/kconfig/model/types";
import type { ToolchainProfile } from "../lib/toolchain/profiles";

/**
 * The build resolves its .config with the kernel's own olddefconfig; the
 * TypeScript engine resolves the same inputs from the configurator model of
 * (source, arch, profile), and every symbol on which the two disagree is
 * recorded on the build, never hidden. The same evaluated tree explains a
 * requested option that did not survive.
 */

export interface EngineDifference {
  symbol: string;
  kernel: string;
  engine: string;
}

export type EngineCheck =
  | { status: "agrees"; modelKey: string }
  | { status: "disagrees"; modelKey: string; differences: EngineDifference[]; more: number }
  | { status: "unavailable"; reason: string };

const MAX_DIFFERENCES = 200;

export interface EngineResolution {
  check: EngineCheck;
  /** The engine's tree after resolving the build's inputs, for explanations; null when unavailable. */
  kconfig: Kconfig | null;
}

/** Reads the stored model of the build's (source, arch, profile); null when no worker has prepared it yet. */
export async function loadModel(store: ArtifactStore, source: ModelSource, arch: string, profile: ToolchainProfile): Promise<StoredModel | null> {
  const key = modelKey(source, arch, profile);
  const stored = await readStoredJson<ConfiguratorModel>(store, modelObject(key));
  return stored ? { key, kconfig: deserializeKconfig(stored.model), bases: stored.bases } : null;
}

/** A model as a worker stored it: the tree, and its base configs as the engine resolved them with the tree at hand. */
interface StoredModel {
  key: string;
  kconfig: Kconfig;
  bases: Record<string, string>;
}

export function compareWithEngine(model: StoredModel | null, spec: BuildSpec, kernelConfig: string): EngineResolution {
  if (!model) {
    return { check: { status: "unavailable", reason: "no Kconfig model of this source, architecture and profile yet (opening the configurator prepares one)" }, kconfig: null };
  }
  const { kconfig } = model;
  const base = spec.baseConfig.kind === "upload" ? spec.baseConfig.text : model.bases[spec.baseConfig.target];
  if (base === undefined) return { check: { status: "unavailable", reason: `the model holds no ${spec.baseConfig.kind === "target" ? spec.baseConfig.target : ""} base` }, kconfig: null };
  // The build's own steps: the base, the options merged as merge_config.sh does, olddefconfig.
  const fragment = fragmentText(spec.options);
  const engineConfig = olddefconfig(kconfig, fragment.trim() ? mergeConfig(base, fragment) : base);
  const differences = differingSymbols(parseDotConfig(kernelConfig).values, parseDotConfig(engineConfig).values);
  const check: EngineCheck = differences.length
    ? { status: "disagrees", modelKey: model.key, differences: differences.slice(0, MAX_DIFFERENCES), more: Math.max(0, differences.length - MAX_DIFFERENCES) }
    : { status: "agrees", modelKey: model.key };
  return { check, kconfig };
}

function differingSymbols(kernel: Map<string, string>, engine: Map<string, string>): EngineDifference[] {
  // .config values are never empty (strings keep their quotes): "" is a symbol one side does not write.
  const shown = (value: string) => value || "(absent)";
  return diffValues(kernel, engine).map((c) => ({ symbol: c.symbol, kernel: shown(c.before), engine: shown(c.after) }));
}

/** Why CONFIG_<symbol> could not become `value`, as indented lines; null when the engine has nothing to say. */
export function explainWithEngine(kconfig: Kconfig, symbol: string, value: string): string[] | null {
  const sym = kconfig.symbol(symbol);
  if (!sym || (value !== "y" && value !== "m" && value !== "n")) return null;
  const tree = whyNot(kconfig, sym, value, { annotation: annotationOf });
  return tree ? renderWhy(tree, 1) : null;
}

function renderWhy(node: WhyNode, depth: number): string[] {
  const macro = node.macros?.find((m) => m.diagnostic)?.diagnostic;
  const line = `${"  ".repeat(depth)}${node.text}${node.at ? ` (${node.at})` : ""}${macro ? `: ${macro.trim().split("\n").slice(-1)[0]}` : ""}`;
  return [line, ...node.children.flatMap((c) => renderWhy(c, depth + 1))];
}
