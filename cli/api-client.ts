import { parseToken } from "../lib/auth/token-format";
import { CliError, usage } from "./errors";

/**
 * The kbuild REST API as the command line uses it: one server, one optional API
 * token, and errors turned into messages that name the cause and the fix.
 */

export const DEFAULT_URL = "http://localhost:3000";

/** The options every command that talks to a server takes. */
export const CONNECTION_OPTIONS = {
  url: { type: "string" },
  token: { type: "string" },
} as const;

export const CONNECTION_USAGE = `  --url URL      the kbuild server (default: $KBUILD_URL, else ${DEFAULT_URL})
  --token TOKEN  an API token (default: $KBUILD_TOKEN); create one on the server's API tokens page`;

interface ApiErrorBody {
  error?: string;
  issues?: { path: string; message: string }[];
}

export class ApiClient {
  constructor(
    readonly baseUrl: URL,
    private readonly token: string | undefined,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** From --url/--token, else KBUILD_URL/KBUILD_TOKEN; a malformed value is a usage error. */
  static fromOptions(values: { url?: string; token?: string }, env: NodeJS.ProcessEnv = process.env, fetchImpl: typeof fetch = fetch): ApiClient {
    const urlText = values.url ?? env.KBUILD_URL ?? DEFAULT_URL;
    let url: URL;
    try {
      url = new URL(urlText);
    } catch {
      throw usage(`${values.url ? "--url" : "KBUILD_URL"} ${JSON.stringify(urlText)} is not a URL; give the server's address, e.g. ${DEFAULT_URL}`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw usage(`${urlText}: the server's address must start with http:// or https://`);
    const token = (values.token ?? env.KBUILD_TOKEN)?.trim() || undefined;
    if (token && !parseToken(token)) {
      // Never print the value: it may be most of a real secret.
      throw usage(`${values.token ? "--token" : "KBUILD_TOKEN"} is not a kbuild API token (they look like kb_<prefix>_<secret>); copy it again from ${new URL("/settings/tokens", url)}`);
    }
    if (token && url.protocol === "http:" && !["localhost", "127.0.0.1", "[::1]"].includes(url.hostname)) {
      process.stderr.write(`kbuild: warning: sending the API token over plain http to ${url.host}; use https:// for a server on another machine\n`);
    }
    return new ApiClient(url, token, fetchImpl);
  }

  url(path: string): URL {
    return new URL(path, this.baseUrl);
  }

  /** A request to the API; network failures become a message naming the server. */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.token) headers.set("Authorization", `Bearer ${this.token}`);
    try {
      return await this.fetchImpl(this.url(path), { ...init, headers });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
      throw new CliError(`cannot reach kbuild at ${this.baseUrl.origin} (${why}); is it running? Point --url or KBUILD_URL at it`);
    }
  }

  /** A JSON answer, or a CliError saying what the server refused and what to do; `notFound` words a 404. */
  async json<T>(path: string, init: RequestInit = {}, notFound?: string): Promise<T> {
    const res = await this.fetch(path, { ...init, headers: { Accept: "application/json", ...(init.headers as Record<string, string> | undefined) } });
    if (!res.ok) throw await this.failure(res, notFound);
    return (await res.json()) as T;
  }

  async postJson<T>(path: string, body: unknown, notFound?: string): Promise<T> {
    return this.json<T>(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }, notFound);
  }

  /** The CliError for a refused request. */
  async failure(res: Response, notFound?: string): Promise<CliError> {
    const body = (await res.json().catch(() => null)) as ApiErrorBody | null;
    const said = body?.error ?? res.statusText;
    const issues = body?.issues?.length ? `\n${body.issues.map((i) => `  ${i.path || "(request)"}: ${i.message}`).join("\n")}` : "";
    switch (res.status) {
      case 401:
        return new CliError(
          this.token
            ? `the server refused the API token: ${said}`
            : `the server wants an API token (${said}); create one at ${this.url("/settings/tokens")} and pass --token or set KBUILD_TOKEN`,
        );
      case 403:
        return new CliError(`not allowed: ${said}; a team admin can give you a role that may`);
      case 404:
        return new CliError(notFound ? `${notFound} (${said})` : said);
      default:
        if (res.status >= 500) return new CliError(`the server failed (${res.status} ${said}); its log says why`);
        return new CliError(`${said}${issues}`);
    }
  }
}
