import requirements from "./requirements.json" with { type: "json" };

/**
 * Whether a kernel can be boot-tested the way kbuild does it (QEMU, an
 * initramfs, the serial console), read from the build's resolved .config. The
 * options are data (requirements.json); each missing one is named with why it
 * is needed, so the user knows what to add to the build.
 */
export interface Requirement {
  symbol: string;
  value: string;
  why: string;
  when?: string;
}

export const BOOT_REQUIREMENTS: Requirement[] = requirements.options;

export interface MissingOption {
  symbol: string;
  required: string;
  actual: string;
  why: string;
}

export function missingBootOptions(config: Map<string, string>, o: { modules: number }, reqs: Requirement[] = BOOT_REQUIREMENTS): MissingOption[] {
  return reqs
    .filter((r) => r.when !== "modules" || o.modules > 0)
    .map((r) => ({ symbol: r.symbol, required: r.value, actual: config.get(r.symbol) ?? "n", why: r.why }))
    .filter((m) => m.actual !== m.required);
}

/** "CONFIG_SERIAL_8250_CONSOLE is n (needs y: the kernel's console on ttyS0, ...)" for each missing option. */
export function describeMissing(missing: MissingOption[]): string {
  return `this kernel cannot be boot-tested: ${missing.map((m) => `CONFIG_${m.symbol}=${m.required} (${m.why}; it is ${m.actual === "n" ? "not set" : m.actual})`).join(", ")}`;
}
