import { describe, expect, it } from "vitest";
import { displayPrefix, generateToken, hashSecret, parseToken, readBearer } from "./token-format";

describe("API token format", () => {
  it("generates tokens that parse back to their prefix and whose secret hashes to the stored hash", () => {
    const { token, prefix, secretHash } = generateToken();
    const parsed = parseToken(token);
    expect(parsed?.prefix).toBe(prefix);
    expect(hashSecret(parsed!.secret)).toBe(secretHash);
    expect(token).not.toContain(secretHash);
    expect(displayPrefix(prefix)).toBe(token.slice(0, 13));
  });

  it("never generates the same token twice", () => {
    const tokens = new Set(Array.from({ length: 200 }, () => generateToken().token));
    expect(tokens.size).toBe(200);
  });

  it("hashes with sha256, hex", () => {
    expect(hashSecret("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("refuses text that is not shaped like a token", () => {
    const good = generateToken().token;
    expect(parseToken(good)).not.toBeNull();
    for (const bad of ["", "kb_", good.slice(0, -1), `${good}x`, good.replace(/^kb_/, "gh_"), good.replace(/^kb_(.)/, "kb_I"), ` ${good}`]) {
      expect(parseToken(bad), bad).toBeNull();
    }
  });
});

describe("reading the Authorization header", () => {
  const { token, prefix } = generateToken();

  it("is none without a header, and a token with a Bearer one in any case of the scheme", () => {
    expect(readBearer(null)).toEqual({ kind: "none" });
    expect(readBearer(`Bearer ${token}`)).toMatchObject({ kind: "token", token: { prefix } });
    expect(readBearer(`bearer   ${token} `)).toMatchObject({ kind: "token", token: { prefix } });
  });

  it("names what is wrong with a malformed header without echoing the credential", () => {
    const cases = ["", "Bearer", `Basic ${Buffer.from("user:pw").toString("base64")}`, `Bearer ${token.slice(0, -2)}`, `Bearer ${token} extra`];
    for (const header of cases) {
      const result = readBearer(header);
      expect(result.kind, header).toBe("malformed");
      if (result.kind !== "malformed") continue;
      expect(result.reason).not.toContain(token.slice(14, 30));
      expect(result.reason).not.toContain("dXNlcjpwdw");
    }
    expect(readBearer("Basic abc")).toMatchObject({ reason: expect.stringMatching(/scheme must be Bearer/) });
  });
});
