import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PrismaClient, createDb } from "../db/client";
import { RequestError, validateSubmission } from "./service";

/**
 * validateSubmission against the real (migrated) test database: the spec is
 * checked against the registered sources, the installed profiles (the builtin
 * one plus test/profiles, through KBUILD_PROFILE_DIRS) and the tree's symbols.
 */

const run = randomUUID().slice(0, 8);
const READY = { id: `svc-ready-${run}`, name: `svc-linux-6.1-${run}` };
const PREPARING = { id: `svc-preparing-${run}`, name: `svc-linux-6.12-${run}` };
const PROFILE = "debian-bookworm-llvm14";

let db: PrismaClient;

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: run this through the integration project, whose global setup migrates the test database");
  return url;
}

beforeAll(async () => {
  db = createDb(databaseUrl());
  await db.kernelSource.create({
    data: { ...READY, kind: "directory", location: "/nonexistent/linux-6.1", status: "ready", version: "6.1.0" },
  });
  await db.kernelSource.create({
    data: { ...PREPARING, kind: "tarball", location: "/nonexistent/linux-6.12.tar.xz", status: "preparing", statusReason: "unpacking the tarball" },
  });
  const symbol = (name: string, type: string, sourceId = READY.id) => ({ sourceId, name, type, prompt: name, definedAt: "init/Kconfig:1", dependsOn: [], selects: [] });
  await db.kconfigSymbol.createMany({
    data: [
      symbol("RUST", "bool"),
      symbol("SAMPLES", "bool"),
      symbol("NR_CPUS", "int"),
      symbol("LOCALVERSION", "string"),
      // Defined by the other source only.
      symbol("SAMPLE_RUST_MINIMAL", "tristate", PREPARING.id),
    ],
  });
});

afterAll(async () => {
  if (!db) return;
  // KconfigSymbol rows go with their source (ON DELETE CASCADE).
  await db.kernelSource.deleteMany({ where: { id: { in: [READY.id, PREPARING.id] } } });
  await db.$disconnect();
});

function spec(overrides: Record<string, unknown> = {}) {
  return { source: READY.name, profile: PROFILE, baseConfig: { kind: "target", target: "tinyconfig" }, ...overrides };
}

/** The RequestError validateSubmission throws; fails the test if it returns or throws something else. */
async function rejectionOf(input: unknown): Promise<RequestError> {
  try {
    const accepted = await validateSubmission(db, input);
    throw new Error(`expected a RequestError, but the spec was accepted: ${JSON.stringify(accepted.spec)}`);
  } catch (err) {
    if (err instanceof RequestError) return err;
    throw err;
  }
}

describe("validateSubmission", () => {
  it("accepts a good spec for a ready source and returns the parsed spec, the source row and the profile", async () => {
    const { spec: parsed, source, profile } = await validateSubmission(
      db,
      spec({ options: [{ symbol: "CONFIG_RUST", value: "y" }, { symbol: "NR_CPUS", value: "8" }, { symbol: "LOCALVERSION", value: '"-kb"' }] }),
    );
    expect(parsed).toEqual({
      source: READY.name,
      profile: PROFILE,
      arch: "x86_64",
      baseConfig: { kind: "target", target: "tinyconfig" },
      options: [
        { symbol: "RUST", value: "y" },
        { symbol: "NR_CPUS", value: "8" },
        { symbol: "LOCALVERSION", value: '"-kb"' },
      ],
      jobs: 2,
      targets: [],
    });
    expect(source).toMatchObject({ id: READY.id, name: READY.name, status: "ready", version: "6.1.0" });
    expect(profile.id).toBe(PROFILE);
  });

  it("accepts the test-only profile from KBUILD_PROFILE_DIRS", async () => {
    const { profile } = await validateSubmission(db, spec({ profile: "debian-bookworm-llvm14-no-rust-src" }));
    expect(profile.env).toEqual({ RUST_LIB_SRC: "/tmp" });
  });

  it("rejects a spec that does not parse, with the schema's issues", async () => {
    const err = await rejectionOf(spec({ options: [{ symbol: "RUST", value: "y; reboot" }], jobs: 0 }));
    expect(err.status).toBe(400);
    expect(err.message).toBe("invalid build request");
    expect(err.issues).toEqual([
      { path: "options.0.value", message: 'CONFIG_RUST=y; reboot is not a Kconfig value: use y, m, n, a number, 0x-hex, or a "double-quoted string"' },
      { path: "jobs", message: "Too small: expected number to be >=1" },
    ]);
  });

  it("rejects an unknown source (400), listing the registered ones", async () => {
    const err = await rejectionOf(spec({ source: `no-such-source-${run}` }));
    expect(err.status).toBe(400);
    const registered = (await db.kernelSource.findMany({ select: { name: true } })).map((s) => s.name);
    expect(registered).toEqual(expect.arrayContaining([READY.name, PREPARING.name]));
    const prefix = `unknown kernel source "no-such-source-${run}"; registered: `;
    expect(err.message.startsWith(prefix), err.message).toBe(true);
    expect(err.message.slice(prefix.length).split(", ").sort()).toEqual(registered.sort());
    expect(err.issues).toEqual([{ path: "source", message: "unknown kernel source" }]);
  });

  it("rejects a source that is not ready (409), with its status and reason", async () => {
    const err = await rejectionOf(spec({ source: PREPARING.name }));
    expect(err.status).toBe(409);
    expect(err.message).toBe(`kernel source ${PREPARING.name} is not ready (preparing: unpacking the tarball)`);
  });

  it("rejects an unknown profile (400), listing the available ones", async () => {
    const err = await rejectionOf(spec({ profile: "fedora-rawhide" }));
    expect(err.status).toBe(400);
    expect(err.message).toBe('unknown toolchain profile "fedora-rawhide"; available: debian-bookworm-llvm14, debian-bookworm-llvm14-no-rust-src');
    expect(err.issues).toEqual([{ path: "profile", message: "unknown toolchain profile" }]);
  });

  it("rejects symbols the source does not define and values their type cannot take, naming the source", async () => {
    const err = await rejectionOf(
      spec({
        options: [
          { symbol: "RUST", value: "y" },
          { symbol: "CONFIG_NO_SUCH_SYMBOL", value: "y" },
          { symbol: "SAMPLES", value: "m" },
          { symbol: "NR_CPUS", value: '"eight"' },
        ],
      }),
    );
    const tree = `${READY.name} (6.1.0)`;
    expect(err.status).toBe(400);
    expect(err.message).toBe(
      [
        `CONFIG_NO_SUCH_SYMBOL is not defined by ${tree}`,
        "CONFIG_SAMPLES is a bool option; m is not a bool value",
        'CONFIG_NR_CPUS is a int option; "eight" is not a int value',
      ].join("; "),
    );
    expect(err.issues).toEqual([
      { path: "options", message: `CONFIG_NO_SUCH_SYMBOL is not defined by ${tree}` },
      { path: "options", message: "CONFIG_SAMPLES is a bool option; m is not a bool value" },
      { path: "options", message: 'CONFIG_NR_CPUS is a int option; "eight" is not a int value' },
    ]);
  });

  it("does not take another source's symbols for this one's", async () => {
    // SAMPLE_RUST_MINIMAL is defined by the other registered source, not by this one.
    const err = await rejectionOf(spec({ options: [{ symbol: "SAMPLE_RUST_MINIMAL", value: "m" }] }));
    expect(err.message).toBe(`CONFIG_SAMPLE_RUST_MINIMAL is not defined by ${READY.name} (6.1.0)`);
  });
});
