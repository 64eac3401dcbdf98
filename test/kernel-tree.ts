import { loadConfig } from "../lib/config";
import { discoverSources } from "../lib/sources/discover";
import { unpack } from "../worker/sources";

/**
 * The unpacked tree of the machine's first Linux 6.1 source (Debian's
 * linux-source-6.1), through the worker's own cache: unpacked once per machine.
 * Tests that read a real tree fail, never skip, when there is none.
 */
export async function kernelTree61(): Promise<string> {
  const cfg = loadConfig();
  const entry = (await discoverSources(cfg.sources, cfg.sourceRoots)).find((e) => e.name === "linux-6.1" || e.name.startsWith("linux-6.1."));
  if (!entry) throw new Error(`no Linux 6.1 source under ${cfg.sourceRoots.join(", ")}: install Debian's linux-source-6.1 (scripts/setup.sh does)`);
  return entry.kind === "tarball" ? unpack(entry, cfg.sourceCacheDir) : entry.location;
}
