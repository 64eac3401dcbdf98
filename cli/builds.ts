import { readFile } from "node:fs/promises";
import { elapsedText, formatBytes, formatDuration, formatTimestamp, optionText, targetsText } from "../components/format";
import { BASE_CONFIG_TARGETS } from "../lib/builds/spec";
import type { HistoryPage } from "../lib/builds/history";
import type { BuildView } from "../lib/builds/service";
import { TARGET_NAMES } from "../lib/builds/targets";
import { ApiClient, CONNECTION_OPTIONS, CONNECTION_USAGE } from "./api-client";
import { parseCommandArgs } from "./args";
import { followLog } from "./follow";
import { specFromFlags } from "./submit-spec";
import { table } from "./table";

/** `kbuild submit`, `status`, `list` and `cancel`: builds through the REST API. */

type BuildList = HistoryPage;

const notFound = (id: string) => `no build ${id} in this team; kbuild list shows the team's builds`;
const buildPath = (id: string) => `/api/v1/builds/${encodeURIComponent(id)}`;

/** 0 when the build succeeded, 1 when it failed, was canceled or hit an error. */
export const exitCodeOf = (status: string) => (status === "succeeded" ? 0 : 1);

const SUBMIT_USAGE = `usage: kbuild submit --source NAME --profile NAME (--base ${BASE_CONFIG_TARGETS.join("|")} | --config FILE)
                    [--set CONFIG_X=v ...] (--target NAME ... | --configure-only) [--jobs N] [--follow] [--json]
       kbuild submit --spec FILE.json [--follow] [--json]

Submits a build and prints its id (or, with --json, {"id", "url"}).
  --source NAME       a registered kernel source, e.g. linux-6.1
  --profile NAME      a toolchain profile, e.g. debian-bookworm-llvm14
  --arch ARCH         x86_64 (the default)
  --base TARGET       the base configuration the kernel makes
  --config FILE       a .config of your own as the base instead (uploaded)
  --set CONFIG_X=v    an option on top of the base (repeatable); CONFIG_X=n turns one off
  --target NAME       what to build (repeatable): ${TARGET_NAMES.join(", ")}
  --configure-only    build nothing: resolve the .config only
  --jobs N            parallel make jobs
  --spec FILE.json    the whole request, as POST /api/v1/builds takes it, instead of the flags above
  --follow            print the build's log as it runs; the exit status is the build's:
                      0 succeeded, 1 failed, canceled or error
${CONNECTION_USAGE}
Exit status 2: a usage error (nothing was submitted).
`;

export async function submitCommand(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(
    args,
    {
      ...CONNECTION_OPTIONS,
      spec: { type: "string" },
      source: { type: "string" },
      profile: { type: "string" },
      arch: { type: "string" },
      base: { type: "string" },
      config: { type: "string" },
      set: { type: "string", multiple: true },
      target: { type: "string", multiple: true },
      "configure-only": { type: "boolean" },
      jobs: { type: "string" },
      follow: { type: "boolean" },
      json: { type: "boolean" },
    },
    SUBMIT_USAGE,
    { min: 0, max: 0 },
  );
  if (!parsed) return 0;
  const { values } = parsed;
  const client = ApiClient.fromOptions(values);
  const spec = await specFromFlags(values, (file) => readFile(file, "utf8"));
  const { id } = await client.postJson<{ id: string }>("/api/v1/builds", spec);
  const page = client.url(`/builds/${id}`).toString();
  if (values.json) process.stdout.write(`${JSON.stringify({ id, url: page })}\n`);
  else if (!values.follow) process.stdout.write(`${id}\n`);
  process.stderr.write(`kbuild: submitted build ${id}: ${page}\n`);
  if (!values.follow) return 0;

  await followLog(client, id, { write: (text) => process.stdout.write(text), note: (text) => process.stderr.write(text) });
  // The build's record, read after the stream's end event, also gives the reason for its status.
  const build = await client.json<BuildView>(buildPath(id), {}, notFound(id));
  process.stderr.write(`kbuild: build ${id} ${build.status}${build.statusReason ? `: ${build.statusReason}` : ""}\n`);
  return exitCodeOf(build.status);
}

const STATUS_USAGE = `usage: kbuild status ID [--json]

A build's status, request, steps and artifacts; --json prints the API's whole record of it.
${CONNECTION_USAGE}
`;

export async function statusCommand(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, { ...CONNECTION_OPTIONS, json: { type: "boolean" } }, STATUS_USAGE, { min: 1, max: 1 });
  if (!parsed) return 0;
  const id = parsed.positionals[0]!;
  const build = await ApiClient.fromOptions(parsed.values).json<BuildView>(buildPath(id), {}, notFound(id));
  process.stdout.write(parsed.values.json ? `${JSON.stringify(build, null, 2)}\n` : statusText(build));
  return 0;
}

export function statusText(b: BuildView): string {
  const out = table([
    ["build", b.id],
    ["status", `${b.status}${b.statusReason ? ` — ${b.statusReason}` : ""}${b.queuePosition ? ` (number ${b.queuePosition} in the queue)` : ""}`],
    ["kind", b.kind === "module" ? `module, against kernel build ${b.kernelBuildId}` : "kernel"],
    ["source", `${b.source.name}${b.source.version ? ` (${b.source.version})` : ""}`],
    ["profile", b.profile],
    ["base", b.baseConfig],
    ["options", b.options.map(optionText).join(" ") || "—"],
    ["targets", targetsText(b.targets)],
    ["submitted", `${formatTimestamp(b.createdAt)} by ${b.submitter.name}`],
    ["took", elapsedText(b.startedAt, b.finishedAt, Date.now()) ?? "not started"],
    ...(b.diagnostics ? [["diagnostics", `${b.diagnostics.counts.error} errors, ${b.diagnostics.counts.warning} warnings`]] : []),
  ]);
  const steps = b.steps.map((s) => [
    `  ${s.index + 1}`,
    s.name,
    s.status,
    s.startedAt && s.finishedAt ? formatDuration(Date.parse(s.finishedAt) - Date.parse(s.startedAt)) : "",
    s.reason ?? (s.exitCode ? `exit ${s.exitCode}` : ""),
  ]);
  const artifacts = b.artifacts.map((a) => [`  ${a.name}`, formatBytes(a.size), a.removedAt ? `removed by retention ${formatTimestamp(a.removedAt)}` : a.sha256]);
  return `${out}${steps.length ? `steps\n${table(steps)}` : ""}${artifacts.length ? `artifacts\n${table(artifacts)}` : ""}`;
}

const LIST_USAGE = `usage: kbuild list [--cursor CURSOR] [--json]

The team's builds, newest first, 50 at a time; the next page's --cursor is printed after them.
--json prints the API's answer: {"builds": [...], "nextCursor"}.
${CONNECTION_USAGE}
`;

export async function listCommand(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, { ...CONNECTION_OPTIONS, cursor: { type: "string" }, json: { type: "boolean" } }, LIST_USAGE, { min: 0, max: 0 });
  if (!parsed) return 0;
  const { values } = parsed;
  const query = values.cursor ? `?cursor=${encodeURIComponent(values.cursor)}` : "";
  const page = await ApiClient.fromOptions(values).json<BuildList>(`/api/v1/builds${query}`);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
    return 0;
  }
  if (!page.builds.length) {
    process.stderr.write("kbuild: no builds yet; kbuild submit starts one\n");
    return 0;
  }
  process.stdout.write(listText(page));
  if (page.nextCursor) process.stderr.write(`kbuild: more: kbuild list --cursor ${page.nextCursor}\n`);
  return 0;
}

export function listText(page: BuildList): string {
  return table([
    ["ID", "STATUS", "SOURCE", "PROFILE", "BASE", "TARGETS", "SUBMITTED", "TOOK", "ERRORS/WARNINGS"],
    ...page.builds.map((b) => [
      b.id,
      b.status,
      b.source,
      b.profile,
      b.baseConfig,
      b.kind === "module" ? `module of ${b.kernelBuildId?.slice(0, 8)}` : targetsText(b.targets),
      formatTimestamp(b.createdAt),
      b.durationMs === null ? "—" : formatDuration(b.durationMs),
      b.diagnostics ? `${b.diagnostics.errors}/${b.diagnostics.warnings}` : "—",
    ]),
  ]);
}

const CANCEL_USAGE = `usage: kbuild cancel ID [--json]

Cancels a queued or running build and prints its status: "canceled", or "running" while its worker stops it.
${CONNECTION_USAGE}
`;

export async function cancelCommand(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, { ...CONNECTION_OPTIONS, json: { type: "boolean" } }, CANCEL_USAGE, { min: 1, max: 1 });
  if (!parsed) return 0;
  const id = parsed.positionals[0]!;
  const result = await ApiClient.fromOptions(parsed.values).postJson<{ status: string }>(`${buildPath(id)}/cancel`, {}, notFound(id));
  process.stdout.write(parsed.values.json ? `${JSON.stringify(result)}\n` : `${result.status}\n`);
  return 0;
}
