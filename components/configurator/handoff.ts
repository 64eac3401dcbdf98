import type { Assignment } from "@/lib/kconfig/engine/session";
import type { BaseTarget, FormState, RustSamples, SampleValue } from "../buildRequest";

/**
 * The configurator hands its result to the new-build page through the
 * browser's session storage: the source, profile, base and the options the
 * user set. The form shows the Rust ones in its Rust section and the rest as
 * extra options, exactly as a person would have typed them.
 */
export const HANDOFF_KEY = "kbuild:configurator";

export interface Handoff {
  source: string;
  profile: string;
  base: BaseTarget | "upload";
  /** The user's own .config when the configurator started from one. */
  upload?: { fileName: string; text: string };
  options: Assignment[];
}

export function saveHandoff(h: Handoff): void {
  sessionStorage.setItem(HANDOFF_KEY, JSON.stringify(h));
}

export function takeHandoff(): Handoff | null {
  const raw = sessionStorage.getItem(HANDOFF_KEY);
  if (!raw) return null;
  sessionStorage.removeItem(HANDOFF_KEY);
  try {
    return JSON.parse(raw) as Handoff;
  } catch {
    return null;
  }
}

/** The form's state for a handoff: Rust toggle and samples where they fit, every other option as a line. */
export function formPatch(h: Handoff, rustSamples: RustSamples): Partial<FormState> {
  const value = new Map(h.options.map((o) => [o.symbol, o.value]));
  const samples: Record<string, SampleValue> = {};
  for (const s of rustSamples.samples) {
    const v = value.get(s.symbol);
    if (v === "y" || v === "m" || v === "n") samples[s.symbol] = v;
  }
  const anySample = Object.values(samples).some((v) => v !== "n");
  const rust = value.get("RUST") === "y";
  // What the Rust section generates itself must not be repeated as an extra line.
  const generated = new Set<string>([...rustSamples.samples.map((s) => s.symbol)]);
  if (rust || anySample) generated.add("RUST");
  if (anySample) for (const e of rustSamples.enable) if (value.get(e) === "y") generated.add(e);
  const extra = h.options.filter((o) => !generated.has(o.symbol));
  return {
    source: h.source,
    profile: h.profile,
    base: h.base === "upload" && !h.upload ? "defconfig" : h.base,
    ...(h.upload ? { upload: h.upload } : {}),
    rust,
    samples,
    extraText: extra.map((o) => (o.value === "n" ? `# CONFIG_${o.symbol} is not set` : `CONFIG_${o.symbol}=${o.value}`)).join("\n"),
  };
}
