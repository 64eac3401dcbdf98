import type { Root } from "./types";

export interface TreePrefixes {
  /** Where the kernel source is mounted in the build's sandbox. */
  source?: string;
  /** The build's output directory (a kernel build's O=, a module build's kit). */
  out?: string;
  /** A module build's directory (M=). */
  module?: string;
}

export const DEFAULT_PREFIXES: Required<TreePrefixes> = { source: "/src/", out: "/out/", module: "/module/" };

const withSlash = (p: string) => (p.endsWith("/") ? p : `${p}/`);

/** Turns the absolute paths tools print into paths relative to the build's trees. */
export class TreePaths {
  private readonly roots: { prefix: string; root: Root }[];

  constructor(prefixes: TreePrefixes = {}) {
    const p = { ...DEFAULT_PREFIXES, ...prefixes };
    // The longest prefix first: a module directory may lie inside the output directory.
    this.roots = (
      [
        { prefix: withSlash(p.source), root: "source" },
        { prefix: withSlash(p.out), root: "out" },
        { prefix: withSlash(p.module), root: "module" },
      ] as const
    )
      .map((r) => ({ ...r }))
      .sort((a, b) => b.prefix.length - a.prefix.length);
  }

  relative(printed: string): { file: string; root: Root | null } {
    const file = printed.startsWith("./") ? printed.slice(2) : printed;
    for (const { prefix, root } of this.roots) {
      if (file.startsWith(prefix)) return { file: file.slice(prefix.length), root };
    }
    return { file, root: null };
  }

  /** The path as printed again, for a file relative to `root`. */
  absolute(file: string, root: Root | null): string {
    const entry = root ? this.roots.find((r) => r.root === root) : undefined;
    return entry ? `${entry.prefix}${file}` : file;
  }
}
