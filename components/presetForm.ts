import type { BuildSpec } from "../lib/builds/spec";
import { type BuildRequestBody, type FormState, type RustSamples, type TargetInfo, selectedWithDependencies } from "./buildRequest";
import { formPatch } from "./configurator/handoff";

/**
 * A preset as the new-build form's starting point, and whether what the form
 * would submit is still that preset. Pure, for the browser and unit tests.
 */

/** The form's state for a preset's spec: Rust toggle and samples where they fit, every other option as a line. */
export function presetFormState(spec: BuildSpec, rustSamples: RustSamples, catalogue: readonly TargetInfo[]): Partial<FormState> {
  const patch = formPatch(
    {
      source: spec.source,
      profile: spec.profile,
      base: spec.baseConfig.kind === "target" ? spec.baseConfig.target : "upload",
      upload: spec.baseConfig.kind === "upload" ? { fileName: spec.baseConfig.fileName, text: spec.baseConfig.text } : undefined,
      options: spec.options,
    },
    rustSamples,
  );
  return { ...patch, jobs: String(spec.jobs), targets: selectedWithDependencies(catalogue, spec.targets) };
}

/** The spec with its options in symbol order: the order of a fragment's lines changes nothing, since no symbol repeats. */
function canonical(s: Pick<BuildSpec, "source" | "profile" | "arch" | "baseConfig" | "options" | "jobs" | "targets">): string {
  const baseConfig = s.baseConfig.kind === "target" ? { kind: "target", target: s.baseConfig.target } : { kind: "upload", fileName: s.baseConfig.fileName, text: s.baseConfig.text };
  const options = [...s.options].map((o) => [o.symbol.replace(/^CONFIG_/, ""), o.value]).sort(([a], [b]) => (a! < b! ? -1 : a! > b! ? 1 : 0));
  return JSON.stringify([s.source, s.profile, s.arch, baseConfig, options, s.jobs, [...s.targets].sort()]);
}

/** Whether the form's request builds exactly the preset's spec (then it is submitted as a build of the preset). */
export function buildsPreset(body: BuildRequestBody, spec: BuildSpec): boolean {
  return canonical(body) === canonical(spec);
}
