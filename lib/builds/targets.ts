import { z } from "zod";
import kernel from "./targets/kernel.json" with { type: "json" };
import moduleKit from "./targets/module-kit.json" with { type: "json" };
import modules from "./targets/modules.json" with { type: "json" };
import vmlinux from "./targets/vmlinux.json" with { type: "json" };

/**
 * Build targets are data (lib/builds/targets/*.json, TuxMake's model): what
 * `make` goals a target adds to the build, the targets it depends on, what must
 * be true of the resolved .config for it to be built, the commands that package
 * its output afterwards, and the artifacts it leaves. Paths are inside the
 * build's output directory (/out in every sandbox); arch/x86 paths are there
 * because x86_64 is the only architecture with Rust support in 6.1.
 */
const Command = z
  .object({
    /** Step name, unique in a build. */
    name: z.string().regex(/^[a-z0-9-]+$/),
    title: z.string(),
    /** A command run as is (fixed text: no user input ever reaches it). */
    argv: z.array(z.string()).min(1).optional(),
    /** Or: `make` with the build's usual arguments and these goals/variables. */
    make: z.array(z.string()).min(1).optional(),
  })
  .refine((c) => Boolean(c.argv) !== Boolean(c.make), "a command has either argv or make");

const Artifact = z.union([
  /** One file, relative to the output directory; its name is the file's base name. */
  z.object({ path: z.string().regex(/^[A-Za-z0-9._/-]+$/).refine((p) => !p.split("/").includes("..")) }),
  /** Every file whose base name matches (`*` only), anywhere in the output directory. */
  z.object({ glob: z.string().regex(/^[A-Za-z0-9._*-]+$/) }),
]);

const TargetSchema = z.object({
  name: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string(),
  description: z.string(),
  dependsOn: z.array(z.string()),
  /** Symbols that must have this value in the resolved .config. */
  preconditions: z.array(z.object({ config: z.string().regex(/^[A-Z0-9_]+$/), equals: z.string() })),
  make: z.array(z.string()),
  commands: z.array(Command),
  artifacts: z.array(Artifact),
});

export type BuildTarget = z.infer<typeof TargetSchema>;
export type TargetCommand = z.infer<typeof Command>;
export type TargetArtifact = z.infer<typeof Artifact>;

function loadTargets(files: unknown[]): Map<string, BuildTarget> {
  const targets = new Map<string, BuildTarget>();
  for (const file of files) {
    const parsed = TargetSchema.safeParse(file);
    if (!parsed.success) throw new Error(`invalid build target ${JSON.stringify((file as { name?: unknown }).name)}: ${parsed.error.message}`);
    targets.set(parsed.data.name, parsed.data);
  }
  for (const t of targets.values()) {
    for (const dep of t.dependsOn) if (!targets.has(dep)) throw new Error(`build target ${t.name} depends on unknown target ${dep}`);
  }
  return targets;
}

/** Every target, in the order the new-build page lists them. */
export const TARGETS: ReadonlyMap<string, BuildTarget> = loadTargets([kernel, modules, moduleKit, vmlinux]);
export const TARGET_NAMES = [...TARGETS.keys()];

/**
 * `names` and everything they depend on, directly or not, each after what it
 * depends on (and otherwise in catalogue order). Generic over the catalogue so
 * that the new-build page, which gets the targets as plain data, shares it.
 */
export function withDependencies<T extends { name: string; dependsOn: readonly string[] }>(catalogue: readonly T[], names: readonly string[]): T[] {
  const byName = new Map(catalogue.map((t) => [t.name, t]));
  const ordered: T[] = [];
  const visit = (name: string) => {
    const t = byName.get(name);
    if (!t) throw new Error(`unknown build target ${name}`);
    if (ordered.includes(t)) return;
    t.dependsOn.forEach(visit);
    ordered.push(t);
  };
  const wanted = new Set<string>();
  const collect = (name: string) => {
    if (wanted.has(name)) return;
    wanted.add(name);
    byName.get(name)?.dependsOn.forEach(collect);
  };
  names.forEach(collect);
  for (const t of catalogue) if (wanted.has(t.name)) visit(t.name);
  for (const name of wanted) if (!byName.has(name)) visit(name); // unknown: throws with its name
  return ordered;
}

/** The requested targets of the catalogue with their dependencies, in build order. */
export function resolveTargets(requested: readonly string[]): BuildTarget[] {
  return withDependencies([...TARGETS.values()], requested);
}

/**
 * Why each target cannot be built with this resolved .config (a precondition
 * that does not hold, or a dependency that is skipped), by target name.
 */
export function skippedTargets(targets: BuildTarget[], resolved: ReadonlyMap<string, string>): Map<string, string> {
  const skipped = new Map<string, string>();
  for (const t of targets) {
    const unmet = t.preconditions.find((p) => (resolved.get(p.config) ?? "n") !== p.equals);
    if (unmet) {
      const now = resolved.get(unmet.config);
      skipped.set(
        t.name,
        `${t.name} needs CONFIG_${unmet.config}=${unmet.equals}, and the resolved .config has ${now === undefined || now === "n" ? `CONFIG_${unmet.config} not set` : `CONFIG_${unmet.config}=${now}`}`,
      );
      continue;
    }
    const dep = t.dependsOn.find((d) => skipped.has(d));
    if (dep) skipped.set(t.name, `${t.name} depends on ${dep}, which is skipped: ${skipped.get(dep)}`);
  }
  return skipped;
}
