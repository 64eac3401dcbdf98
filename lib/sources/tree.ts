import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The kernel version from the tree's top Makefile (VERSION.PATCHLEVEL.SUBLEVEL + EXTRAVERSION). */
export async function readKernelVersion(tree: string): Promise<string> {
  const head = (await readFile(path.join(tree, "Makefile"), "utf8")).split("\n").slice(0, 20);
  const field = (name: string) => head.find((l) => l.startsWith(`${name} =`))?.split("=")[1]?.trim() ?? "";
  const [v, p, s] = [field("VERSION"), field("PATCHLEVEL"), field("SUBLEVEL")];
  if (!v || !p) throw new Error(`${tree}/Makefile has no VERSION/PATCHLEVEL: not a kernel tree`);
  return `${v}.${p}${s ? `.${s}` : ""}${field("EXTRAVERSION")}`;
}

export interface MinToolVersions {
  llvm?: string;
  rustc?: string;
  bindgen?: string;
}

/** The tree's own minimum tool versions, from scripts/min-tool-version.sh (absent in old trees). */
export async function readMinToolVersions(tree: string, srcArch: string): Promise<MinToolVersions> {
  const script = path.join(tree, "scripts", "min-tool-version.sh");
  const result: MinToolVersions = {};
  for (const tool of ["llvm", "rustc", "bindgen"] as const) {
    try {
      const { stdout } = await run("sh", [script, tool], { env: { PATH: "/usr/bin:/bin", SRCARCH: srcArch } as unknown as NodeJS.ProcessEnv, timeout: 10_000 });
      const version = stdout.trim();
      if (/^[0-9][0-9.]*$/.test(version)) result[tool] = version;
    } catch {
      // Unknown tool in this tree (older kernels know no rustc): nothing required.
    }
  }
  return result;
}
