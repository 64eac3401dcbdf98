import type { Kconfig } from "../lib/kconfig/engine";
import type { KSymbol } from "../lib/kconfig/engine/model";

/** mulberry32: a small seeded generator, so a failing scenario can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)]!;

const STRINGS = ["", "kbuild", "a b", 'with "quotes"', "back\\slash", "-Os"];

/**
 * A .config fragment toggling 1–6 symbols of every kind: visible and
 * invisible, bool, tristate, int, hex, string and choice members, with values
 * in and out of their ranges (the kernel must drop or clamp those).
 */
export function randomScenario(kc: Kconfig, candidates: KSymbol[], random: () => number): string {
  const members = candidates.filter((s) => kc.eval.isChoiceValue(s));
  const numbers = candidates.filter((s) => s.type === "int" || s.type === "hex");
  const strings = candidates.filter((s) => s.type === "string");
  const lines: string[] = [];
  const count = 1 + Math.floor(random() * 6);
  for (let i = 0; i < count; i++) {
    const roll = random();
    const sym = roll < 0.2 ? pick(members, random) : roll < 0.35 ? pick(numbers, random) : roll < 0.45 ? pick(strings, random) : pick(candidates, random);
    lines.push(assignment(sym, random));
  }
  return `${lines.join("\n")}\n`;
}

function assignment(sym: KSymbol, random: () => number): string {
  const name = `CONFIG_${sym.name}`;
  switch (sym.type) {
    case "bool":
    case "tristate": {
      const value = pick(sym.type === "bool" ? ["y", "n"] : ["y", "m", "n"], random);
      return value === "n" ? `# ${name} is not set` : `${name}=${value}`;
    }
    case "int":
      return `${name}=${pick([0, 1, 2, 7, 64, 100, 4096, -1, 1 << 20, 2147483647], random)}`;
    case "hex":
      return `${name}=${pick(["0x0", "0x10", "0x1000", "0xffffffff", "1000", "0x80000000000000"], random)}`;
    default:
      return `${name}="${pick(STRINGS, random).replace(/["\\]/g, "\\$&")}"`;
  }
}
