import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { menuPath, search } from "../../../components/configurator/modelView";
import { Kconfig } from "../engine/kconfig";
import { parseKconfig } from "../engine/parser";
import { serializeKconfig } from "../engine/serialize";
import { outlineOf } from "./outline";

describe("the outline of a model", () => {
  it("keeps what the page renders and searches, with the model's indices", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "kbuild-outline-"));
    writeFileSync(
      path.join(dir, "Kconfig"),
      ['menu "Kernel hacking"', 'config SAMPLES\n\tbool "Sample kernel code"\n\tdefault y if FOO\n\thelp\n\t  Samples.', "config FOO\n\tbool", "endmenu", ""].join("\n"),
    );
    const options = { srctree: dir, env: { ARCH: "x86_64", SRCARCH: "x86" }, shell: () => "", choiceRules: "post-6.11" as const };
    const { model } = serializeKconfig(Kconfig.fromParsed(parseKconfig(options), options));
    const outline = outlineOf(model);
    expect(outline.menus).toHaveLength(model.menus.length);
    expect(outline.symbols.map((s) => s.n)).toEqual(model.symbols.map((s) => s.n));
    // Only prompts keep their text; defaults and the rest are left to the Web Worker's whole model.
    expect(outline.props.filter(Boolean).map((p) => p!.x)).toEqual(expect.arrayContaining(["Kernel hacking", "Sample kernel code"]));
    const defaults = model.props.flatMap((p, i) => (p.t === "default" ? [i] : []));
    expect(defaults.length).toBeGreaterThan(0);
    for (const i of defaults) expect(outline.props[i]).toBeNull();
    expect(JSON.stringify(outline).length).toBeLessThan(JSON.stringify(model).length / 2);
    const [hit] = search(outline, "samples", null);
    expect(hit).toMatchObject({ name: "SAMPLES", label: "Sample kernel code", path: ["Kernel hacking"], field: "name" });
    expect(menuPath(outline, hit!.menu)).toEqual(["Kernel hacking"]);
    expect(outline.menus[hit!.menu]!.h).toBe(1);
  });
});
