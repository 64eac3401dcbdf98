/**
 * A signed-in session for benchmarks that call the HTTP API: signs up the
 * bench user (on the benchmark's freshly reset database that is the install's
 * first user, who inherits the default team and so sees the builds the
 * benchmarks write as the default actor), or signs in when it exists already.
 * Returns the request headers that carry the session cookie.
 */
export const BENCH_USER = { name: "Benchmark", email: "bench@kbuild.local", password: "benchmark-password" };

export async function benchSessionHeaders(base: string): Promise<{ cookie: string }> {
  const post = (path: string, body: object) =>
    fetch(`${base}/api/auth/${path}`, { method: "POST", headers: { "content-type": "application/json", origin: base }, body: JSON.stringify(body) });
  let res = await post("sign-up/email", BENCH_USER);
  if (res.status === 422) res = await post("sign-in/email", { email: BENCH_USER.email, password: BENCH_USER.password });
  if (!res.ok) throw new Error(`signing in the bench user at ${base}: HTTP ${res.status} ${await res.text()}`);
  await res.body?.cancel();
  const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  if (!cookie) throw new Error(`signing in the bench user at ${base}: no session cookie`);
  return { cookie };
}
