import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { formatBytes } from "../components/format";
import type { BuildView } from "../lib/builds/service";
import { ApiClient, CONNECTION_OPTIONS, CONNECTION_USAGE } from "./api-client";
import { parseCommandArgs } from "./args";
import { CliError } from "./errors";

const USAGE = `usage: kbuild artifacts ID --out DIR [--name NAME ...]

Downloads a build's artifacts into DIR (created if needed): every one, or those named by --name.
Each file's sha256 and size are checked against what the server recorded for it; a file that
does not match is not kept. Files of the same name in DIR are replaced.
${CONNECTION_USAGE}
Exit status 1 when any artifact could not be downloaded or did not match.
`;

/**
 * Whether an artifact's name can be used as a file name in DIR as it is. The
 * name comes from the server: it is never trusted to be a path.
 */
export function isSafeFileName(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= 255 &&
    name === path.posix.basename(name) &&
    name !== "." &&
    name !== ".." &&
    !/[\\/\u0000-\u001f\u007f]/.test(name)
  );
}

export async function artifactsCommand(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, { ...CONNECTION_OPTIONS, out: { type: "string" }, name: { type: "string", multiple: true } }, USAGE, { min: 1, max: 1 });
  if (!parsed) return 0;
  const { values } = parsed;
  const id = parsed.positionals[0]!;
  if (!values.out) throw new CliError(`say where to put the files: --out DIR\n\n${USAGE}`, 2);
  const client = ApiClient.fromOptions(values);
  const build = await client.json<BuildView>(`/api/v1/builds/${encodeURIComponent(id)}`, {}, `no build ${id} in this team; kbuild list shows the team's builds`);

  const wanted = values.name ?? [];
  const missing = wanted.filter((n) => !build.artifacts.some((a) => a.name === n));
  if (missing.length) {
    throw new CliError(`build ${id} has no artifact ${missing.join(", ")}; it has: ${build.artifacts.map((a) => a.name).join(", ") || "none"}`);
  }
  const named = wanted.length ? build.artifacts.filter((a) => wanted.includes(a.name)) : build.artifacts;
  // Files the team's retention policy removed are listed but cannot be downloaded: say so, fetch the rest.
  const removed = named.filter((a) => a.removedAt);
  if (removed.length) process.stderr.write(`kbuild: removed by the team's retention policy: ${removed.map((a) => a.name).join(", ")}\n`);
  const chosen = named.filter((a) => !a.removedAt);
  if (wanted.length && !chosen.length) return 1;
  if (!chosen.length) {
    process.stderr.write(`kbuild: build ${id} has no artifacts (yet: it is ${build.status})\n`);
    return build.status === "queued" || build.status === "running" ? 1 : 0;
  }

  await mkdir(values.out, { recursive: true });
  let failed = 0;
  for (const artifact of chosen) {
    try {
      const file = await download(client, build.id, artifact, values.out);
      process.stdout.write(`${file}  ${formatBytes(artifact.size)}  sha256 ${artifact.sha256} ok\n`);
    } catch (err) {
      failed++;
      process.stderr.write(`kbuild: ${artifact.name}: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  if (failed) process.stderr.write(`kbuild: ${failed} of ${chosen.length} artifacts were not downloaded\n`);
  return failed ? 1 : 0;
}

/** Downloads one artifact into dir through a temporary file, kept only when its size and sha256 match. */
async function download(client: ApiClient, buildId: string, artifact: BuildView["artifacts"][number], dir: string): Promise<string> {
  if (!isSafeFileName(artifact.name)) {
    throw new Error(`the server named it ${JSON.stringify(artifact.name)}, which is not a plain file name; not written`);
  }
  const target = path.join(dir, artifact.name);
  const res = await client.fetch(`/api/v1/builds/${encodeURIComponent(buildId)}/artifacts/${encodeURIComponent(artifact.name)}`);
  if (!res.ok) throw await client.failure(res);
  const temporary = path.join(dir, `.${artifact.name}.${randomBytes(6).toString("hex")}.part`);
  const hash = createHash("sha256");
  let size = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  try {
    const body = res.body ? Readable.fromWeb(res.body as import("node:stream/web").ReadableStream) : Readable.from([]);
    await pipeline(body, measure, createWriteStream(temporary, { flags: "wx", mode: 0o644 }));
    const sha256 = hash.digest("hex");
    if (size !== artifact.size || sha256 !== artifact.sha256) {
      throw new Error(`downloaded ${size} bytes with sha256 ${sha256}, but the server recorded ${artifact.size} bytes with sha256 ${artifact.sha256}; not kept, try again`);
    }
    await rename(temporary, target);
    return target;
  } finally {
    await rm(temporary, { force: true });
  }
}
