import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { E2E_RUN_DIR } from "./env";

/**
 * The one real kernel build of the suite: kernel-build.spec.ts submits it from
 * the browser and records it here; the specs that need a built kernel read it.
 */
const STATE_FILE = path.join(E2E_RUN_DIR, "kernel-build.json");

export interface KernelBuildState {
  buildId: string;
  kernelVersion: string;
}

export async function saveKernelBuild(state: KernelBuildState): Promise<void> {
  await writeFile(STATE_FILE, JSON.stringify(state));
}

export async function loadKernelBuild(): Promise<KernelBuildState> {
  return JSON.parse(await readFile(STATE_FILE, "utf8")) as KernelBuildState;
}

/** The `vermagic=` string a .ko carries in its .modinfo section. */
export function vermagicOf(ko: Buffer): string {
  const at = ko.indexOf("vermagic=");
  if (at < 0) throw new Error("no vermagic= in the module");
  const end = ko.indexOf(0, at);
  return ko.subarray(at + "vermagic=".length, end).toString();
}

/** A bzImage: the boot sector signature 0x55AA at 0x1FE and the "HdrS" setup header magic at 0x202. */
export function isBzImage(bytes: Buffer): boolean {
  return bytes.length > 0x206 && bytes[0x1fe] === 0x55 && bytes[0x1ff] === 0xaa && bytes.subarray(0x202, 0x206).toString() === "HdrS";
}
