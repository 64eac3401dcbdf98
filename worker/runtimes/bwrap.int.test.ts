import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProfiles } from "../../lib/toolchain/profiles";
import { BwrapRuntime } from "./bwrap";
import type { Mount, RunResult } from "./runtime";

/** The sandbox's promises, checked against the real bubblewrap. */
const runtime = new BwrapRuntime();
let tree: string;
let out: string;
let mounts: Mount[];

beforeAll(async () => {
  tree = await mkdtemp(path.join(os.tmpdir(), "kbuild-tree-"));
  out = await mkdtemp(path.join(os.tmpdir(), "kbuild-out-"));
  await writeFile(path.join(tree, "Makefile"), "VERSION = 6\n");
  const profile = (await loadProfiles()).get("debian-bookworm-llvm14")!;
  mounts = [
    ...profile.hostPaths.map((p) => ({ host: p, target: p, writable: false })),
    { host: tree, target: "/src", writable: false },
    { host: out, target: "/out", writable: true },
  ];
});

afterAll(async () => {
  await rm(tree, { recursive: true, force: true });
  await rm(out, { recursive: true, force: true });
});

async function sh(script: string, signal = new AbortController().signal): Promise<RunResult & { lines: string[] }> {
  const lines: string[] = [];
  const result = await runtime.run({
    argv: ["sh", "-c", script],
    env: { PATH: "/usr/bin:/bin" },
    cwd: "/out",
    mounts,
    signal,
    onLine: (l) => lines.push(l),
  });
  return { ...result, lines };
}

describe("bubblewrap runtime", () => {
  it("runs a command and reports its exit code and output lines", async () => {
    const r = await sh("echo one; echo two >&2; exit 3");
    expect(r.exitCode).toBe(3);
    expect(r.lines.sort()).toEqual(["one", "two"]);
  });

  it("has no network: a port open on the host is unreachable inside", async () => {
    const server = net.createServer((s) => s.end()).listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const host = await new Promise<boolean>((resolve) => {
        const c = net.connect(port, "127.0.0.1", () => (c.end(), resolve(true))).on("error", () => resolve(false));
      });
      expect(host).toBe(true); // reachable from the host, so the check below can fail
      const r = await sh(`bash -c 'echo > /dev/tcp/127.0.0.1/${port}' && echo connected || echo refused`);
      expect(r.lines).toContain("refused");
    } finally {
      server.close();
    }
  });

  it("mounts the tree read-only and only the output directory writable", async () => {
    const r = await sh("touch /src/new 2>/dev/null && echo src-writable; touch /out/made && echo out-writable; touch /usr/x 2>/dev/null && echo usr-writable; true");
    expect(r.lines).toEqual(["out-writable"]);
    expect(await readdir(tree)).toEqual(["Makefile"]);
    expect(await readdir(out)).toContain("made");
  });

  it("shows nothing of the host beyond its mounts", async () => {
    const r = await sh("ls -a / | tr '\\n' ' '; echo; test -e /etc/passwd && echo passwd; test -e /root && echo root; test -e /home && echo home; command -v rustc");
    expect(r.lines[0]!.trim().split(/\s+/).sort()).toEqual(
      expect.arrayContaining(["bin", "dev", "etc", "out", "proc", "src", "tmp", "usr"]),
    );
    expect(r.lines).not.toContain("passwd");
    expect(r.lines).not.toContain("root");
    expect(r.lines).not.toContain("home");
    // The profile's rustc: a rustup rustc earlier on the host's PATH is not even visible.
    expect(r.lines.at(-1)).toBe("/usr/bin/rustc");
  });

  it("abort ends the whole process tree", async () => {
    const marker = String(100000 + Math.floor(Math.random() * 800000));
    const controller = new AbortController();
    const lines: string[] = [];
    const running = runtime.run({
      argv: ["sh", "-c", `sleep ${marker} & sleep ${marker} & echo started; wait`],
      env: { PATH: "/usr/bin:/bin" },
      cwd: "/out",
      mounts,
      signal: controller.signal,
      onLine: (l) => {
        lines.push(l);
        if (l === "started") controller.abort();
      },
    });
    const result = await running;
    expect(lines).toEqual(["started"]);
    expect(result.aborted).toBe(true);
    expect(result.exitCode).not.toBe(0);
    // Give the kernel a moment to reap, then no `sleep <marker>` may be left anywhere.
    for (let i = 0; i < 50 && (await sleepers(marker)) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await sleepers(marker)).toBe(0);
  });
});

async function sleepers(marker: string): Promise<number> {
  let n = 0;
  for (const pid of await readdir("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    const cmd = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (cmd === `sleep\0${marker}\0`) n++;
  }
  return n;
}
