import { RequestError } from "@/lib/builds/service";

/**
 * What every /api/v1 route shares: JSON responses, the error shape
 * `{ error, issues? }`, and a body reader with a size limit. Unexpected errors
 * are logged here and answered with a bare 500, never with their message.
 */

export interface ApiIssue {
  path: string;
  message: string;
}

export interface ApiErrorBody {
  error: string;
  issues?: ApiIssue[];
}

const NO_STORE = { "Cache-Control": "no-store" };

export function json(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", NO_STORE["Cache-Control"]);
  return Response.json(body, { ...init, headers });
}

export function jsonError(status: number, error: string, issues: ApiIssue[] = []): Response {
  const body: ApiErrorBody = issues.length ? { error, issues } : { error };
  return json(body, { status });
}

/** Turns a thrown error into the API's error response. */
export function errorResponse(err: unknown, where: string): Response {
  if (err instanceof RequestError) return jsonError(err.status, err.message, err.issues);
  console.error(`[api] ${where}:`, err);
  return jsonError(500, "internal error");
}

/** Runs a handler, answering thrown errors in the API's shape. */
export async function handle(where: string, fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (err) {
    return errorResponse(err, where);
  }
}

export const MAX_JSON_BODY_BYTES = 2 * 1024 * 1024;

/**
 * Reads a JSON request body: only `application/json` (which also keeps plain
 * HTML forms from other sites from posting here), at most `limit` bytes,
 * counted while reading so that a missing or false Content-Length does not
 * get past the limit.
 */
export async function readJsonBody(request: Request, limit = MAX_JSON_BODY_BYTES): Promise<unknown> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json" && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) {
    throw new RequestError(400, "expected a JSON body (Content-Type: application/json)");
  }
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    throw new RequestError(413, `request body too large (at most ${limit} bytes)`);
  }
  if (!request.body) throw new RequestError(400, "request body is empty; expected JSON");

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new RequestError(413, `request body too large (at most ${limit} bytes)`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new RequestError(400, "request body is not valid UTF-8");
  }
  if (!text.trim()) throw new RequestError(400, "request body is empty; expected JSON");
  try {
    return JSON.parse(text);
  } catch {
    throw new RequestError(400, "request body is not valid JSON");
  }
}

/** Route params arrive as a Promise in Next 15+. */
export type Params<T extends Record<string, string>> = { params: Promise<T> };
