import { randomBytes } from "node:crypto";
import { CCACHE_DIR, FRAGMENT_FILE, OUT_DIR, type PlannedStep, SOURCE_DIR, UPLOADED_CONFIG_FILE, formatArgv } from "./plan";

/**
 * `reproduce.sh`: the exact commands of a build, to run by hand — in the same
 * toolchain image when the build ran in a container, or with bubblewrap and the
 * host's toolchain otherwise. Inputs the build wrote (the options fragment, an
 * uploaded .config) are embedded; the kernel tree and an output directory are
 * the caller's.
 */
export interface ReproducerInput {
  buildId: string;
  source: string;
  kernelVersion: string | null;
  profile: string;
  /** The sandbox's description (runtime; in a container also image, imageId, user). */
  sandbox: Record<string, string>;
  /** The steps that ran a command, in order. */
  steps: PlannedStep[];
  fragment: string;
  uploadedConfig: string | null;
}

const q = (s: string) => formatArgv([s]);

export function reproducerScript(r: ReproducerInput): string {
  // A delimiter no embedded file contains.
  const eof = `KBUILD_${randomBytes(6).toString("hex").toUpperCase()}`;
  const lines = [
    "#!/usr/bin/env bash",
    `# Rebuilds kbuild build ${r.buildId} by hand: ${r.source}${r.kernelVersion ? ` (Linux ${r.kernelVersion})` : ""}, profile ${r.profile}.`,
    "#   SRC=/path/to/the/unpacked/kernel/tree OUT=/path/to/an/empty/directory bash reproduce.sh",
    "# With CCACHE=/path/to/a/cache/directory the C compilers use that cache, as the build did.",
    "set -eu",
    ': "${SRC:?set SRC to the kernel tree}" "${OUT:?set OUT to an empty output directory}"',
    `mkdir -p "$OUT/${inOut(FRAGMENT_FILE, true)}"`,
    `cat > "$OUT/${inOut(FRAGMENT_FILE)}" <<'${eof}'`,
    r.fragment.replace(/\n$/, ""),
    eof,
  ];
  if (r.uploadedConfig !== null) {
    lines.push(`cat > "$OUT/${inOut(UPLOADED_CONFIG_FILE)}" <<'${eof}'`, r.uploadedConfig.replace(/\n$/, ""), eof);
  }
  const ccache = 'CCACHE="${CCACHE:-$OUT/.kbuild/ccache}"; mkdir -p "$CCACHE"';
  lines.push(ccache, "");
  const container = r.sandbox.runtime === "docker";
  if (container) {
    lines.push(`# Image ${r.sandbox.image} (${r.sandbox.imageId}); toolchain/build-image.sh ${r.profile} builds it.`);
    if (r.sandbox.user) {
      // As the worker does: the container's user owns what it writes.
      lines.push(`if [ "$(id -u)" = 0 ]; then chown -R ${q(r.sandbox.user)} "$OUT" "$CCACHE"; fi`);
    }
  }
  for (const step of r.steps) {
    if (!step.argv) continue;
    lines.push(`# ${step.name}: ${step.title}`);
    const env = Object.entries(step.env).map(([k, v]) => `${k}=${v}`);
    if (container) {
      lines.push(
        [
          "docker run --rm --network none",
          ...(r.sandbox.user ? [`--user ${q(r.sandbox.user)}`] : []),
          "--cap-drop ALL --security-opt no-new-privileges --read-only --tmpfs /tmp",
          `-v "$SRC:${SOURCE_DIR}:ro" -v "$OUT:${OUT_DIR}" -v "$CCACHE:${CCACHE_DIR}"`,
          `-w ${q(step.cwd)}`,
          ...env.map((e) => `-e ${q(e)}`),
          q(r.sandbox.image ?? ""),
          formatArgv(step.argv),
        ].join(" \\\n  "),
      );
    } else {
      lines.push(
        [
          "bwrap --unshare-all --die-with-parent --proc /proc --dev /dev --tmpfs /tmp",
          "--ro-bind /usr /usr --ro-bind /etc /etc --symlink usr/bin /bin --symlink usr/sbin /sbin --symlink usr/lib /lib --symlink usr/lib64 /lib64",
          `--ro-bind "$SRC" ${SOURCE_DIR} --bind "$OUT" ${OUT_DIR} --bind "$CCACHE" ${CCACHE_DIR}`,
          "--clearenv",
          ...env.map((e) => `--setenv ${formatArgv(e.split(/=(.*)/s, 2))}`),
          `--chdir ${q(step.cwd)} --`,
          formatArgv(step.argv),
        ].join(" \\\n  "),
      );
    }
  }
  return lines.join("\n") + "\n";
}

/** A path under OUT_DIR relative to it (its directory with `dir`). */
function inOut(sandboxPath: string, dir = false): string {
  const rel = sandboxPath.slice(OUT_DIR.length + 1);
  return dir ? rel.slice(0, rel.lastIndexOf("/")) : rel;
}
