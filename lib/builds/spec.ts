import { z } from "zod";
import { classifyValue, parseDotConfig, unquoteConfigString } from "../kconfig/dotconfig";
import { TARGET_NAMES, TARGETS } from "./targets";

/**
 * The build spec: everything a user asks for, validated at the edge. Nothing
 * here is ever interpolated into a shell command: options become lines of a
 * Kconfig fragment file, everything else becomes argv elements chosen from
 * fixed vocabularies.
 */

export const BASE_CONFIG_TARGETS = ["tinyconfig", "defconfig", "allnoconfig"] as const;
export const ARCHITECTURES = ["x86_64"] as const;

export const MAX_OPTIONS = 2000;
export const MAX_UPLOADED_CONFIG_BYTES = 1024 * 1024;
export const MAX_JOBS = 64;

/**
 * Options whose value names a file the build reads (into the image, the
 * initramfs, or as signing keys). A user could point them at host files and
 * get them back in an artifact, so only relative paths inside the tree are
 * allowed (or empty).
 */
export const PATH_VALUED_OPTIONS = new Set([
  "INITRAMFS_SOURCE",
  "EXTRA_FIRMWARE",
  "EXTRA_FIRMWARE_DIR",
  "MODULE_SIG_KEY",
  "SYSTEM_TRUSTED_KEYS",
  "SYSTEM_REVOCATION_KEYS",
  "SYSTEM_BLACKLIST_HASH_LIST",
  "UNUSED_KSYMS_WHITELIST",
  "EFI_SBAT_FILE",
  "BUILTIN_DTB_SOURCE",
  "LSM_MMAP_MIN_ADDR_FILE",
]);

const SYMBOL = /^[A-Za-z0-9_]+$/;

/** Why a path-valued option's value is unsafe, or null when it is fine. */
export function pathValueProblem(symbol: string, value: string): string | null {
  if (!PATH_VALUED_OPTIONS.has(symbol) || !value.startsWith('"')) return null;
  const text = unquoteConfigString(value);
  // Some of these options hold several space-separated file names.
  for (const part of text.split(/\s+/).filter(Boolean)) {
    if (part.startsWith("/") || part.startsWith("~")) {
      return `CONFIG_${symbol} names a file by absolute path (${part}); only paths relative to the kernel tree are allowed, since host files must not end up in a build`;
    }
    if (part.split("/").includes("..")) {
      return `CONFIG_${symbol} leaves the kernel tree with "..": ${part}`;
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(part)) {
      return `CONFIG_${symbol} names a URI (${part}); only paths relative to the kernel tree are allowed`;
    }
  }
  return null;
}

/**
 * What in an uploaded .config must be refused. The kernel's reader is lenient
 * (it reads a string up to its first unescaped quote, ignores what follows and
 * drops the backslash of any escape), so a path-valued option on a line we
 * cannot read strictly is refused rather than skipped.
 */
export function uploadedConfigProblems(text: string): string[] {
  const parsed = parseDotConfig(text);
  const problems: string[] = [];
  for (const w of parsed.warnings) {
    const symbol = /CONFIG_([A-Za-z0-9_]+)/.exec(w.text)?.[1];
    if (symbol && PATH_VALUED_OPTIONS.has(symbol)) {
      problems.push(`line ${w.line}: CONFIG_${symbol} is not a well-formed assignment (${w.message}); path-valued options must be`);
    }
  }
  for (const [symbol, value] of parsed.values) {
    const problem = pathValueProblem(symbol, value);
    if (problem) problems.push(problem);
  }
  return problems;
}

/** One requested option: symbol without CONFIG_, value as it would be written in .config. */
export const OptionSchema = z
  .object({
    symbol: z
      .string()
      .transform((s) => s.replace(/^CONFIG_/, ""))
      .pipe(z.string().min(1).max(100).regex(SYMBOL, "a Kconfig symbol is made of letters, digits and _")),
    value: z.string().max(4096),
  })
  .superRefine((opt, ctx) => {
    if (classifyValue(opt.value) === null) {
      ctx.addIssue({
        code: "custom",
        path: ["value"],
        message: `CONFIG_${opt.symbol}=${opt.value} is not a Kconfig value: use y, m, n, a number, 0x-hex, or a "double-quoted string"`,
      });
      return;
    }
    if (/[\u0000-\u001f\u007f]/.test(opt.value)) {
      ctx.addIssue({ code: "custom", path: ["value"], message: `CONFIG_${opt.symbol} contains control characters` });
    }
    const problem = pathValueProblem(opt.symbol, opt.value);
    if (problem) ctx.addIssue({ code: "custom", path: ["value"], message: problem });
  });

export type BuildOption = z.infer<typeof OptionSchema>;

const BaseConfigSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("target"), target: z.enum(BASE_CONFIG_TARGETS) }),
  z.object({
    kind: z.literal("upload"),
    /** Display name only; never used as a path. */
    fileName: z.string().max(255).default(".config"),
    text: z
      .string()
      .refine(
        (text) => new TextEncoder().encode(text).length <= MAX_UPLOADED_CONFIG_BYTES,
        `an uploaded .config may be at most ${MAX_UPLOADED_CONFIG_BYTES / 1024} KiB`,
      ),
  }),
]);

export const BuildSpecSchema = z
  .object({
    /** A registered kernel source, by name (e.g. "linux-6.1"); never a path. */
    source: z.string().min(1).max(100),
    profile: z.string().min(1).max(100),
    arch: z.enum(ARCHITECTURES).default("x86_64"),
    baseConfig: BaseConfigSchema,
    options: z.array(OptionSchema).max(MAX_OPTIONS, `at most ${MAX_OPTIONS} options`).default([]),
    jobs: z.number().int().min(1).max(MAX_JOBS).default(2),
    /** What to build after configuring (lib/builds/targets); none: a configure-only build. */
    targets: z
      .array(z.string())
      .default([])
      .refine((names) => new Set(names).size === names.length, "a target is listed twice")
      .superRefine((names, ctx) => {
        names.forEach((name, i) => {
          if (!TARGETS.has(name)) {
            ctx.addIssue({ code: "custom", path: [i], message: `unknown target ${JSON.stringify(name)}; known: ${TARGET_NAMES.join(", ")}` });
          }
        });
      }),
  })
  .superRefine((spec, ctx) => {
    const seen = new Map<string, number>();
    spec.options.forEach((opt, i) => {
      const prev = seen.get(opt.symbol);
      if (prev !== undefined) {
        ctx.addIssue({ code: "custom", path: ["options", i], message: `CONFIG_${opt.symbol} is requested twice` });
      }
      seen.set(opt.symbol, i);
    });
    if (spec.baseConfig.kind === "upload") {
      for (const message of uploadedConfigProblems(spec.baseConfig.text)) {
        ctx.addIssue({ code: "custom", path: ["baseConfig", "text"], message: `uploaded .config: ${message}` });
      }
    }
  });

export type BuildSpecInput = z.input<typeof BuildSpecSchema>;
export type BuildSpec = z.output<typeof BuildSpecSchema>;

/** Rust is requested when the spec asks for CONFIG_RUST=y. */
export function wantsRust(spec: BuildSpec): boolean {
  return spec.options.some((o) => o.symbol === "RUST" && o.value === "y");
}

/** The `options` as a Kconfig fragment, in request order. */
export function fragmentText(options: BuildOption[]): string {
  return options.map((o) => (o.value === "n" ? `# CONFIG_${o.symbol} is not set` : `CONFIG_${o.symbol}=${o.value}`)).join("\n") + "\n";
}

/**
 * Parses `CONFIG_X=value` lines (also `# CONFIG_X is not set`), as typed in the
 * extra-options box, into options, with a message per line that is not one.
 */
export function parseOptionLines(text: string): { options: BuildOption[]; errors: string[] } {
  const options: BuildOption[] = [];
  const errors: string[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const unset = /^# (CONFIG_[A-Za-z0-9_]+) is not set$/.exec(line);
    const assign = /^(CONFIG_[A-Za-z0-9_]+)=(.*)$/.exec(line);
    const pair = unset ? { symbol: unset[1]!, value: "n" } : assign ? { symbol: assign[1]!, value: assign[2]! } : null;
    if (!pair) {
      errors.push(`line ${i + 1}: expected CONFIG_NAME=value, got ${JSON.stringify(line.slice(0, 80))}`);
      return;
    }
    const parsed = OptionSchema.safeParse(pair);
    if (parsed.success) options.push(parsed.data);
    else errors.push(`line ${i + 1}: ${parsed.error.issues.map((x) => x.message).join("; ")}`);
  });
  return { options, errors };
}

export interface SymbolInfo {
  name: string;
  type: string;
}

/**
 * Checks requested options against the symbols the chosen tree defines: unknown
 * symbols and values the symbol's type cannot take are errors.
 */
export function checkOptionsAgainstTree(
  options: BuildOption[],
  symbols: Map<string, SymbolInfo>,
  treeName: string,
): string[] {
  const errors: string[] = [];
  for (const opt of options) {
    const sym = symbols.get(opt.symbol);
    if (!sym) {
      errors.push(`CONFIG_${opt.symbol} is not defined by ${treeName}`);
      continue;
    }
    const kind = classifyValue(opt.value);
    const ok =
      sym.type === "bool"
        ? opt.value === "y" || opt.value === "n"
        : sym.type === "tristate"
          ? kind === "tristate"
          : sym.type === "int"
            ? kind === "int"
            : sym.type === "hex"
              ? kind === "hex"
              : sym.type === "string"
                ? kind === "string"
                : true;
    if (!ok) errors.push(`CONFIG_${opt.symbol} is a ${sym.type} option; ${opt.value} is not a ${sym.type} value`);
  }
  return errors;
}
