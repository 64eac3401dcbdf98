import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { stepEnvironment } from "../lib/builds/plan";
import { loadProfiles } from "../lib/toolchain/profiles";
import { kernelTree61 } from "../test/kernel-tree";
import { BwrapRuntime } from "../worker/runtimes/bwrap";
import { E2E_RUN_DIR } from "./env";
import { loadKernelBuild, vermagicOf } from "./kernel";

/**
 * What the kernel build left, checked through the API: every artifact's bytes
 * match its recorded size and sha256 (also over a Range), and the module kit
 * alone — with the kernel source at /src as in the build — builds the
 * article's out-of-tree Rust module for that kernel.
 */
const run = promisify(execFile);

interface ArtifactView {
  name: string;
  size: number;
  sha256: string;
  url: string;
}

test("every artifact's bytes match its size and sha256", async ({ request }) => {
  const { buildId } = await loadKernelBuild();
  const build = await (await request.get(`/api/v1/builds/${buildId}`)).json();
  const names = (build.artifacts as ArtifactView[]).map((a) => a.name);
  for (const expected of ["bzImage", "System.map", ".config", "vmlinux.xz", "rust_minimal.ko", "modules.tar.xz", "module-kit.tar.xz", "build.log.gz", "metadata.json"]) {
    expect(names).toContain(expected);
  }
  for (const a of build.artifacts as ArtifactView[]) {
    const body = await (await request.get(a.url)).body();
    expect(body.length, a.name).toBe(a.size);
    expect(createHash("sha256").update(body).digest("hex"), a.name).toBe(a.sha256);
  }
  const bzImage = (build.artifacts as ArtifactView[]).find((a) => a.name === "bzImage")!;
  const part = await request.get(bzImage.url, { headers: { Range: "bytes=514-517" } });
  expect(part.status()).toBe(206);
  expect((await part.body()).toString()).toBe("HdrS");

  const metadata = await (await request.get(`/api/v1/builds/${buildId}/artifacts/metadata.json`)).json();
  expect(metadata.toolchain.rustc).toMatch(/^rustc \d+\.\d+\.\d+/);
  // It ran in its profile's toolchain image, whose id it recorded.
  expect(metadata.runtime).toMatchObject({ runtime: "docker", image: expect.stringContaining("kbuild-toolchain"), imageId: expect.stringMatching(/^sha256:/) });
  expect(names).toContain("reproduce.sh");
  expect(metadata.ccache).toMatchObject({ calls: expect.any(Number), hits: expect.any(Number), misses: expect.any(Number) });
  expect(metadata.ccache.hits + metadata.ccache.misses).toBeGreaterThan(100);
  expect(metadata.steps.find((s: { name: string }) => s.name === "make")).toMatchObject({ status: "succeeded", exitCode: 0 });
});

test("the module kit builds the article's out-of-tree Rust module", async ({ request }) => {
  const { buildId, kernelVersion } = await loadKernelBuild();
  const dir = path.join(E2E_RUN_DIR, "module-kit-check");
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.join(dir, "kit"), { recursive: true });
  const kit = await (await request.get(`/api/v1/builds/${buildId}/artifacts/module-kit.tar.xz`)).body();
  await writeFile(path.join(dir, "module-kit.tar.xz"), kit);
  await run("tar", ["-x", "-J", "-f", path.join(dir, "module-kit.tar.xz"), "-C", path.join(dir, "kit")]);
  await cp(path.join(import.meta.dirname, "fixtures", "hello_world"), path.join(dir, "module"), { recursive: true });

  // The kit at /out and the tree at /src, as in the build; only the module's directory is writable.
  const profile = (await loadProfiles()).get("debian-bookworm-llvm14")!;
  const variables = Object.entries(profile.makeVariables).map(([k, v]) => `${k}=${v}`);
  const lines: string[] = [];
  const result = await new BwrapRuntime().run({
    argv: ["make", "-C", "/out", "M=/module", ...variables, "modules"],
    env: stepEnvironment(profile),
    cwd: "/module",
    mounts: [
      ...profile.hostPaths.map((p) => ({ host: p, target: p, writable: false })),
      { host: await kernelTree61(), target: "/src", writable: false },
      { host: path.join(dir, "kit"), target: "/out", writable: false },
      { host: path.join(dir, "module"), target: "/module", writable: true },
    ],
    signal: new AbortController().signal,
    onLine: (text) => lines.push(text),
  });
  expect(result.exitCode, lines.join("\n")).toBe(0);
  const ko = await readFile(path.join(dir, "module", "hello_world.ko"));
  expect(vermagicOf(ko).split(" ")[0]).toBe(kernelVersion);
});
