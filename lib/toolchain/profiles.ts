import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/**
 * Toolchain profiles are data (toolchain/profiles/*.json): the packages, the
 * versions they bring, the binaries pinned by absolute path, and the make
 * variables that make the kernel use exactly those binaries. A host may have
 * another rustc first on PATH (rustup's, without rust-src); a build never
 * looks it up by name.
 */
const ToolVersions = z.object({ llvm: z.string(), rustc: z.string(), bindgen: z.string() });

const AbsolutePath = z.string().startsWith("/", "tools are pinned by absolute path");

const ProfileFile = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
  extends: z.string().optional(),
  title: z.string(),
  description: z.string().default(""),
  debianPackages: z.array(z.string()).optional(),
  versions: ToolVersions.optional(),
  /** The tools kbuild runs or records, by absolute path. */
  binaries: z
    .object({ clang: AbsolutePath, "ld.lld": AbsolutePath, rustc: AbsolutePath, bindgen: AbsolutePath })
    .catchall(AbsolutePath)
    .optional(),
  path: z.array(z.string().startsWith("/")).optional(),
  makeVariables: z.record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/), z.string()).optional(),
  env: z.record(z.string(), z.string()).default({}),
  /** Host paths the local sandbox mounts read-only to provide the toolchain. */
  hostPaths: z.array(z.string().startsWith("/")).optional(),
  /** The container image with the same toolchain (toolchain/build-image.sh builds it). */
  image: z.string().regex(/^[a-z0-9][a-z0-9._\/:-]*$/).optional(),
});

export interface ToolchainProfile {
  id: string;
  title: string;
  description: string;
  debianPackages: string[];
  versions: z.infer<typeof ToolVersions>;
  binaries: { clang: string; "ld.lld": string; rustc: string; bindgen: string; [tool: string]: string };
  path: string[];
  makeVariables: Record<string, string>;
  env: Record<string, string>;
  hostPaths: string[];
  image: string | null;
}

export const BUILTIN_PROFILE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "toolchain", "profiles");

async function readProfileFiles(dir: string): Promise<z.infer<typeof ProfileFile>[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(".json")).sort();
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name);
      let json: unknown;
      try {
        json = JSON.parse(await readFile(file, "utf8"));
      } catch (err) {
        throw new Error(`invalid toolchain profile ${file}: ${(err as Error).message}`);
      }
      const parsed = ProfileFile.safeParse(json);
      if (!parsed.success) throw new Error(`invalid toolchain profile ${file}: ${z.prettifyError(parsed.error)}`);
      return parsed.data;
    }),
  );
}

/** Resolves `extends` (one level is all we need; chains work too) and checks completeness. */
function resolveProfiles(files: z.infer<typeof ProfileFile>[]): Map<string, ToolchainProfile> {
  const byId = new Map(files.map((f) => [f.id, f]));
  const resolved = new Map<string, ToolchainProfile>();
  const resolve = (id: string, seen: string[]): ToolchainProfile => {
    const done = resolved.get(id);
    if (done) return done;
    const file = byId.get(id);
    if (!file) throw new Error(`toolchain profile ${seen.at(-1)} extends unknown profile ${id}`);
    if (seen.includes(id)) throw new Error(`toolchain profiles extend each other in a cycle: ${[...seen, id].join(" → ")}`);
    const base = file.extends ? resolve(file.extends, [...seen, id]) : undefined;
    const pick = <K extends keyof ToolchainProfile>(key: K, value: ToolchainProfile[K] | undefined) => {
      const v = value ?? base?.[key];
      if (v === undefined) throw new Error(`toolchain profile ${id} has no ${key}`);
      return v as ToolchainProfile[K];
    };
    const profile: ToolchainProfile = {
      id,
      title: file.title,
      description: file.description,
      debianPackages: pick("debianPackages", file.debianPackages),
      versions: pick("versions", file.versions),
      binaries: pick("binaries", file.binaries),
      path: pick("path", file.path),
      makeVariables: pick("makeVariables", file.makeVariables),
      env: { ...base?.env, ...file.env },
      hostPaths: pick("hostPaths", file.hostPaths),
      image: file.image ?? base?.image ?? null,
    };
    resolved.set(id, profile);
    return profile;
  };
  for (const id of byId.keys()) resolve(id, []);
  return resolved;
}

export async function loadProfiles(extraDirs: string[] = []): Promise<Map<string, ToolchainProfile>> {
  const files = (await Promise.all([BUILTIN_PROFILE_DIR, ...extraDirs].map(readProfileFiles))).flat();
  const ids = new Set<string>();
  for (const f of files) {
    if (ids.has(f.id)) throw new Error(`toolchain profile ${f.id} is defined twice`);
    ids.add(f.id);
  }
  return resolveProfiles(files);
}

/** Compares dotted versions numerically ("1.63.0" vs "1.62.0"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(/[.+-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

export interface ProfileWarning {
  tool: string;
  required: string;
  provided: string;
  message: string;
}

/**
 * What the source's scripts/min-tool-version.sh rules out for this profile.
 * Newer-than-pinned versions are fine (the kernel only warns); older ones are not.
 */
export function profileWarnings(profile: ToolchainProfile, minToolVersions: Record<string, string>): ProfileWarning[] {
  const warnings: ProfileWarning[] = [];
  for (const tool of ["llvm", "rustc", "bindgen"] as const) {
    const required = minToolVersions[tool];
    const provided = profile.versions[tool];
    if (required && compareVersions(provided, required) < 0) {
      warnings.push({
        tool,
        required,
        provided,
        message: `${tool} ${provided} in ${profile.id} is older than the ${required} this kernel requires (scripts/min-tool-version.sh): Rust support cannot be enabled with this profile`,
      });
    }
  }
  return warnings;
}
