import type { SerializedModel } from "../engine/serialize";

/**
 * What the configurator page loads: the tree's serialized model, the base
 * configurations it can start from (resolved where the tree's files are), and
 * where it came from. No server paths: commands name the tree as $(srctree).
 */
export interface ConfiguratorModel {
  key: string;
  source: string;
  version: string | null;
  arch: string;
  profile: string;
  createdAt: string;
  model: SerializedModel;
  /** tinyconfig, defconfig, allnoconfig as the kernel's make would write them, with this toolchain. */
  bases: Record<string, string>;
  /** Bases that could not be resolved, with why. */
  baseErrors: Record<string, string>;
  /** How many $(shell,...) commands were answered in the sandbox. */
  macroCount: number;
}

/** Progress of the worker job that prepares a model, as the API reports it. */
export interface ModelProgress {
  stage: "queued" | "sandbox" | "environment" | "macros" | "parse" | "bases" | "store";
  message: string;
  /** Macro commands run so far. */
  commands?: number;
}

export const MODEL_BASES = ["tinyconfig", "defconfig", "allnoconfig"] as const;
