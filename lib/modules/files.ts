import { z } from "zod";
import type { ModuleLimits } from "./limits";

/**
 * A module as submitted: text files under one directory. Their names are
 * checked here, at the edge, before anything is written: relative paths of at
 * most a few segments, each made of a whitelist of characters and never
 * starting with a dot (so no "..", no hidden files or directories), and no
 * name that kbuild itself reads back from the build directory.
 */
export const MAX_PATH_LENGTH = 200;
export const MAX_DEPTH = 4;
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,99}$/;

/** Files the build produces or kbuild reads back; a module may not bring its own. */
const RESERVED = [/\.ko$/, /\.o$/, /^Module\.symvers$/, /^modules\.order$/, /\.mod(\.c)?$/];

/** Why a file name is refused, or null when it is fine. */
export function fileNameProblem(name: string): string | null {
  if (!name) return "a file name is empty";
  if (name.length > MAX_PATH_LENGTH) return `${JSON.stringify(name.slice(0, 40))}… is longer than ${MAX_PATH_LENGTH} characters`;
  if (name.startsWith("/")) return `${JSON.stringify(name)} is an absolute path; name files relative to the module's directory`;
  if (name.includes("\\")) return `${JSON.stringify(name)} contains a backslash; separate directories with /`;
  const segments = name.split("/");
  // The gravest problem first: a path that leaves the directory is named as such, however deep.
  if (segments.includes("..")) return `${JSON.stringify(name)} leaves the module's directory with ".."`;
  for (const s of segments) {
    if (s.startsWith(".")) return `${JSON.stringify(name)} is hidden or names a hidden directory (a name starting with ".")`;
    if (!SEGMENT.test(s)) return `${JSON.stringify(name)} may only use letters, digits, "_", "-", "+" and "." (not first), "/" between directories`;
  }
  if (segments.length > MAX_DEPTH) return `${JSON.stringify(name)} is more than ${MAX_DEPTH} levels deep`;
  const base = segments.at(-1)!;
  if (RESERVED.some((re) => re.test(base))) return `${JSON.stringify(name)} is a name the build produces (.ko, .o, .mod, Module.symvers, modules.order)`;
  return null;
}

export const ModuleFileSchema = z.object({
  path: z.string().superRefine((p, ctx) => {
    const problem = fileNameProblem(p);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
  content: z.string().refine((c) => !c.includes("\0"), "only text files: this one contains a NUL byte"),
});

export type ModuleFile = z.infer<typeof ModuleFileSchema>;

export const MAX_MODULE_JOBS = 8;

/** What a user asks for: the files, and the template they started from (for the page only). */
export function moduleRequestSchema(limits: ModuleLimits) {
  return z
    .object({
      files: z.array(ModuleFileSchema).min(1, "a module needs at least a Makefile (or Kbuild) and one source file").max(limits.maxFiles, `at most ${limits.maxFiles} files (KBUILD_MODULE_MAX_FILES)`),
      template: z.string().regex(/^[a-z0-9.-]{1,64}$/).optional(),
      jobs: z.number().int().min(1).max(MAX_MODULE_JOBS).default(2),
    })
    .strict()
    .superRefine((m, ctx) => {
      const seen = new Set<string>();
      for (const [i, f] of m.files.entries()) {
        const key = f.path.toLowerCase();
        if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["files", i, "path"], message: `${JSON.stringify(f.path)} is given twice` });
        seen.add(key);
      }
      // A file may not also be a directory of another ("a" and "a/b.rs").
      for (const [i, f] of m.files.entries()) {
        if (m.files.some((g) => g.path.startsWith(`${f.path}/`))) ctx.addIssue({ code: "custom", path: ["files", i, "path"], message: `${JSON.stringify(f.path)} is both a file and a directory` });
      }
      const bytes = m.files.reduce((n, f) => n + utf8Length(f.content) + f.path.length, 0);
      if (bytes > limits.maxBytes) ctx.addIssue({ code: "custom", path: ["files"], message: `the module's files add up to ${bytes} bytes, more than the limit of ${limits.maxBytes} (KBUILD_MODULE_MAX_BYTES)` });
      if (!m.files.some((f) => f.path === "Makefile" || f.path === "Kbuild")) {
        ctx.addIssue({ code: "custom", path: ["files"], message: 'a module needs a top-level "Makefile" or "Kbuild" (e.g. obj-m := hello_world.o)' });
      }
    });
}

export type ModuleRequest = z.infer<ReturnType<typeof moduleRequestSchema>>;

/** The spec stored with a module build (Build.spec): the request plus the kernel build it is built against. */
export const ModuleSpecSchema = z.object({
  kind: z.literal("module"),
  kernelBuild: z.string().uuid(),
  template: z.string().optional(),
  jobs: z.number().int().min(1).max(MAX_MODULE_JOBS),
  files: z.array(ModuleFileSchema),
});

export type ModuleSpec = z.infer<typeof ModuleSpecSchema>;

/** Bytes of a text in UTF-8; here in the browser as on the server. */
export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}
