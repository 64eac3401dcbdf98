import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { HTTP_METHODS, apiRoutes, callRoute, matchRoute } from "./route-call";

/**
 * The real /api/v1 route handlers behind a plain HTTP server in the test
 * process, for clients that must talk HTTP (the command line) without a
 * `next build`: requests and responses pass through as Next.js passes them,
 * streamed both ways, and a client that goes away aborts its request's signal.
 */
export async function startApiServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const routes = await apiRoutes();
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
      const match = matchRoute(routes, url.pathname);
      const method = (req.method ?? "GET") as (typeof HTTP_METHODS)[number];
      const mod = match && (await match.route.load());
      if (!match || !mod?.[method]) {
        res.writeHead(404, { "Content-Type": "application/json" }).end(JSON.stringify({ error: `no route ${method} ${url.pathname}` }));
        return;
      }
      const abort = new AbortController();
      res.on("close", () => abort.abort());
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
      }
      const hasBody = method !== "GET" && method !== "HEAD";
      const request = new Request(url, {
        method,
        headers,
        signal: abort.signal,
        ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: "half" } : {}),
      } as RequestInit);
      const response = await callRoute(mod, method, request, match.params);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.flushHeaders();
      if (!response.body) return void res.end();
      const reader = response.body.getReader();
      abort.signal.addEventListener("abort", () => void reader.cancel().catch(() => {}), { once: true });
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        res.write(value);
      }
      res.end();
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" }).end(JSON.stringify({ error: String(err) }));
      else res.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
