"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { fileNameProblem, utf8Length } from "@/lib/modules/files";
import type { ModuleTemplate } from "@/lib/modules/templates";
import { CodeEditor } from "./CodeEditor";
import { formatBytes } from "./format";

interface EditorFile {
  path: string;
  content: string;
}

export interface ModuleEditorProps {
  kernelBuildId: string;
  kernelVersion: string | null;
  apiSummary: string | null;
  templates: ModuleTemplate[];
  initialTemplate: string | null;
  /** The files of an earlier module build, edited again (instead of the template's). */
  initialFiles?: EditorFile[] | null;
  limits: { maxFiles: number; maxBytes: number };
}

/**
 * Write or upload an out-of-tree module — Rust or C sources and a Makefile or
 * Kbuild — or start from a template of this kernel's module API, and build it
 * against the kernel build's module kit. Names are checked here as the server
 * checks them, so most mistakes show before anything is sent.
 */
export function ModuleEditor(p: ModuleEditorProps) {
  const router = useRouter();
  const first = p.templates.find((t) => t.id === p.initialTemplate) ?? p.templates[0];
  const [template, setTemplate] = useState<string>(first?.id ?? "");
  const [files, setFiles] = useState<EditorFile[]>(() =>
    p.initialFiles?.length ? p.initialFiles.map((f) => ({ ...f })) : first ? first.files.map((f) => ({ ...f })) : [{ path: "Makefile", content: "obj-m := my_module.o\n" }],
  );
  const [active, setActive] = useState<string>(() => (files.find((f) => f.path !== "Makefile") ?? files[0]!).path);
  const [generation, setGeneration] = useState(0);
  const [newName, setNewName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [issues, setIssues] = useState<{ path: string; message: string }[]>([]);
  const [submitting, setSubmitting] = useState(false);

  const bytes = useMemo(() => files.reduce((n, f) => n + utf8Length(f.content) + f.path.length, 0), [files]);
  const current = files.find((f) => f.path === active) ?? files[0];
  const localProblems = [
    ...files.map((f) => fileNameProblem(f.path)).filter((x): x is string => x !== null),
    ...(files.length > p.limits.maxFiles ? [`at most ${p.limits.maxFiles} files`] : []),
    ...(bytes > p.limits.maxBytes ? [`the files add up to ${formatBytes(bytes)}, more than ${formatBytes(p.limits.maxBytes)}`] : []),
    ...(files.some((f) => f.path === "Makefile" || f.path === "Kbuild") ? [] : ['a top-level "Makefile" or "Kbuild" is needed']),
  ];

  function applyTemplate(id: string) {
    const t = p.templates.find((x) => x.id === id);
    if (!t) return;
    setTemplate(id);
    setFiles(t.files.map((f) => ({ ...f })));
    setActive(t.files.find((f) => f.path !== "Makefile")?.path ?? t.files[0]!.path);
    setGeneration((g) => g + 1);
  }

  function addFile(path: string, content = "") {
    const problem = fileNameProblem(path);
    if (problem) return setError(problem);
    if (files.some((f) => f.path === path)) return setError(`${path} exists already`);
    setError(null);
    setFiles((fs) => [...fs, { path, content }]);
    setActive(path);
  }

  async function upload(list: FileList | null) {
    if (!list) return;
    const read = await Promise.all([...list].map(async (f) => ({ path: f.name, content: await f.text() })));
    const problems = read.map((f) => fileNameProblem(f.path)).filter(Boolean);
    if (problems.length) return setError(problems.join("; "));
    setError(null);
    setFiles((fs) => [...fs.filter((f) => !read.some((r) => r.path === f.path)), ...read]);
    setActive(read[0]?.path ?? active);
    setGeneration((g) => g + 1);
  }

  function remove(path: string) {
    const rest = files.filter((f) => f.path !== path);
    setFiles(rest);
    if (active === path && rest[0]) setActive(rest[0].path);
  }

  async function submit() {
    setSubmitting(true);
    setError(null);
    setIssues([]);
    try {
      const res = await fetch(`/api/v1/builds/${p.kernelBuildId}/modules`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ files, template: template || undefined }),
      });
      const body = (await res.json().catch(() => null)) as { id?: string; error?: string; issues?: { path: string; message: string }[] } | null;
      if (!res.ok || !body?.id) {
        setError(body?.error ?? `the server answered ${res.status}`);
        setIssues(body?.issues ?? []);
        setSubmitting(false);
        return;
      }
      router.push(`/builds/${body.id}`);
    } catch (err) {
      setError(`could not reach the server: ${(err as Error).message}`);
      setSubmitting(false);
    }
  }

  return (
    <div className="space-y-3">
      <section className="rounded-md border border-zinc-200 bg-white p-3 text-sm">
        <div className="flex flex-wrap items-center gap-3">
          <label className="flex items-center gap-2">
            <span className="text-xs text-zinc-500">Template for Linux {p.kernelVersion}</span>
            <select data-testid="module-template" value={template} onChange={(e) => applyTemplate(e.target.value)} className="rounded border border-zinc-300 px-2 py-1 text-sm">
              {p.templates.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.title}
                </option>
              ))}
            </select>
          </label>
          <span className="text-xs text-zinc-500">{p.templates.find((t) => t.id === template)?.description}</span>
        </div>
        {p.apiSummary && <p className="mt-2 text-xs text-zinc-600" data-testid="module-api-summary">This kernel&apos;s module API: {p.apiSummary}</p>}
      </section>

      <section className="rounded-md border border-zinc-200 bg-white">
        <div className="flex flex-wrap items-center gap-1 border-b border-zinc-200 bg-zinc-50 px-2 py-1.5">
          {files.map((f) => (
            <span key={f.path} className={`flex items-center rounded text-xs ${f.path === current?.path ? "bg-white font-medium shadow-sm ring-1 ring-zinc-300" : "text-zinc-600"}`}>
              <button type="button" className="px-2 py-1 font-mono" data-testid={`module-file-${f.path}`} onClick={() => setActive(f.path)}>
                {f.path}
              </button>
              <button type="button" aria-label={`remove ${f.path}`} className="pr-1.5 text-zinc-400 hover:text-red-700" onClick={() => remove(f.path)}>
                ×
              </button>
            </span>
          ))}
          <form
            className="ml-2 flex items-center gap-1"
            onSubmit={(e) => {
              e.preventDefault();
              if (newName.trim()) addFile(newName.trim());
              setNewName("");
            }}
          >
            <input value={newName} onChange={(e) => setNewName(e.target.value)} placeholder="new_file.rs" data-testid="module-new-file" className="w-36 rounded border border-zinc-300 px-1.5 py-0.5 font-mono text-xs" />
            <button type="submit" className="rounded border border-zinc-300 bg-white px-2 py-0.5 text-xs hover:bg-zinc-50">
              Add
            </button>
          </form>
          <label className="ml-2 cursor-pointer rounded border border-zinc-300 bg-white px-2 py-0.5 text-xs hover:bg-zinc-50">
            Upload files…
            <input type="file" multiple className="hidden" data-testid="module-upload" onChange={(e) => void upload(e.target.files)} />
          </label>
          <span className="ml-auto text-[11px] text-zinc-500" data-testid="module-size">
            {files.length}/{p.limits.maxFiles} files, {formatBytes(bytes)} of {formatBytes(p.limits.maxBytes)}
          </span>
        </div>
        {current && (
          <CodeEditor
            key={`${generation}:${current.path}`}
            docKey={`${generation}:${current.path}`}
            path={current.path}
            value={current.content}
            testId="module-editor"
            onChange={(text) => setFiles((fs) => fs.map((f) => (f.path === current.path ? { ...f, content: text } : f)))}
          />
        )}
      </section>

      {(error || issues.length > 0 || localProblems.length > 0) && (
        <div role="alert" data-testid="module-error" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900">
          {error && <p>{error}</p>}
          <ul className="list-disc pl-5">
            {[...issues.map((i) => `${i.path}: ${i.message}`), ...localProblems].map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </div>
      )}

      <div className="flex items-center gap-3">
        <button
          type="button"
          data-testid="module-submit"
          disabled={submitting || localProblems.length > 0}
          onClick={() => void submit()}
          className="rounded-md bg-emerald-700 px-4 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-emerald-800 disabled:opacity-50"
        >
          {submitting ? "Submitting…" : "Build module"}
        </button>
        <span className="text-xs text-zinc-500">
          make -C &lt;module kit&gt; M=&lt;module&gt; LLVM=1 modules, in a sandbox with no network
        </span>
      </div>
    </div>
  );
}
