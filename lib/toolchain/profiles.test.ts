import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BUILTIN_PROFILE_DIR, type ToolchainProfile, compareVersions, loadProfiles, profileWarnings } from "./profiles";

const TEST_PROFILES = path.join(import.meta.dirname, "..", "..", "test", "profiles");
const BOOKWORM = "debian-bookworm-llvm14";

const tempDirs: string[] = [];
afterEach(async () => {
  await Promise.all(tempDirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A fresh directory holding the given files (name → JSON value, or raw text). */
async function profileDir(files: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "kbuild-profiles-test-"));
  tempDirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    await writeFile(path.join(dir, name), typeof content === "string" ? content : JSON.stringify(content));
  }
  return dir;
}

const child = (id: string, base: string) => ({ id, extends: base, title: `${id} title` });

async function bookworm(): Promise<ToolchainProfile> {
  const p = (await loadProfiles()).get(BOOKWORM);
  if (!p) throw new Error(`${BOOKWORM} not loaded`);
  return p;
}

describe("loadProfiles", () => {
  it("loads the builtin profile, complete, from toolchain/profiles", async () => {
    const profiles = await loadProfiles();
    expect([...profiles.keys()]).toEqual([BOOKWORM]);
    const p = profiles.get(BOOKWORM)!;
    expect(BUILTIN_PROFILE_DIR).toBe(path.join(import.meta.dirname, "..", "..", "toolchain", "profiles"));
    expect(p).toMatchObject({
      id: BOOKWORM,
      title: "Debian 12: clang/LLVM 14, rustc 1.63 + rust-src, bindgen 0.60",
      versions: { llvm: "14.0.6", rustc: "1.63.0", bindgen: "0.60.1" },
      binaries: { clang: "/usr/bin/clang", "ld.lld": "/usr/bin/ld.lld", rustc: "/usr/bin/rustc", bindgen: "/usr/bin/bindgen" },
      path: ["/usr/bin", "/bin", "/usr/sbin", "/sbin"],
      makeVariables: { LLVM: "1", RUSTC: "/usr/bin/rustc", HOSTRUSTC: "/usr/bin/rustc", BINDGEN: "/usr/bin/bindgen", RUSTFMT: "/usr/bin/rustfmt" },
      env: {},
    });
    expect(p.debianPackages).toEqual(expect.arrayContaining(["clang", "lld", "rustc", "rust-src", "bindgen"]));
    expect(p.hostPaths).toContain("/usr");
  });

  it("resolves the no-rust-src test variant: everything from its base but its own names and RUST_LIB_SRC", async () => {
    const profiles = await loadProfiles([TEST_PROFILES]);
    expect([...profiles.keys()].sort()).toEqual([BOOKWORM, `${BOOKWORM}-no-rust-src`]);
    const base = profiles.get(BOOKWORM)!;
    const variant = profiles.get(`${BOOKWORM}-no-rust-src`)!;
    expect(variant).toEqual({
      ...base,
      id: `${BOOKWORM}-no-rust-src`,
      title: "Test variant: Debian 12 toolchain with rust-src missing",
      description: "RUST_LIB_SRC points at an empty directory (the sandbox's fresh /tmp), as on a host without Debian's rust-src.",
      env: { RUST_LIB_SRC: "/tmp" },
    });
    // The base is not changed by its child.
    expect(base.env).toEqual({});
  });

  it("lets a child override a whole field and merges env over its base's", async () => {
    const dir = await profileDir({
      "a.json": { ...child("mid", BOOKWORM), env: { A: "1", B: "base" } },
      "b.json": { ...child("leaf", "mid"), env: { B: "leaf" }, path: ["/opt/llvm/bin"], versions: { llvm: "18.1.0", rustc: "1.80.0", bindgen: "0.69.4" } },
    });
    const profiles = await loadProfiles([dir]);
    const base = await bookworm();
    expect(profiles.get("leaf")).toEqual({
      ...base,
      id: "leaf",
      title: "leaf title",
      description: "",
      env: { A: "1", B: "leaf" },
      path: ["/opt/llvm/bin"],
      versions: { llvm: "18.1.0", rustc: "1.80.0", bindgen: "0.69.4" },
    });
  });

  it("rejects profiles that extend each other in a cycle", async () => {
    const dir = await profileDir({ "a.json": child("cyc-a", "cyc-b"), "b.json": child("cyc-b", "cyc-a") });
    await expect(loadProfiles([dir])).rejects.toThrow("toolchain profiles extend each other in a cycle: cyc-a → cyc-b → cyc-a");
  });

  it("rejects a profile that extends itself", async () => {
    const dir = await profileDir({ "a.json": child("selfish", "selfish") });
    await expect(loadProfiles([dir])).rejects.toThrow("toolchain profiles extend each other in a cycle: selfish → selfish");
  });

  it("rejects a profile that extends an unknown one", async () => {
    const dir = await profileDir({ "a.json": child("orphan", "no-such-profile") });
    await expect(loadProfiles([dir])).rejects.toThrow("toolchain profile orphan extends unknown profile no-such-profile");
  });

  it("rejects an id defined twice, also across directories", async () => {
    const dir = await profileDir({ "copy.json": child(BOOKWORM, BOOKWORM) });
    await expect(loadProfiles([dir])).rejects.toThrow(`toolchain profile ${BOOKWORM} is defined twice`);
    const dir2 = await profileDir({ "a.json": child("twin", BOOKWORM), "b.json": child("twin", BOOKWORM) });
    await expect(loadProfiles([dir2])).rejects.toThrow("toolchain profile twin is defined twice");
  });

  it("rejects a profile without a base that lacks a required field", async () => {
    const { id: _id, ...rest } = await bookworm();
    const { versions: _versions, ...withoutVersions } = rest;
    const dir = await profileDir({ "a.json": { id: "incomplete", ...withoutVersions } });
    await expect(loadProfiles([dir])).rejects.toThrow("toolchain profile incomplete has no versions");
  });

  it("rejects an invalid file, naming the file and the field", async () => {
    const dir = await profileDir({ "bad.json": { id: "Bad Id!", title: "x", binaries: { rustc: "rustc" } } });
    const err = await loadProfiles([dir]).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toContain(`invalid toolchain profile ${path.join(dir, "bad.json")}:`);
    expect(err?.message).toMatch(/→ at id\b/);
    expect(err?.message).toMatch(/→ at binaries\.rustc\b/);
  });

  it("rejects a file that is not JSON, naming the file", async () => {
    const dir = await profileDir({ "broken.json": '{ "id": "broken", ' });
    await expect(loadProfiles([dir])).rejects.toThrow(path.join(dir, "broken.json"));
  });

  it("ignores files that are not .json", async () => {
    const dir = await profileDir({ "README.md": "# not a profile", "notes.txt": "{" });
    expect([...(await loadProfiles([dir])).keys()]).toEqual([BOOKWORM]);
  });
});

describe("compareVersions", () => {
  it.each([
    ["1.63.0", "1.62.0", 1],
    ["1.62.0", "1.63.0", -1],
    ["1.63.0", "1.63.0", 0],
    ["1.78", "1.78.0", 0],
    ["1.10.0", "1.9.0", 1],
    ["0.60.1", "0.65.1", -1],
    ["0.65.1", "0.65.0", 1],
    ["14.0.6", "11.0.0", 1],
    ["14.0.6", "15.0.0", -1],
    ["1.78.0-nightly", "1.78.0", 0],
    ["18.1.8+deb12", "18.1.8", 0],
  ])("compareVersions(%s, %s) = %i", (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });
});

describe("profileWarnings", () => {
  it("rules out the bookworm profile for a 6.12-like tree, naming the tool and both versions", async () => {
    const p = await bookworm();
    const warnings = profileWarnings(p, { llvm: "13.0.1", rustc: "1.78.0", bindgen: "0.65.1" });
    expect(warnings.map(({ tool, required, provided }) => ({ tool, required, provided }))).toEqual([
      { tool: "rustc", required: "1.78.0", provided: "1.63.0" },
      { tool: "bindgen", required: "0.65.1", provided: "0.60.1" },
    ]);
    expect(warnings[0]!.message).toBe(
      "rustc 1.63.0 in debian-bookworm-llvm14 is older than the 1.78.0 this kernel requires (scripts/min-tool-version.sh): Rust support cannot be enabled with this profile",
    );
    expect(warnings[1]!.message).toBe(
      "bindgen 0.60.1 in debian-bookworm-llvm14 is older than the 0.65.1 this kernel requires (scripts/min-tool-version.sh): Rust support cannot be enabled with this profile",
    );
  });

  it("warns about llvm too when it is older", async () => {
    const warnings = profileWarnings(await bookworm(), { llvm: "15.0.0" });
    expect(warnings.map((w) => `${w.tool} ${w.provided} < ${w.required}`)).toEqual(["llvm 14.0.6 < 15.0.0"]);
  });

  it("has nothing to say for 6.1's minimums (newer tools are fine) or for an unknown tree", async () => {
    const p = await bookworm();
    expect(profileWarnings(p, { llvm: "11.0.0", rustc: "1.62.0", bindgen: "0.56.0" })).toEqual([]);
    expect(profileWarnings(p, { rustc: "1.63.0", bindgen: "0.60.1", llvm: "14.0.6" })).toEqual([]);
    expect(profileWarnings(p, {})).toEqual([]);
  });
});
