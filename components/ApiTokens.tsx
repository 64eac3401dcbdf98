"use client";

import { useState } from "react";
import type { ApiTokenView } from "@/lib/auth/api-tokens";
import { Card } from "./Card";
import { CopyButton } from "./CopyButton";
import { formatTimestamp } from "./format";

interface ApiError {
  error?: string;
  issues?: { path: string; message: string }[];
}

const errorText = (body: ApiError | null, status: number) =>
  body?.issues?.length ? body.issues.map((i) => i.message).join("; ") : (body?.error ?? `the server answered ${status}`);

/**
 * Creating and revoking API tokens. A new token's secret is shown here once,
 * with a copy button: the server keeps only its hash and cannot show it again.
 */
export function ApiTokens({ initial }: { initial: ApiTokenView[] }) {
  const [tokens, setTokens] = useState(initial);
  const [name, setName] = useState("");
  const [expiresInDays, setExpiresInDays] = useState("");
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function create(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await fetch("/api/v1/tokens", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ name, ...(expiresInDays ? { expiresInDays: Number(expiresInDays) } : {}) }),
      });
      const body = (await res.json().catch(() => null)) as ({ token: ApiTokenView; secret: string } & ApiError) | null;
      if (res.status !== 201 || !body?.secret) {
        setError(errorText(body, res.status));
        return;
      }
      setCreated({ name: body.token.name, secret: body.secret });
      setTokens((list) => [body.token, ...list]);
      setName("");
      setExpiresInDays("");
    } finally {
      setBusy(false);
    }
  }

  async function revoke(token: ApiTokenView) {
    if (!window.confirm(`Revoke "${token.name}" (${token.prefix}…)? Whatever uses it stops working at once.`)) return;
    setError(null);
    const res = await fetch(`/api/v1/tokens/${token.id}`, { method: "DELETE", headers: { Accept: "application/json" } });
    const body = (await res.json().catch(() => null)) as ({ token: ApiTokenView } & ApiError) | null;
    if (!res.ok || !body?.token) {
      setError(errorText(body, res.status));
      return;
    }
    setTokens((list) => list.map((t) => (t.id === token.id ? body.token : t)));
  }

  return (
    <div className="space-y-4">
      <Card title="New token">
        <form onSubmit={create} className="flex flex-wrap items-end gap-3 p-3">
          <label className="flex flex-col gap-1">
            <span className="text-xs text-zinc-600">Name (what uses it)</span>
            <input
              className="w-72 rounded border border-zinc-300 px-2 py-1"
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="CI on the build farm"
              maxLength={100}
              required
              data-testid="token-name"
            />
          </label>
          <label className="flex flex-col gap-1">
            <span className="text-xs text-zinc-600">Expires after (days, empty: never)</span>
            <input
              className="w-40 rounded border border-zinc-300 px-2 py-1"
              type="number"
              min={1}
              max={3650}
              value={expiresInDays}
              onChange={(e) => setExpiresInDays(e.target.value)}
              data-testid="token-expires"
            />
          </label>
          <button type="submit" disabled={busy || !name.trim()} className="rounded bg-zinc-900 px-3 py-1.5 text-white disabled:opacity-50" data-testid="token-create">
            Create token
          </button>
          {error && (
            <p className="w-full text-red-700" role="alert" data-testid="token-error">
              {error}
            </p>
          )}
        </form>
        {created && (
          <div className="border-t border-amber-300 bg-amber-50 p-3 text-amber-900" data-testid="token-created">
            <p className="font-medium">
              Copy the token “{created.name}” now: it is shown only this once. kbuild keeps only a hash of it and cannot show it again.
            </p>
            <div className="mt-2 flex items-center gap-2">
              <code className="rounded border border-amber-300 bg-white px-2 py-1 font-mono text-[13px] break-all select-all" data-testid="token-secret">
                {created.secret}
              </code>
              <CopyButton text={created.secret} />
            </div>
          </div>
        )}
      </Card>

      <Card title="Your tokens in this team">
        {tokens.length === 0 ? (
          <p className="p-3 text-zinc-500">No tokens yet.</p>
        ) : (
          <table className="w-full text-[13px]" data-testid="token-list">
            <thead className="text-left text-xs text-zinc-500">
              <tr>
                <th className="px-3 py-1.5 font-medium">Name</th>
                <th className="px-3 py-1.5 font-medium">Token</th>
                <th className="px-3 py-1.5 font-medium">Created</th>
                <th className="px-3 py-1.5 font-medium">Last used</th>
                <th className="px-3 py-1.5 font-medium">Expires</th>
                <th className="px-3 py-1.5" />
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {tokens.map((t) => (
                <tr key={t.id} className={t.revokedAt ? "text-zinc-400" : undefined} data-testid={`token-${t.prefix}`}>
                  <td className="px-3 py-1.5">{t.name}</td>
                  <td className="px-3 py-1.5 font-mono">{t.prefix}…</td>
                  <td className="px-3 py-1.5">{formatTimestamp(t.createdAt)}</td>
                  <td className="px-3 py-1.5">{t.lastUsedAt ? formatTimestamp(t.lastUsedAt) : "never"}</td>
                  <td className="px-3 py-1.5">{t.expiresAt ? formatTimestamp(t.expiresAt) : "never"}</td>
                  <td className="px-3 py-1.5 text-right">
                    {t.revokedAt ? (
                      <span>revoked {formatTimestamp(t.revokedAt)}</span>
                    ) : (
                      <button type="button" className="rounded border border-red-300 px-2 py-0.5 text-red-700 hover:bg-red-50" onClick={() => void revoke(t)}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
