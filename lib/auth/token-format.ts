import { createHash, randomBytes } from "node:crypto";

/**
 * The shape of an API token: `kb_<prefix>_<secret>`. The prefix is not secret
 * (lists show it so a user can tell tokens apart, and it is safe in logs and
 * error messages); the secret is 32 random bytes, base64url, and is shown once.
 *
 * Only sha256(secret) is stored. A slow password hash (bcrypt, argon2) exists to
 * make guessing a low-entropy human password expensive; a 256-bit random secret
 * cannot be guessed at any speed, so a fast hash loses nothing, and it lets a
 * request find its token with one indexed lookup instead of a deliberately slow
 * comparison on every API call.
 */

export const TOKEN_PREFIX_LENGTH = 10;
const SECRET_BYTES = 32;
/** Lowercase letters and digits without look-alikes, so a prefix reads back unambiguously. */
const PREFIX_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

const TOKEN = new RegExp(`^kb_([${PREFIX_ALPHABET}]{${TOKEN_PREFIX_LENGTH}})_([A-Za-z0-9_-]{43})$`);

export interface ParsedToken {
  prefix: string;
  secret: string;
}

/** The parts of a token, or null when the text is not shaped like one. */
export function parseToken(text: string): ParsedToken | null {
  const m = TOKEN.exec(text);
  return m ? { prefix: m[1]!, secret: m[2]! } : null;
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** A new token: its text (shown once), its prefix and the hash to store. */
export function generateToken(): { token: string; prefix: string; secretHash: string } {
  // Rejection sampling keeps every character of the prefix equally likely.
  let prefix = "";
  while (prefix.length < TOKEN_PREFIX_LENGTH) {
    for (const byte of randomBytes(TOKEN_PREFIX_LENGTH)) {
      if (byte < 256 - (256 % PREFIX_ALPHABET.length) && prefix.length < TOKEN_PREFIX_LENGTH) prefix += PREFIX_ALPHABET[byte % PREFIX_ALPHABET.length];
    }
  }
  const secret = randomBytes(SECRET_BYTES).toString("base64url");
  return { token: `kb_${prefix}_${secret}`, prefix, secretHash: hashSecret(secret) };
}

/** How a token is named where its secret must not appear. */
export function displayPrefix(prefix: string): string {
  return `kb_${prefix}`;
}

export type BearerCredential = { kind: "none" } | { kind: "malformed"; reason: string } | { kind: "token"; token: ParsedToken };

/**
 * Reads an `Authorization` header. Nothing here echoes the header's value: a
 * mistyped token may still be most of a real one.
 */
export function readBearer(header: string | null | undefined): BearerCredential {
  if (header == null) return { kind: "none" };
  const m = /^\s*(\S+)(?:\s+(.*))?$/.exec(header);
  if (!m) return { kind: "malformed", reason: "the Authorization header is empty" };
  if (m[1]!.toLowerCase() !== "bearer") {
    return { kind: "malformed", reason: `the Authorization scheme must be Bearer (got ${JSON.stringify(m[1]!.slice(0, 20))})` };
  }
  const token = parseToken((m[2] ?? "").trim());
  if (!token) return { kind: "malformed", reason: "the bearer token is not a kbuild API token (kb_<prefix>_<secret>)" };
  return { kind: "token", token };
}
