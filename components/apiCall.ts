/**
 * A JSON call to kbuild's API from the browser: the parsed body on success,
 * or the server's `{ error }` message (or what went wrong on the way).
 */
export async function apiCall<T = unknown>(method: string, url: string, body?: unknown): Promise<{ ok: true; data: T } | { ok: false; error: string }> {
  try {
    const res = await fetch(url, {
      method,
      headers: body === undefined ? { Accept: "application/json" } : { "Content-Type": "application/json", Accept: "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const payload = res.status === 204 ? null : await res.json().catch(() => null);
    if (res.ok) return { ok: true, data: payload as T };
    const error = (payload as { error?: string } | null)?.error ?? `the server answered ${res.status} ${res.statusText}`;
    return { ok: false, error };
  } catch (err) {
    return { ok: false, error: `could not reach the server: ${(err as Error).message}` };
  }
}
