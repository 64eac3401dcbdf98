/**
 * A configurator model part as the API stores it, gzipped (`packed=gzip`),
 * unpacked in the browser: megabytes of JSON cross the network as a fifth of
 * that, and the server only streams a file. Any other answer (202 while the
 * model is prepared, errors) is plain JSON.
 */
export async function fetchPackedJson<T>(url: string, options: { method?: string; onOk?: () => void } = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}${url.includes("?") ? "&" : "?"}packed=gzip`, { method: options.method ?? "GET", headers: { Accept: "application/gzip, application/json" } });
  if (res.status !== 200 || !res.body) return { status: res.status, body: (await res.json()) as T };
  options.onOk?.();
  const text = await new Response(res.body.pipeThrough(new DecompressionStream("gzip"))).text();
  return { status: 200, body: JSON.parse(text) as T };
}
