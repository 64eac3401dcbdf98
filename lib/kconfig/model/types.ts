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

/**
 * What the configurator page itself reads of a model: the menu tree's shape,
 * prompts and names — a tenth of the model. The page's Web Worker fetches the
 * whole model and evaluates it; the page never parses the whole thing.
 * Indices are the model's (see SerializedModel); `props` holds only prompts.
 */
export interface ModelOutline {
  menus: { s?: number; p?: number; up?: number; l?: number; x?: number; h?: 1 }[];
  props: ({ t: string; x?: string } | null)[];
  symbols: { n?: string; t: string; f: number; m: number[] }[];
}

/** The page's half of a model: everything but the tree itself, plus its outline. */
export type ConfiguratorOutline = Omit<ConfiguratorModel, "model"> & { outline: ModelOutline };

/** Progress of the worker job that prepares a model, as the API reports it. */
export interface ModelProgress {
  stage: "queued" | "sandbox" | "environment" | "macros" | "parse" | "bases" | "store";
  message: string;
  /** Macro commands run so far. */
  commands?: number;
}

export const MODEL_BASES = ["tinyconfig", "defconfig", "allnoconfig"] as const;
