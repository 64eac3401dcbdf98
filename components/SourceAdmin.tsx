"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Card } from "./Card";

async function errorOf(res: Response): Promise<string> {
  const body = (await res.json().catch(() => null)) as { error?: string; issues?: { path: string; message: string }[] } | null;
  const issues = body?.issues?.map((i) => `${i.path}: ${i.message}`).join("; ");
  return [body?.error ?? `the server answered ${res.status}`, issues].filter(Boolean).join(": ");
}

/** Registers a kernel source (POST /api/v1/sources); the server checks the path against its roots. */
export function SourceRegisterForm({ roots }: { roots: string[] }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [path, setPath] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await fetch("/api/v1/sources", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ name, path }),
      });
      if (!res.ok) {
        setError(await errorOf(res));
        return;
      }
      setName("");
      setPath("");
      router.refresh();
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="Register a kernel source">
      <form onSubmit={submit} className="space-y-2 p-3" data-testid="source-register">
        <p className="text-xs text-zinc-600">
          A kernel tree directory or a tarball (<span className="font-mono">.tar</span>, <span className="font-mono">.tar.xz</span>, ...) on the
          server, under {roots.length ? roots.map((r, i) => <span key={r}>{i > 0 && ", "}<span className="font-mono">{r}</span></span>) : "no root (none configured)"}.
          Every worker prepares it (unpacks it once, reads its Kconfig); it can be built once it is ready.
        </p>
        <div className="flex flex-wrap gap-2">
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="name, e.g. linux-6.6" aria-label="name" className="w-48 rounded border border-zinc-300 px-2 py-1 font-mono" data-testid="source-name" required />
          <input value={path} onChange={(e) => setPath(e.target.value)} placeholder={`${roots[0] ?? "/usr/src"}/linux-source-6.6.tar.xz`} aria-label="path" className="min-w-72 flex-1 rounded border border-zinc-300 px-2 py-1 font-mono" data-testid="source-path" required />
          <button type="submit" disabled={busy} className="rounded-md bg-emerald-700 px-3 py-1 font-medium text-white hover:bg-emerald-800 disabled:opacity-50" data-testid="source-submit">
            Register
          </button>
        </div>
        {error && <p className="text-xs text-red-700" role="alert" data-testid="source-error">{error}</p>}
      </form>
    </Card>
  );
}

/** Removes a source an admin registered (DELETE /api/v1/sources/:id); the server refuses while builds use it. */
export function SourceRemoveButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  async function remove() {
    if (!window.confirm(`Remove the kernel source ${name}?`)) return;
    const res = await fetch(`/api/v1/sources/${encodeURIComponent(id)}`, { method: "DELETE" });
    if (!res.ok) setError(await errorOf(res));
    else router.refresh();
  }
  return (
    <span className="inline-flex flex-col items-end gap-1">
      <button type="button" onClick={remove} className="text-xs text-red-700 hover:underline" data-testid={`source-remove-${name}`}>
        Remove
      </button>
      {error && <span className="max-w-xs text-xs text-red-700" role="alert">{error}</span>}
    </span>
  );
}
