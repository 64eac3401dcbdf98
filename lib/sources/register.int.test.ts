import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareRegisteredSource } from "../../worker/sources";
import type { Actor } from "../auth/current";
import { RequestError } from "../builds/service";
import { config } from "../config";
import { createDb } from "../db/client";
import { createRedis } from "../redis";
import { keys } from "../redis";
import { type SourceNotice, registerSource, removeSource } from "./register";

/**
 * Registering kernel sources through the API's service against the real
 * PostgreSQL and Redis, and preparing them the way a worker does: only paths
 * whose real location is under a root, names once.
 */
const db = createDb();
const redis = createRedis();
const listener = createRedis();
const prefix = config().prefix;
// The default owner the first migration creates; role checks are the API's.
const admin: Actor = { userId: "default-user", organizationId: "default-team", role: "admin" };
const run = randomUUID().slice(0, 8);
const name = (what: string) => `reg-${run}-${what}`;
let top: string;
let root: string;
let outside: string;
let cacheDir: string;
const notices: SourceNotice[] = [];

/** The smallest tree prepareSource accepts: a top Makefile with the version, a Kconfig with one symbol. */
async function fakeTree(dir: string, version: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const [v, p, s] = version.split(".");
  await writeFile(path.join(dir, "Makefile"), `VERSION = ${v}\nPATCHLEVEL = ${p}\nSUBLEVEL = ${s}\nEXTRAVERSION =\n`);
  await writeFile(path.join(dir, "Kconfig"), 'config REGISTERED_TEST\n\tbool "a symbol of the registered tree"\n');
  return dir;
}

async function register(body: unknown) {
  return registerSource(db, redis, { roots: [root], prefix }, admin, body);
}

/** The RequestError a call throws. */
async function refusal(p: Promise<unknown>): Promise<RequestError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RequestError);
  return err as RequestError;
}

beforeAll(async () => {
  top = await realpath(await mkdtemp(path.join(os.tmpdir(), "kbuild-sources-")));
  root = path.join(top, "root");
  outside = path.join(top, "outside");
  cacheDir = path.join(top, "cache");
  await fakeTree(path.join(root, "linux-tree"), "6.1.7");
  await fakeTree(path.join(outside, "linux-secret"), "6.6.1");
  const staging = await fakeTree(path.join(top, "staging", "linux-6.9.2"), "6.9.2");
  execFileSync("tar", ["-c", "-z", "-f", path.join(root, "linux-source-6.9.tar.gz"), "-C", path.dirname(staging), "linux-6.9.2"]);
  await symlink(path.join(outside, "linux-secret"), path.join(root, "escape"));
  await symlink(path.join(root, "linux-tree"), path.join(root, "alias"));
  await listener.subscribe(keys.sourcesChannel(prefix));
  listener.on("message", (_channel, message: string) => notices.push(JSON.parse(message) as SourceNotice));
});

afterAll(async () => {
  await db.kernelSource.deleteMany({ where: { name: { startsWith: `reg-${run}-` } } });
  await rm(top, { recursive: true, force: true });
  listener.disconnect();
  redis.disconnect();
  await db.$disconnect();
});

describe("registering a kernel source", () => {
  it("registers a tree under a root, tells the workers, and a worker prepares it", async () => {
    const view = await register({ name: name("tree"), path: path.join(root, "linux-tree") });
    expect(view).toMatchObject({ name: name("tree"), kind: "directory", path: path.join(root, "linux-tree"), status: "preparing", origin: "api" });
    const row = await db.kernelSource.findUniqueOrThrow({ where: { name: name("tree") } });
    expect(row.registeredById).toBe(admin.userId);
    await expect.poll(() => notices).toContainEqual({ action: "register", name: name("tree") });

    const prepared = await prepareRegisteredSource(db, name("tree"), [root], cacheDir, "x86_64");
    expect(prepared).toMatchObject({ name: name("tree"), version: "6.1.7", tree: path.join(root, "linux-tree") });
    const ready = await db.kernelSource.findUniqueOrThrow({ where: { name: name("tree") }, include: { symbols: true } });
    expect(ready.status).toBe("ready");
    expect(ready.version).toBe("6.1.7");
    expect(ready.symbols.map((s) => s.name)).toEqual(["REGISTERED_TEST"]);
  });

  it("registers a tarball under a root, which a worker unpacks", async () => {
    const view = await register({ name: name("tarball"), path: path.join(root, "linux-source-6.9.tar.gz") });
    expect(view).toMatchObject({ kind: "tarball", status: "preparing" });
    const prepared = await prepareRegisteredSource(db, name("tarball"), [root], cacheDir, "x86_64");
    expect(prepared?.version).toBe("6.9.2");
    expect(prepared?.tree.startsWith(cacheDir + path.sep)).toBe(true);
  });

  it("follows a symlink that stays under the root, and records where it leads", async () => {
    const view = await register({ name: name("alias"), path: path.join(root, "alias") });
    expect(view.path).toBe(path.join(root, "linux-tree"));
  });

  it("refuses a path outside every root, naming the roots", async () => {
    const err = await refusal(register({ name: name("outside"), path: path.join(outside, "linux-secret") }));
    expect(err.status).toBe(400);
    expect(err.message).toContain(`is not under a configured source root (${root})`);
    expect(err.message).toContain(`under ${root} (KBUILD_SOURCE_ROOTS)`);
  });

  it("refuses a path that climbs out of the root with ..", async () => {
    const err = await refusal(register({ name: name("dotdot"), path: path.join(root, "..", "outside", "linux-secret") }));
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/is not under a configured source root/);
  });

  it("refuses a symlink under the root that leads out of it", async () => {
    const err = await refusal(register({ name: name("escape"), path: path.join(root, "escape") }));
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/is not under a configured source root/);
    expect(await db.kernelSource.findUnique({ where: { name: name("escape") } })).toBeNull();
  });

  it("refuses what is neither a tree nor a tarball, what does not exist, and a relative path", async () => {
    await writeFile(path.join(root, "notes.txt"), "not a kernel\n");
    expect((await refusal(register({ name: name("file"), path: path.join(root, "notes.txt") }))).message).toMatch(/neither a directory nor a .*tarball/);
    expect((await refusal(register({ name: name("missing"), path: path.join(root, "nothing-here") }))).message).toMatch(/does not exist/);
    const relative = await refusal(register({ name: name("relative"), path: "linux-tree" }));
    expect(relative.status).toBe(400);
    expect(relative.issues).toEqual([{ path: "path", message: "an absolute path on the server" }]);
  });

  it("refuses a name that is not a source name", async () => {
    const err = await refusal(register({ name: "Linux 6.1", path: path.join(root, "linux-tree") }));
    expect(err.status).toBe(400);
    expect(err.issues.map((i) => i.path)).toEqual(["name"]);
  });

  it("refuses a name that is taken (409)", async () => {
    await register({ name: name("twice"), path: path.join(root, "linux-tree") });
    const err = await refusal(register({ name: name("twice"), path: path.join(root, "linux-source-6.9.tar.gz") }));
    expect(err.status).toBe(409);
    expect(err.message).toContain(`a kernel source named ${name("twice")} is already registered`);
  });

  it("a worker whose roots do not hold the path records why it cannot use it", async () => {
    await register({ name: name("elsewhere"), path: path.join(root, "linux-tree") });
    expect(await prepareRegisteredSource(db, name("elsewhere"), [outside], cacheDir, "x86_64")).toBeNull();
    const row = await db.kernelSource.findUniqueOrThrow({ where: { name: name("elsewhere") } });
    expect(row.status).toBe("error");
    expect(row.statusReason).toMatch(/is not under a configured source root/);
  });
});

describe("removing a registered kernel source", () => {
  it("removes one without builds and tells the workers", async () => {
    await register({ name: name("gone"), path: path.join(root, "linux-tree") });
    await prepareRegisteredSource(db, name("gone"), [root], cacheDir, "x86_64");
    await removeSource(db, redis, { roots: [root], prefix }, name("gone"));
    expect(await db.kernelSource.findUnique({ where: { name: name("gone") } })).toBeNull();
    expect(await db.kconfigSymbol.count({ where: { sourceId: name("gone") } })).toBe(0);
    await expect.poll(() => notices).toContainEqual({ action: "remove", name: name("gone") });
  });

  it("keeps one that builds used, one still preparing, and the operator's (409); 404 for none", async () => {
    await register({ name: name("used"), path: path.join(root, "linux-tree") });
    const settings = { roots: [root], prefix };
    expect((await refusal(removeSource(db, redis, settings, name("used")))).message).toMatch(/still being prepared/);
    await prepareRegisteredSource(db, name("used"), [root], cacheDir, "x86_64");
    await db.build.create({
      data: { organizationId: admin.organizationId, submitterId: admin.userId, sourceId: name("used"), spec: {}, profile: "p", arch: "x86_64", baseConfig: "tinyconfig" },
    });
    const used = await refusal(removeSource(db, redis, settings, name("used")));
    expect(used.status).toBe(409);
    expect(used.message).toMatch(/has 1 build\(s\)/);
    await db.build.deleteMany({ where: { sourceId: name("used") } });

    await db.kernelSource.create({ data: { id: name("operator"), name: name("operator"), kind: "directory", location: root, status: "ready" } });
    expect((await refusal(removeSource(db, redis, settings, name("operator")))).message).toMatch(/the operator's/);
    expect((await refusal(removeSource(db, redis, settings, name("never")))).status).toBe(404);
  });
});
