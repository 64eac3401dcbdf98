import { scanKconfigFile } from "./scan";

/**
 * The Rust samples a kernel tree offers, read from its own
 * samples/rust/Kconfig: every kernel version ships a different set, so the
 * list is never hard-coded.
 */

export const RUST_SAMPLES_KCONFIG = "samples/rust/Kconfig";

export interface RustSample {
  /** Without CONFIG_. */
  symbol: string;
  type: "bool" | "tristate";
  prompt: string | null;
  /** Conditions from samples/rust/Kconfig alone (usually the gating menu symbol). */
  dependsOn: string[];
}

export interface RustSamples {
  /** The `menuconfig` that gates the samples (SAMPLES_RUST), or null if the file has none. */
  menuSymbol: string | null;
  samples: RustSample[];
}

/** `{ menuSymbol: null, samples: [] }` when the tree has no samples/rust/Kconfig (kernels before Rust support). */
export async function readRustSamples(root: string): Promise<RustSamples> {
  let scan;
  try {
    scan = await scanKconfigFile(root, RUST_SAMPLES_KCONFIG);
  } catch (error) {
    if ((error as NodeJS.ErrnoException | null)?.code === "ENOENT") return { menuSymbol: null, samples: [] };
    throw error;
  }

  // Symbols come out in definition order, so the first menuconfig is the file's gate.
  const menuSymbol = [...scan.symbols.keys()].find((name) => scan.menuconfigs.has(name)) ?? null;
  const samples: RustSample[] = [];
  for (const symbol of scan.symbols.values()) {
    if (symbol.name === menuSymbol) continue;
    // A sample is something to switch on; an int or string helper option is not one.
    if (symbol.type !== "bool" && symbol.type !== "tristate") continue;
    samples.push({ symbol: symbol.name, type: symbol.type, prompt: symbol.prompt, dependsOn: symbol.dependsOn });
  }
  return { menuSymbol, samples };
}
