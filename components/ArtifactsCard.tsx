"use client";

import { memo, useState } from "react";
import type { BuildView } from "@/lib/builds/service";
import { Card } from "./Card";
import { CopyButton } from "./CopyButton";
import { formatBytes, formatCount, groupArtifacts, shortDigest } from "./format";

type Artifact = BuildView["artifacts"][number];

/** Up to this many modules are listed open; more (a defconfig build has hundreds) start collapsed. */
const MODULES_OPEN_UP_TO = 12;

/**
 * A build's artifacts: the main files, then the loadable modules in a
 * collapsible section whose rows are only rendered while it is open.
 */
export const ArtifactsCard = memo(function ArtifactsCard({ artifacts }: { artifacts: Artifact[] }) {
  const { main, modules } = groupArtifacts(artifacts);
  const totalSize = artifacts.reduce((sum, a) => sum + a.size, 0);
  return (
    <Card title={`Artifacts (${artifacts.length})`} extra={<span className="text-xs text-zinc-500">{formatBytes(totalSize)} in all</span>}>
      <div data-testid="artifacts">
        <ArtifactTable artifacts={main} header />
        {modules.length > 0 && <ModuleArtifacts modules={modules} />}
      </div>
    </Card>
  );
}, sameArtifacts);

/** The card re-renders on every poll of a running build only if an artifact changed. */
function sameArtifacts(prev: { artifacts: Artifact[] }, next: { artifacts: Artifact[] }): boolean {
  return (
    prev.artifacts.length === next.artifacts.length &&
    prev.artifacts.every((a, i) => a.name === next.artifacts[i]!.name && a.sha256 === next.artifacts[i]!.sha256 && a.url === next.artifacts[i]!.url && a.removedAt === next.artifacts[i]!.removedAt)
  );
}

function ModuleArtifacts({ modules }: { modules: Artifact[] }) {
  const [open, setOpen] = useState(modules.length <= MODULES_OPEN_UP_TO);
  const size = modules.reduce((sum, a) => sum + a.size, 0);
  return (
    <details
      open={open}
      onToggle={(e) => setOpen(e.currentTarget.open)}
      className="border-t border-zinc-200"
      data-testid="module-artifacts"
    >
      <summary className="cursor-pointer bg-zinc-50 px-3 py-1.5 text-xs font-medium text-zinc-600 select-none hover:bg-zinc-100">
        Loadable modules: {formatCount(modules.length)} .ko file{modules.length === 1 ? "" : "s"}, {formatBytes(size)}
        <span className="ml-1 font-normal text-zinc-500">(also packed in modules.tar.xz)</span>
      </summary>
      {open && <ArtifactTable artifacts={modules} />}
    </details>
  );
}

function ArtifactTable({ artifacts, header = false }: { artifacts: Artifact[]; header?: boolean }) {
  return (
    <table className="w-full table-fixed text-[13px]">
      <colgroup>
        <col />
        <col className="w-24" />
        <col className="w-44" />
      </colgroup>
      {header && (
        <thead className="border-b border-zinc-200 text-left text-xs text-zinc-500">
          <tr>
            <th className="px-3 py-1.5 font-medium">Name</th>
            <th className="px-3 py-1.5 text-right font-medium">Size</th>
            <th className="px-3 py-1.5 font-medium">SHA-256</th>
          </tr>
        </thead>
      )}
      <tbody className="divide-y divide-zinc-100">
        {artifacts.map((a) => (
          <ArtifactRow key={a.name} artifact={a} />
        ))}
      </tbody>
    </table>
  );
}

function ArtifactRow({ artifact: a }: { artifact: Artifact }) {
  return (
    <tr>
      <td className="truncate px-3 py-1.5" title={a.contentType ? `${a.name} (${a.contentType})` : a.name}>
        {a.removedAt ? (
          // Retention removed the file: the row stays as the record, without a link that would only answer 410.
          <span className="font-mono text-zinc-400" data-testid={`artifact-removed-${a.name}`} title={`removed ${a.removedAt.slice(0, 10)} by the retention policy`}>
            <s>{a.name}</s> <span className="ml-1 rounded bg-zinc-100 px-1 text-[11px] text-zinc-500 no-underline">removed</span>
          </span>
        ) : (
          <a href={a.url} download={a.name} className="font-mono text-sky-700 hover:underline" data-testid={`artifact-${a.name}`}>
            {a.name}
          </a>
        )}
      </td>
      <td className="px-3 py-1.5 text-right whitespace-nowrap text-zinc-600" title={`${a.size} bytes`}>
        {formatBytes(a.size)}
      </td>
      <td className="px-3 py-1.5">
        <div className="flex items-center gap-2">
          <code className="min-w-0 truncate font-mono text-[11px] text-zinc-600" title={a.sha256}>
            {shortDigest(a.sha256)}
          </code>
          <CopyButton text={a.sha256} />
        </div>
      </td>
    </tr>
  );
}
