import { formatBytes, formatCount } from "./format";

export interface LogCutNoticeProps {
  /** The first line the page's log lacks (Build.logTruncatedAt); nothing is shown when null. */
  cutAt: number | null;
  /** The file with the whole log, once stored. */
  fullLog: { name: string; url: string; size: number } | null;
  /** The name the file will have while the run still goes on. */
  fullLogName: string;
  /** The first line that file lacks, when it reached its own limit. */
  fullLogCutAt?: number | null;
}

/**
 * Says that the log in the page stops before the run's whole output (the
 * operator's KBUILD_LOG_STREAM_MAX_BYTES), and where the whole log is. It sits
 * above the log viewer, which knows nothing of it: the viewer shows what the
 * stored log holds, markers included.
 */
export function LogCutNotice({ cutAt, fullLog, fullLogName, fullLogCutAt = null }: LogCutNoticeProps) {
  if (cutAt === null) return null;
  return (
    <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="log-cut-notice" role="status">
      This log was cut at {formatCount(cutAt - 1)} lines in the page;{" "}
      {fullLog ? (
        <>
          the full log ({formatBytes(fullLog.size)}
          {fullLog.name.endsWith(".gz") ? " compressed" : ""}) is in {fullLog.name} —{" "}
          <a href={fullLog.url} className="font-medium text-sky-700 hover:underline" data-testid="log-cut-download" download>
            Download
          </a>
          . Its last lines are at the end of the log below.
        </>
      ) : (
        <>the full log will be in {fullLogName}, and its last lines at the end of the log below, when the run ends.</>
      )}
      {fullLogCutAt !== null && <> {fullLogName} itself stops at line {formatCount(fullLogCutAt - 1)}, the server&apos;s limit for it.</>}
    </p>
  );
}
