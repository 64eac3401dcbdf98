import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * What the configurator's Web Worker and page load must never reach Node's
 * built-ins: the Kconfig engine is shared with the server, and a file that
 * reads the tree (parser.ts, targets.ts, index.ts) must stay out of the bundle.
 */
const ROOT = path.join(import.meta.dirname, "..", "..");

function localImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^'"]*?from\s+["']([^"']+)["']/gm)].map((m) => m[1]!);
  return specs;
}

function resolve(from: string, spec: string): string | null {
  const base = spec.startsWith("@/") ? path.join(ROOT, spec.slice(2)) : spec.startsWith(".") ? path.join(path.dirname(from), spec) : null;
  if (!base) return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")]) {
    try {
      readFileSync(candidate);
      return candidate;
    } catch {
      // next candidate
    }
  }
  throw new Error(`cannot resolve ${spec} from ${from}`);
}

function reach(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const stack = [entry];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    const specs = localImports(file);
    seen.set(file, specs);
    for (const spec of specs) {
      const target = resolve(file, spec);
      if (target) stack.push(target);
    }
  }
  return seen;
}

describe.each(["components/configurator/kconfig.worker.ts", "components/configurator/Configurator.tsx", "components/NewBuildForm.tsx"])("%s", (entry) => {
  it("imports no Node built-in, directly or through the engine", () => {
    const graph = reach(path.join(ROOT, entry));
    const offenders = [...graph].flatMap(([file, specs]) => specs.filter((s) => s.startsWith("node:") || ["fs", "child_process", "path", "os"].includes(s)).map((s) => `${path.relative(ROOT, file)} imports ${s}`));
    expect(offenders).toEqual([]);
    expect([...graph.keys()].map((f) => path.relative(ROOT, f))).toContain(entry);
  });
});

it("would notice: the engine's loader reads files", () => {
  const graph = reach(path.join(ROOT, "lib/kconfig/engine/index.ts"));
  expect([...graph.values()].flat()).toContain("node:fs");
});
