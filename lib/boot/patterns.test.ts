import { describe, expect, it } from "vitest";
import { MATCH_WINDOW, PatternListSchema, compilePattern, unsafeRegexReason } from "./patterns";

describe("user patterns", () => {
  it("match literal strings literally, regex metacharacters included", () => {
    const test = compilePattern({ literal: "a.b (x)" });
    expect(test("got a.b (x) here")).toBe(true);
    expect(test("got aXb (x) here")).toBe(false);
  });

  it("match safe regexes", () => {
    expect(compilePattern({ regex: "^rust_minimal: .*init" })("rust_minimal: Rust minimal sample (init)")).toBe(true);
    expect(compilePattern({ regex: "version \\d+\\.\\d{1,3}" })("version 6.12")).toBe(true);
    expect(compilePattern({ regex: "(?:foo|bar)baz" })("xbarbaz")).toBe(true);
  });

  it("refuse regexes that could take exponential or high polynomial time, saying why", () => {
    expect(unsafeRegexReason("(a+)+$")).toMatch(/quantifier may not follow a group/);
    expect(unsafeRegexReason("(a|aa)*")).toMatch(/quantifier may not follow a group/);
    expect(unsafeRegexReason(".*a.*b")).toMatch(/at most one unbounded repeat/);
    expect(unsafeRegexReason("a?a?a?a?a?aaaaa")).toMatch(/too many ways/);
    expect(unsafeRegexReason("x{1,100}")).toMatch(/too many ways/);
    expect(unsafeRegexReason("(a)\\1")).toMatch(/backreferences/);
    expect(unsafeRegexReason("a(?=b)")).toMatch(/lookaround/);
    expect(unsafeRegexReason("(?<n>a)")).toMatch(/lookaround or named/);
    expect(unsafeRegexReason("a[")).toMatch(/not a valid regular expression/);
    expect(unsafeRegexReason("x{2,}y+")).toMatch(/at most one unbounded/);
  });

  it("accept the ordinary ones", () => {
    for (const ok of ["Oops", "^\\[\\s*\\d", "insmod: can't insert", "[0-9a-f]{8}", "a|b|c", "foo.*", "\\(init\\)$"]) {
      expect(unsafeRegexReason(ok), ok).toBeNull();
    }
  });

  it("are validated as a list: length caps, count caps, no line breaks, literal or regex only", () => {
    expect(PatternListSchema.safeParse([{ literal: "x".repeat(201) }]).success).toBe(false);
    expect(PatternListSchema.safeParse(Array.from({ length: 17 }, () => ({ literal: "x" }))).success).toBe(false);
    expect(PatternListSchema.safeParse([{ literal: "a\nb" }]).success).toBe(false);
    expect(PatternListSchema.safeParse([{ literal: "" }]).success).toBe(false);
    expect(PatternListSchema.safeParse([{ literal: "a", regex: "b" }]).success).toBe(false);
    expect(PatternListSchema.safeParse([{ glob: "a*" }]).success).toBe(false);
    const bad = PatternListSchema.safeParse([{ regex: "(x+)+" }]);
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.message).toMatch(/quantifier may not follow a group/);
    expect(PatternListSchema.parse(undefined)).toEqual([]);
  });

  it("see only the start of a very long line", () => {
    expect(compilePattern({ literal: "needle" })(`${"x".repeat(MATCH_WINDOW)}needle`)).toBe(false);
  });
});
