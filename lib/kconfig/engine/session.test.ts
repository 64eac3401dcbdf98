import { describe, expect, it } from "vitest";
import { fixtureKconfig } from "../../../test/kconfig-fixture";
import { deserializeKconfig, serializeKconfig } from "./serialize";
import { ConfigSession } from "./session";

const session = (rustAvailable: boolean, base = "") => {
  const { model } = JSON.parse(JSON.stringify(serializeKconfig(fixtureKconfig({ rustAvailable })))) as ReturnType<typeof serializeKconfig>;
  return new ConfigSession(deserializeKconfig(model), base);
};

describe("ConfigSession", () => {
  it("sets values, reports what else changed, and gives the options a build asks for", () => {
    const s = session(true, "CONFIG_MODULES=y\n");
    const rust = s.set("RUST", "y");
    expect(rust.ok).toBe(true);
    expect(rust.changes.map((c) => c.symbol)).toEqual(expect.arrayContaining(["RUST", "CONSTRUCTORS", "KALLSYMS"]));
    expect(s.set("SAMPLES", "y").ok).toBe(true);
    expect(s.set("SAMPLES_RUST", "y").ok).toBe(true);
    expect(s.set("SAMPLE_RUST_MINIMAL", "m").ok).toBe(true);
    expect(s.set("NR_CPUS", "16").ok).toBe(true);
    expect(s.options()).toEqual([
      { symbol: "RUST", value: "y" },
      { symbol: "SAMPLES", value: "y" },
      { symbol: "SAMPLES_RUST", value: "y" },
      { symbol: "SAMPLE_RUST_MINIMAL", value: "m" },
      { symbol: "NR_CPUS", value: "16" },
    ]);
    // Setting a value back to the base's asks for nothing.
    s.set("NR_CPUS", "8");
    expect(s.options().map((o) => o.symbol)).not.toContain("NR_CPUS");
  });

  it("refuses what cannot be set, with the reason in the detail", () => {
    const s = session(false);
    const result = s.set("RUST", "y");
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/CONFIG_RUST can only be n/);
    const detail = s.detail("RUST");
    expect(detail.choices).toBe("n");
    expect(detail.whyNotOn?.text).toBe("RUST = n");
    expect(detail.dependsOn).toEqual({ text: "HAVE_RUST && RUST_IS_AVAILABLE", value: "n" });
    expect(detail.selects).toEqual([{ symbol: "CONSTRUCTORS", value: "n" }]);
    expect(detail.implies).toEqual([{ symbol: "KALLSYMS", value: "n" }]);
  });

  it("forgets an assignment and recomputes from the base", () => {
    const s = session(true);
    s.set("RUST", "y");
    const back = s.unset("RUST");
    expect(back.changes).toEqual(expect.arrayContaining([{ symbol: "RUST", before: "y", after: "n" }]));
    expect(s.options()).toEqual([]);
  });

  it("shows menus and the values a user may choose", () => {
    const s = session(true);
    const v = s.view();
    const kc = s.kc;
    const idx = kc.tree.symbols.indexOf(kc.symbol("RUST")!);
    expect(v.values[idx]).toBe("n");
    expect(v.choices[idx]).toBe("ny");
    expect(v.menuVisible[0]).toBe(true);
  });

  it("warns about every bad line of an uploaded .config and never throws", () => {
    const s = session(true, "CONFIG_RUST=y\nCONFIG_NOPE=y\ngarbage\nCONFIG_NR_CPUS=abc\n\u0000\n");
    expect(s.baseWarnings.map((w) => w.line)).toEqual([2, 3, 4, 5]);
    expect(s.view().values[s.kc.tree.symbols.indexOf(s.kc.symbol("RUST")!)]).toBe("y");
  });
});
