import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactStore } from "../lib/artifacts";
import { createDb } from "../lib/db/client";
import type { WhyNode } from "../lib/kconfig/engine/explain";
import { deserializeKconfig } from "../lib/kconfig/engine/serialize";
import { ConfigSession } from "../lib/kconfig/engine/session";
import { checkConfigText, helpTexts, modelState, type ModelRequest } from "../lib/kconfig/model/service";
import { outlineOf } from "../lib/kconfig/model/outline";
import { gzipped, modelObject, outlineObject, readStoredJson } from "../lib/kconfig/model/store";
import type { ConfiguratorModel, ConfiguratorOutline } from "../lib/kconfig/model/types";
import { redis } from "../lib/redis";
import { DEFAULT_ACTOR } from "../lib/auth/current";
import { submitBuild } from "../lib/builds/service";
import { sourceOfVersion, waitForEnd, waitUntil } from "../test/builds";
import { WorkerProcess } from "../test/worker-process";

/**
 * Configurator models of the real 6.1 tree, prepared by a real worker process
 * in the profile's sandbox and asked for the way the API asks.
 */
const db = createDb();
let worker: WorkerProcess;
let source: string;

beforeAll(async () => {
  await redis().flushdb();
  worker = await WorkerProcess.start("int-kconfig-worker");
  source = (await sourceOfVersion(db, "6.1")).name;
});

afterAll(async () => {
  await worker?.stop();
  await db.$disconnect();
  redis().disconnect();
});

async function readyModel(req: ModelRequest): Promise<ConfiguratorModel> {
  const first = await modelState(db, req);
  expect(first.status).toBe("preparing");
  const ready = await waitUntil(
    `the model of ${req.profile}`,
    async () => {
      const s = await modelState(db, req);
      if (s.status === "failed") throw new Error(s.error);
      return s.status === "ready" ? s : null;
    },
    10 * 60_000,
  );
  return (await readStoredJson<ConfiguratorModel>(artifactStore(), ready.object))!;
}

const flat = (n: WhyNode | null): WhyNode[] => (n ? [n, ...n.children.flatMap(flat)] : []);

describe("configurator models prepared by a worker", () => {
  it("explains that RUST cannot be enabled without rust-src, with the check's own words", async () => {
    const req = { source, arch: "x86_64", profile: "debian-bookworm-llvm14-no-rust-src" };
    const stored = await readyModel(req);
    expect(stored.macroCount).toBeGreaterThan(50);
    expect(Object.keys(stored.bases).sort()).toEqual(["allnoconfig", "defconfig", "tinyconfig"]);
    expect(JSON.stringify(stored)).not.toMatch(/\.cache\/kbuild/);
    // Beside it: the page's outline, and gzipped copies the web server sends as they are.
    const outline = (await readStoredJson<ConfiguratorOutline>(artifactStore(), outlineObject(stored.key)))!;
    expect(outline.outline).toEqual(JSON.parse(JSON.stringify(outlineOf(stored.model))));
    expect(outline.bases).toEqual(stored.bases);
    for (const object of [modelObject(stored.key), outlineObject(stored.key)]) {
      const packed = await artifactStore().read(gzipped(object));
      const chunks: Buffer[] = [];
      for await (const c of packed) chunks.push(c as Buffer);
      expect(gunzipSync(Buffer.concat(chunks)).length).toBe(await artifactStore().size(object));
    }

    const session = new ConfigSession(deserializeKconfig(stored.model), stored.bases.defconfig!);
    expect(session.set("RUST", "y").ok).toBe(false);
    const nodes = flat(session.detail("RUST").whyNotOn);
    expect(nodes.map((n) => n.text)).toContain("RUST_IS_AVAILABLE = n");
    const macro = nodes.find((n) => n.kind === "macro")!;
    expect(macro.source).toMatch(/rust_is_available\.sh/);
    expect(macro.macros![0]!.diagnostic).toMatch(/could not be found/);

    const rustMenu = stored.model.symbols.find((s) => s.n === "RUST")!.m[0]!;
    expect((await helpTexts(db, req, [rustMenu]))![rustMenu]).toMatch(/Rust/);

    const check = await checkConfigText(db, req, "CONFIG_RUST=y\nCONFIG_NO_SUCH_THING=y\nnot a line\nCONFIG_NR_CPUS=lots\n");
    expect(check.warnings!.map((w) => w.line)).toEqual([2, 3, 4]);
  });

  it("lets RUST and the Rust samples be enabled with Debian's toolchain", async () => {
    const stored = await readyModel({ source, arch: "x86_64", profile: "debian-bookworm-llvm14" });
    const session = new ConfigSession(deserializeKconfig(stored.model), stored.bases.tinyconfig!);
    for (const [symbol, value] of [["64BIT", "y"], ["MODULES", "y"], ["RUST", "y"], ["SAMPLES", "y"], ["SAMPLES_RUST", "y"], ["SAMPLE_RUST_MINIMAL", "m"]] as const) {
      expect(session.set(symbol, value), symbol).toMatchObject({ ok: true });
    }
    expect(session.options().map((o) => o.symbol)).toEqual(expect.arrayContaining(["RUST", "SAMPLE_RUST_MINIMAL"]));
    expect(session.detail("SAMPLE_RUST_MINIMAL").locations[0]!.path).toEqual(["Kernel hacking", "Sample kernel code", "Rust samples"]);
  });

  it("checks a build's .config against the engine and explains a dropped option with the engine's tree", async () => {
    // The model of this source and profile is ready (the test above); Rust samples without Rust are dropped.
    const { id } = await submitBuild(db, DEFAULT_ACTOR, {
      source,
      profile: "debian-bookworm-llvm14",
      baseConfig: { kind: "target", target: "tinyconfig" },
      options: [{ symbol: "SAMPLES", value: "y" }, { symbol: "SAMPLES_RUST", value: "y" }],
    });
    const build = await waitForEnd(db, id);
    expect(build.status, build.statusReason ?? "").toBe("failed");
    expect(build.engineCheck).toMatchObject({ status: "agrees" });
    const dropped = (build.configReport as { symbol: string; ok: boolean; explanation: string }[]).filter((r) => !r.ok);
    expect(dropped.map((d) => d.symbol)).toEqual(["SAMPLES_RUST"]);
    expect(dropped[0]!.explanation).toMatch(/^CONFIG_SAMPLES_RUST=y was dropped by olddefconfig \(it is n\):\n/);
    expect(dropped[0]!.explanation).toMatch(/RUST = n/);
  });
});
