// Generates the Prisma client. The Prisma CLI insists on downloading its schema
// engine at start even though `generate` never uses it; where the engine is not
// installed (our machines cannot reach its download site) we point it at a
// placeholder file. A machine that has the real engine keeps the normal path.
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const env = { ...process.env };
const engineDir = path.join("node_modules", "@prisma", "engines");
const hasEngine = existsSync(engineDir) &&
  (await import("node:fs")).readdirSync(engineDir).some((f) => f.startsWith("schema-engine"));
if (!hasEngine && !env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const placeholder = path.join(mkdtempSync(path.join(tmpdir(), "kbuild-prisma-")), "schema-engine");
  writeFileSync(placeholder, "");
  env.PRISMA_SCHEMA_ENGINE_BINARY = placeholder;
}
const result = spawnSync("npx", ["prisma", "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
