import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactStore } from "../../lib/artifacts";
import { DEFAULT_ACTOR } from "../../lib/auth/current";
import { submitBuild } from "../../lib/builds/service";
import { config, parseSize } from "../../lib/config";
import { createDb } from "../../lib/db/client";
import { redis } from "../../lib/redis";
import { type ToolchainProfile, loadProfiles } from "../../lib/toolchain/profiles";
import { waitForEnd, waitForStep } from "../../test/builds";
import { kernelTree61 } from "../../test/kernel-tree";
import { WorkerProcess } from "../../test/worker-process";
import { BUILD_LABEL, DockerRuntime, INSTALL_LABEL } from "./docker";
import type { RunResult, Sandbox } from "./runtime";

/**
 * The container runtime's promises, against the real engine and the real
 * toolchain image (scripts/setup.sh starts dockerd and builds the image).
 */
const run = promisify(execFile);
const docker = new Docker({ socketPath: config().dockerSocket });
const limits = { ...config().container, memoryBytes: parseSize("2g") };
// The test environment's prefix (KBUILD_TEST_PREFIX): containers are labelled, listed and removed by it.
const install = config().prefix;
const runtime = new DockerRuntime(docker, limits, install);
let profile: ToolchainProfile;
let tree: string;
let out: string;
const sandboxes: Sandbox[] = [];

async function open(over: Partial<{ buildId: string; workerId: string; runtime: DockerRuntime }> = {}): Promise<Sandbox> {
  const s = await (over.runtime ?? runtime).open({
    buildId: over.buildId ?? `test-${sandboxes.length}`,
    workerId: over.workerId ?? "docker-test-worker",
    profile,
    mounts: [
      { host: tree, target: "/src", writable: false },
      { host: out, target: "/out", writable: true },
    ],
  });
  sandboxes.push(s);
  return s;
}

async function sh(sandbox: Sandbox, script: string, signal = new AbortController().signal): Promise<RunResult & { lines: string[] }> {
  const lines: string[] = [];
  const result = await sandbox.run({ argv: ["sh", "-c", script], env: { PATH: "/usr/bin:/bin" }, cwd: "/out", signal, onLine: (l) => lines.push(l) });
  return { ...result, lines };
}

async function artifactText(buildId: string, name: string): Promise<string> {
  let text = "";
  for await (const chunk of await artifactStore().read(`builds/${buildId}/${name}`)) text += chunk.toString();
  return text;
}

beforeAll(async () => {
  await docker.ping().catch((err: Error) => {
    throw new Error(`no container engine at ${config().dockerSocket}: ${err.message} (scripts/setup.sh starts dockerd)`);
  });
  profile = (await loadProfiles()).get("debian-bookworm-llvm14")!;
  await docker.getImage(profile.image!).inspect().catch(() => {
    throw new Error(`the toolchain image ${profile.image} is missing: run toolchain/build-image.sh ${profile.id}`);
  });
  tree = await mkdtemp(path.join(os.tmpdir(), "kbuild-docker-tree-"));
  out = await mkdtemp(path.join(os.tmpdir(), "kbuild-docker-out-"));
  await writeFile(path.join(tree, "Makefile"), "VERSION = 6\n");
  // Writable by anyone on the host: only the read-only mount keeps the build from writing it.
  await chmod(tree, 0o777);
});

afterAll(async () => {
  await Promise.all(sandboxes.map((s) => s.close()));
  await rm(tree, { recursive: true, force: true });
  await rm(out, { recursive: true, force: true });
});

describe("container runtime", () => {
  it("runs a build's steps in one labelled container, as a user who is not root, without capabilities", async () => {
    const s = await open({ buildId: "one-container" });
    const first = await sh(s, "id -u; grep ^CapEff /proc/self/status; echo $$ > /tmp/mark");
    expect(first.exitCode).toBe(0);
    expect(first.lines[0]).toBe(limits.user.split(":")[0]);
    expect(first.lines[1]).toMatch(/^CapEff:\s+0+$/);
    // The second step sees the first one's /tmp: the same container.
    expect((await sh(s, "cat /tmp/mark")).exitCode).toBe(0);
    const mine = await docker.listContainers({ filters: { label: [`${INSTALL_LABEL}=${install}`, `${BUILD_LABEL}=one-container`] } });
    expect(mine).toHaveLength(1);
    expect(s.info).toMatchObject({ runtime: "docker", image: profile.image, imageId: expect.stringMatching(/^sha256:/) });
  });

  it("has the toolchain of its profile", async () => {
    const s = await open();
    const r = await sh(s, `${profile.binaries.rustc} --version && ${profile.binaries.clang} --version | head -n1 && ${profile.binaries.bindgen} --version`);
    expect(r.exitCode, r.lines.join("\n")).toBe(0);
    expect(r.lines[0]).toContain(`rustc ${profile.versions.rustc}`);
    expect(r.lines[1]).toContain(profile.versions.llvm);
    expect(r.lines[2]).toContain(profile.versions.bindgen);
  });

  it("writes only the build's writable mounts: the source and the image are read-only", async () => {
    const s = await open();
    expect((await sh(s, "touch /out/written")).exitCode).toBe(0);
    expect(await readFile(path.join(out, "written"), "utf8")).toBe("");
    const src = await sh(s, "touch /src/nope");
    expect(src.exitCode).not.toBe(0);
    expect(src.lines.join("\n")).toMatch(/Read-only file system/);
    expect((await sh(s, "touch /usr/bin/nope")).exitCode).not.toBe(0);
  });

  it("has no network: reaching the Debian archive fails", async () => {
    const s = await open();
    const r = await sh(s, "python3 -c \"import urllib.request; urllib.request.urlopen('http://deb.debian.org/debian/', timeout=10)\"; echo exit=$?; ls /sys/class/net");
    expect(r.lines).toContain("exit=1");
    expect(r.lines.join("\n")).toMatch(/URLError|Temporary failure|Network is unreachable|Name or service not known/);
    expect(r.lines.at(-1)).toBe("lo");
  });

  it("kills a step that runs past the memory limit and says it was the limit", async () => {
    const small = new DockerRuntime(docker, { ...limits, memoryBytes: parseSize("64m") }, install);
    const s = await open({ runtime: small });
    const r = await sh(s, "python3 -c 'b = bytearray(512 * 1024 * 1024); print(len(b))'");
    expect(r.exitCode).not.toBe(0);
    expect(r.oomKilled).toBe(true);
  });

  it("cancel stops the running step at once", async () => {
    const s = await open();
    const abort = new AbortController();
    const started = Date.now();
    setTimeout(() => abort.abort(), 500);
    const r = await sh(s, "sleep 120", abort.signal);
    expect(r.aborted).toBe(true);
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it("removes the containers of vanished workers, and only those", async () => {
    await open({ buildId: "orphan", workerId: "vanished-worker" });
    await open({ buildId: "alive", workerId: "live-worker" });
    const removed = await runtime.removeOrphans(async (id) => id !== "vanished-worker");
    expect(removed.join(" ")).toContain("build orphan");
    expect(await docker.listContainers({ all: true, filters: { label: [`${INSTALL_LABEL}=${install}`, `${BUILD_LABEL}=orphan`] } })).toHaveLength(0);
    expect(await docker.listContainers({ all: true, filters: { label: [`${INSTALL_LABEL}=${install}`, `${BUILD_LABEL}=alive`] } })).toHaveLength(1);
  });
});

describe("builds in containers", () => {
  const db = createDb();
  afterAll(async () => {
    await db.$disconnect();
    redis().disconnect();
  });

  it("a configure-only build runs in the profile's image and records it", async () => {
    const worker = await WorkerProcess.start("int-docker", { KBUILD_RUNTIME: "docker" });
    try {
      // At start the worker says which image each profile has and what tools are in it.
      const announced = worker.output.find((l) => l.includes(`profile ${profile.id}: image ${profile.image}`));
      expect(announced).toContain(`rustc rustc ${profile.versions.rustc}`);
      expect(announced).toContain("rust-src present");
      const { id } = await submitBuild(db, DEFAULT_ACTOR, {
        source: "linux-6.1",
        profile: profile.id,
        baseConfig: { kind: "target", target: "tinyconfig" },
        options: [{ symbol: "RUST", value: "y" }, { symbol: "64BIT", value: "y" }],
      });
      const build = await waitForEnd(db, id);
      expect(build.status, build.statusReason ?? "").toBe("succeeded");
      expect(build.toolchain).toMatchObject({ runtime: "docker", image: profile.image, imageId: expect.stringMatching(/^sha256:/) });
      expect(await docker.listContainers({ all: true, filters: { label: [`${INSTALL_LABEL}=${install}`, `${BUILD_LABEL}=${id}`] } })).toHaveLength(0);

      // reproduce.sh rebuilds the same .config by hand, in the same image.
      const dir = await mkdtemp(path.join(os.tmpdir(), "kbuild-reproduce-"));
      try {
        await chmod(dir, 0o777);
        await writeFile(path.join(dir, "reproduce.sh"), await artifactText(id, "reproduce.sh"));
        await run("bash", [path.join(dir, "reproduce.sh")], { env: { ...process.env, SRC: await kernelTree61(), OUT: dir }, maxBuffer: 64 * 1024 * 1024 });
        expect(await readFile(path.join(dir, ".config"), "utf8")).toBe(await artifactText(id, ".config"));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    } finally {
      await worker.stop();
    }
  });

  it("a build whose engine disappears mid-step ends in error, saying so", async () => {
    // The worker talks to the engine through a proxy socket, closed mid-build as a stopped engine would be.
    const socket = path.join(os.tmpdir(), `kbuild-engine-${process.pid}.sock`);
    const links = new Set<net.Socket>();
    const proxy = net.createServer((client) => {
      const engine = net.connect(config().dockerSocket);
      for (const s of [client, engine]) {
        links.add(s);
        s.on("close", () => links.delete(s));
        s.on("error", () => {});
      }
      client.pipe(engine).pipe(client);
    });
    await new Promise<void>((resolve) => proxy.listen(socket, resolve));
    const worker = await WorkerProcess.start("int-docker-gone", { KBUILD_RUNTIME: "docker", KBUILD_DOCKER_SOCKET: socket });
    let id = "";
    try {
      ({ id } = await submitBuild(db, DEFAULT_ACTOR, { source: "linux-6.1", profile: profile.id, baseConfig: { kind: "target", target: "defconfig" } }));
      await waitForStep(db, id, ["base-config"]);
      proxy.close();
      for (const s of links) s.destroy();
      const build = await waitForEnd(db, id);
      expect(build.status).toBe("error");
      expect(build.statusReason).toMatch(/container engine stopped answering/);
      expect(build.logLines).toBeGreaterThan(0);
    } finally {
      await worker.stop();
      proxy.close();
      for (const c of await docker.listContainers({ all: true, filters: { label: [`${INSTALL_LABEL}=${install}`, `${BUILD_LABEL}=${id}`] } })) {
        await docker.getContainer(c.Id).remove({ force: true });
      }
    }
  });

  it("a build that runs out of the container's memory fails, saying so", async () => {
    const worker = await WorkerProcess.start("int-docker-small", { KBUILD_RUNTIME: "docker", KBUILD_CONTAINER_MEMORY: "24m" });
    try {
      const { id } = await submitBuild(db, DEFAULT_ACTOR, { source: "linux-6.1", profile: profile.id, baseConfig: { kind: "target", target: "tinyconfig" } });
      const build = await waitForEnd(db, id);
      expect(build.status).toBe("failed");
      expect(build.statusReason).toMatch(/killed for running out of memory.*KBUILD_CONTAINER_MEMORY/);
    } finally {
      await worker.stop();
    }
  });
});
