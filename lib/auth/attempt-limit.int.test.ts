import { describe, expect, it } from "vitest";
import { config } from "../config";
import { auth } from "./auth";

/**
 * Password guessing is slowed per client address: past KBUILD_AUTH_ATTEMPTS_PER_MINUTE
 * sign-in (or sign-up) attempts in a minute, the next answers 429 with an
 * X-Retry-After (better-auth's header), through the same handler the web app mounts at /api/auth.
 * Addresses are from TEST-NET-3, a new one per test: each test starts with
 * full buckets whatever ran before it in this process.
 */
const ORIGIN = "http://kbuild.test";
let nextAddress = Math.floor(Math.random() * 200);

function attempt(path: "sign-in/email" | "sign-up/email", address: string, body: object): Promise<Response> {
  return auth().handler(
    new Request(`${ORIGIN}/api/auth/${path}`, {
      method: "POST",
      // Next.js passes the socket's address as X-Forwarded-For; better-auth keys the limit on it.
      headers: { host: "kbuild.test", origin: ORIGIN, "content-type": "application/json", "x-forwarded-for": address },
      body: JSON.stringify(body),
    }),
  );
}

const wrongPassword = { email: "nobody@attempt-limit.test", password: "not-the-password" };

describe("sign-in and sign-up attempt limit", () => {
  const limit = config().authAttemptsPerMinute;

  it("is on by default, at 10 a minute", () => {
    expect(limit).toBe(10);
  });

  it("answers 429 with X-Retry-After past the limit, for that address only, and counts sign-ups apart", async () => {
    const address = `203.0.113.${nextAddress++}`;
    for (let i = 0; i < limit; i++) expect((await attempt("sign-in/email", address, wrongPassword)).status).toBe(401);
    const refused = await attempt("sign-in/email", address, wrongPassword);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("x-retry-after"))).toBeGreaterThan(0);
    // Another address is not held back, and sign-up has its own count.
    expect((await attempt("sign-in/email", `203.0.113.${nextAddress++}`, wrongPassword)).status).toBe(401);
    expect((await attempt("sign-up/email", address, { name: "x", email: "bad address", password: "short" })).status).toBe(400);
  });
});
