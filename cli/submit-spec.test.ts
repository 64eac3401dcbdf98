import { describe, expect, it } from "vitest";
import { CliError } from "./errors";
import { type SpecFlags, specFromFlags } from "./submit-spec";

const files: Record<string, string> = {
  "my.config": "CONFIG_64BIT=y\n",
  "build.json": JSON.stringify({ source: "linux-6.1", profile: "p", baseConfig: { kind: "target", target: "defconfig" }, targets: ["kernel"] }),
  "bad.json": "{ nope",
  "evil.config": 'CONFIG_INITRAMFS_SOURCE="/etc/shadow"\n',
};
const readFile = async (file: string) => {
  if (!(file in files)) throw Object.assign(new Error("no such file"), { code: "ENOENT" });
  return files[file]!;
};
const base: SpecFlags = { source: "linux-6.1", profile: "debian-bookworm-llvm14", base: "tinyconfig", "configure-only": true };

/** The usage error the flags give; fails the test when they are accepted. */
async function refusal(flags: SpecFlags): Promise<string> {
  const err = await specFromFlags(flags, readFile).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CliError);
  expect((err as CliError).exitCode).toBe(2);
  return (err as CliError).message;
}

describe("kbuild submit's build spec", () => {
  it("is made of the flags: base, options, targets, jobs", async () => {
    expect(await specFromFlags({ ...base, "configure-only": false, set: ["CONFIG_RUST=y", "CONFIG_MODULES=n"], target: ["kernel", "modules"], jobs: "4" }, readFile)).toEqual({
      source: "linux-6.1",
      profile: "debian-bookworm-llvm14",
      baseConfig: { kind: "target", target: "tinyconfig" },
      options: [
        { symbol: "RUST", value: "y" },
        { symbol: "MODULES", value: "n" },
      ],
      targets: ["kernel", "modules"],
      jobs: 4,
    });
  });

  it("uploads --config FILE under its own name, and configure-only means no targets", async () => {
    const spec = await specFromFlags({ source: "s", profile: "p", config: "my.config", "configure-only": true }, readFile);
    expect(spec.baseConfig).toEqual({ kind: "upload", fileName: "my.config", text: "CONFIG_64BIT=y\n" });
    expect(spec.targets).toEqual([]);
  });

  it("takes the whole request from --spec FILE.json, alone", async () => {
    expect(await specFromFlags({ spec: "build.json" }, readFile)).toMatchObject({ source: "linux-6.1", targets: ["kernel"] });
    expect(await refusal({ spec: "build.json", source: "x", set: ["CONFIG_RUST=y"] })).toMatch(/--spec build\.json holds the whole build; drop --source, --set/);
    expect(await refusal({ spec: "bad.json" })).toMatch(/--spec bad\.json is not JSON/);
    expect(await refusal({ spec: "missing.json" })).toMatch(/--spec missing\.json: cannot read it \(ENOENT\)/);
  });

  it("names what is missing or wrong, and how to say it", async () => {
    expect(await refusal({ ...base, source: undefined })).toMatch(/--source NAME/);
    expect(await refusal({ ...base, profile: undefined })).toMatch(/--profile NAME/);
    expect(await refusal({ ...base, base: undefined })).toMatch(/--base tinyconfig\|defconfig\|allnoconfig, or --config FILE/);
    expect(await refusal({ ...base, config: "my.config" })).toMatch(/keep one/);
    expect(await refusal({ ...base, base: "oldconfig" })).toMatch(/--base oldconfig: use one of tinyconfig, defconfig, allnoconfig/);
    expect(await refusal({ ...base, "configure-only": false })).toMatch(/say what to build: --target NAME .*kernel.*--configure-only/);
    expect(await refusal({ ...base, target: ["kernel"] })).toMatch(/--configure-only builds no target/);
    expect(await refusal({ ...base, set: ["RUST=y"] })).toMatch(/--set takes CONFIG_NAME=value/);
    expect(await refusal({ ...base, set: ["CONFIG_RUST=maybe"] })).toMatch(/CONFIG_RUST=maybe is not a Kconfig value/);
    expect(await refusal({ ...base, jobs: "lots" })).toMatch(/--jobs lots/);
  });

  it("checks the request with the server's schema before sending it", async () => {
    expect(await refusal({ ...base, "configure-only": false, target: ["bzImage"] })).toMatch(/targets\.0: unknown target "bzImage"/);
    expect(await refusal({ source: "s", profile: "p", config: "evil.config", "configure-only": true })).toMatch(/CONFIG_INITRAMFS_SOURCE names a file by absolute path/);
    expect(await refusal({ ...base, set: ["CONFIG_RUST=y", "CONFIG_RUST=n"] })).toMatch(/CONFIG_RUST is requested twice/);
  });
});
