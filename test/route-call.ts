import { readdir } from "node:fs/promises";
import path from "node:path";

/**
 * Calling the real /api/v1 route handlers without a web server: the handlers
 * are plain functions of a Request and their route params, as Next.js calls them.
 */

export const API_DIR = path.join(import.meta.dirname, "..", "app", "api", "v1");
export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;

type Handler = (request: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
export type RouteModule = Partial<Record<(typeof HTTP_METHODS)[number], Handler>>;

export interface Route {
  /** "/api/v1/builds/[id]/log" */
  pattern: string;
  /** The dynamic segments' names, in order: ["id"]. */
  paramNames: string[];
  load: () => Promise<RouteModule>;
}

/** Every route.ts under app/api/v1. */
export async function apiRoutes(): Promise<Route[]> {
  const files = (await readdir(API_DIR, { recursive: true })).filter((f) => f === "route.ts" || f.endsWith(`${path.sep}route.ts`));
  return files.sort().map((file) => {
    const dir = path.dirname(file) === "." ? "" : `/${path.dirname(file).split(path.sep).join("/")}`;
    return {
      pattern: `/api/v1${dir}`,
      paramNames: [...dir.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!),
      load: () => import(path.join(API_DIR, file)) as Promise<RouteModule>,
    };
  });
}

/** Matches a path against the routes; a static segment wins over a dynamic one ("/builds/compare" is not build "compare"). */
export function matchRoute(routes: Route[], pathname: string): { route: Route; params: Record<string, string> } | null {
  const parts = pathname.split("/").filter(Boolean);
  let best: { route: Route; params: Record<string, string>; dynamic: number } | null = null;
  for (const route of routes) {
    const segments = route.pattern.split("/").filter(Boolean);
    if (segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let dynamic = 0;
    const ok = segments.every((s, i) => {
      const name = /^\[([^\]]+)\]$/.exec(s)?.[1];
      if (!name) return s === parts[i];
      dynamic++;
      params[name] = decodeURIComponent(parts[i]!);
      return true;
    });
    if (ok && (!best || dynamic < best.dynamic)) best = { route, params, dynamic };
  }
  return best && { route: best.route, params: best.params };
}

/** Calls one handler as Next.js would. */
export async function callRoute(
  mod: RouteModule,
  method: (typeof HTTP_METHODS)[number],
  request: Request,
  params: Record<string, string> = {},
): Promise<Response> {
  const handler = mod[method];
  if (!handler) throw new Error(`the route has no ${method} handler`);
  return handler(request, { params: Promise.resolve(params) });
}
