import type { ApiHint } from "./api-hint";
import type { Diagnostic } from "./diagnostics";

/** Build.moduleReport of a module build: what the page shows besides the log. */
export interface ModuleReport {
  kernelBuild: string;
  kernelVersion: string | null;
  /** The kernel's release as the kit's include/config/kernel.release says: what vermagic must start with. */
  kernelRelease: string | null;
  modules: { file: string; size: number; sha256: string | null; modinfo: { name: string | null; vermagic: string | null; license: string | null; author: string[]; description: string | null; entries: { key: string; value: string }[] } | null; error?: string }[];
  diagnostics: Diagnostic[];
  apiHint: ApiHint | null;
}
