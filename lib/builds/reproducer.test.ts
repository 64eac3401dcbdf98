import { execFileSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { type ToolchainProfile, loadProfiles } from "../toolchain/profiles";
import { planBuild } from "./plan";
import { reproducerScript } from "./reproducer";
import { BuildSpecSchema, fragmentText } from "./spec";

let profile: ToolchainProfile;
beforeAll(async () => {
  profile = (await loadProfiles()).get("debian-bookworm-llvm14")!;
});

function script(sandbox: Record<string, string>, uploaded: string | null = null) {
  const spec = BuildSpecSchema.parse({
    source: "linux-6.1",
    profile: profile.id,
    baseConfig: uploaded === null ? { kind: "target", target: "tinyconfig" } : { kind: "upload", text: uploaded },
    options: [{ symbol: "RUST", value: "y" }, { symbol: "LOCALVERSION", value: '"-it\'s $(mine)"' }],
    targets: ["kernel"],
  });
  const steps = planBuild(spec, profile, { ccache: { binary: "/usr/bin/ccache", maxSize: "5G" } });
  return {
    steps,
    text: reproducerScript({
      buildId: "b-1",
      source: "linux-6.1",
      kernelVersion: "6.1.192",
      profile: profile.id,
      sandbox,
      steps: steps.filter((s) => s.argv),
      fragment: fragmentText(spec.options),
      uploadedConfig: uploaded,
    }),
  };
}

const DOCKER = { runtime: "docker", image: "localhost/kbuild-toolchain:x", imageId: "sha256:abc", user: "1000:1000" };

describe("reproducerScript", () => {
  it("is valid bash that runs every command step in the build's image, with the same isolation", () => {
    const { steps, text } = script(DOCKER);
    execFileSync("bash", ["-n"], { input: text });
    expect(text.match(/^docker run --rm --network none/gm)).toHaveLength(steps.filter((s) => s.argv).length);
    expect(text).toContain("--user 1000:1000");
    expect(text).toContain("localhost/kbuild-toolchain:x");
    expect(text).toContain("sha256:abc");
    expect(text).toContain("CC=/usr/bin/ccache /usr/bin/clang");
    expect(text).toMatch(/-j2 \\\n?\s*bzImage|-j2 bzImage/);
  });

  it("embeds the options fragment verbatim, where no shell expands it", () => {
    const { text } = script(DOCKER);
    const eof = /<<'(KBUILD_[0-9A-F]+)'/.exec(text)![1]!;
    expect(text).toContain(`CONFIG_LOCALVERSION="-it's $(mine)"\n${eof}`);
  });

  it("embeds an uploaded base config", () => {
    const { text } = script(DOCKER, "CONFIG_PRINTK=y\n");
    expect(text).toContain(".kbuild/uploaded.config");
    expect(text).toContain("CONFIG_PRINTK=y");
  });

  it("uses bubblewrap with the host's toolchain for builds that ran without a container", () => {
    const { text } = script({ runtime: "bwrap" });
    execFileSync("bash", ["-n"], { input: text });
    expect(text).not.toContain("docker run");
    expect(text).toMatch(/^bwrap --unshare-all/m);
    expect(text).toContain("--setenv PATH /usr/bin:/bin:/usr/sbin:/sbin");
  });
});
