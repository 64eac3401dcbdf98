import { loadConfig } from "../lib/config";
import { discoverSources } from "../lib/sources/discover";
import { unpack } from "../worker/sources";

/**
 * The unpacked tree of the machine's Linux <version> source (Debian's
 * linux-source-<version>), through the worker's own cache: unpacked once per
 * machine. Tests that read a real tree fail, never skip, when there is none.
 */
export async function kernelTree(version: "6.1" | "6.12"): Promise<string> {
  const cfg = loadConfig();
  const name = `linux-${version}`;
  const entry = (await discoverSources(cfg.sources, cfg.sourceRoots)).find((e) => e.name === name || e.name.startsWith(`${name}.`));
  if (!entry) throw new Error(`no Linux ${version} source under ${cfg.sourceRoots.join(", ")}: install Debian's linux-source-${version} (scripts/setup.sh does)`);
  return entry.kind === "tarball" ? unpack(entry, cfg.sourceCacheDir) : entry.location;
}

export const kernelTree61 = (): Promise<string> => kernelTree("6.1");
