import { describe, expect, it } from "vitest";
import { ModinfoError, readModinfo } from "./modinfo";

/** A minimal ELF64 little-endian relocatable with the given named sections (as a .ko is laid out). */
function elf(sections: Record<string, Buffer>): Buffer {
  const names = ["", ...Object.keys(sections), ".shstrtab"];
  const shstrtab = Buffer.from(names.join("\0") + "\0");
  const nameOffset = (n: string) => names.slice(0, names.indexOf(n)).reduce((o, s) => o + s.length + 1, 0);
  const bodies = [Buffer.alloc(0), ...Object.values(sections), shstrtab];
  let offset = 64;
  const placed = bodies.map((b) => {
    const at = offset;
    offset += b.length;
    return at;
  });
  const shoff = offset;
  const header = Buffer.alloc(64);
  header.writeUInt32BE(0x7f454c46, 0);
  header[4] = 2; // 64-bit
  header[5] = 1; // little-endian
  header[6] = 1;
  header.writeUInt16LE(1, 0x10); // ET_REL
  header.writeUInt16LE(62, 0x12); // x86-64
  header.writeBigUInt64LE(BigInt(shoff), 0x28);
  header.writeUInt16LE(64, 0x34);
  header.writeUInt16LE(64, 0x3a);
  header.writeUInt16LE(names.length, 0x3c);
  header.writeUInt16LE(names.length - 1, 0x3e);
  const table = Buffer.alloc(64 * names.length);
  names.forEach((n, i) => {
    if (i === 0) return;
    table.writeUInt32LE(nameOffset(n), i * 64);
    table.writeUInt32LE(n === ".shstrtab" ? 3 : 1, i * 64 + 4);
    table.writeBigUInt64LE(BigInt(placed[i]!), i * 64 + 0x18);
    table.writeBigUInt64LE(BigInt(bodies[i]!.length), i * 64 + 0x20);
  });
  return Buffer.concat([header, ...bodies, table]);
}

const MODINFO = Buffer.from(
  ["author=d0u9", "description=A simple hello world example", "license=GPL v2", "author=someone else", "depends=", "retpoline=Y", "name=hello_world", "vermagic=6.1.192 mod_unload "].join("\0") + "\0\0\0",
);

describe("readModinfo", () => {
  it("reads name, vermagic, license, every author and description from .modinfo", () => {
    const info = readModinfo(elf({ ".text": Buffer.from([0xc3]), ".modinfo": MODINFO, ".data": Buffer.alloc(8) }));
    expect(info).toMatchObject({
      name: "hello_world",
      vermagic: "6.1.192 mod_unload ",
      license: "GPL v2",
      author: ["d0u9", "someone else"],
      description: "A simple hello world example",
    });
    expect(info.entries).toContainEqual({ key: "depends", value: "" });
    expect(info.entries).toHaveLength(8);
  });

  it("refuses what is not a module, saying why", () => {
    expect(() => readModinfo(Buffer.from("#!/bin/sh\necho not elf\n".padEnd(80)))).toThrow(new ModinfoError("not an ELF file"));
    expect(() => readModinfo(elf({ ".text": Buffer.from([0xc3]) }))).toThrow(/no \.modinfo section/);
    const truncated = elf({ ".modinfo": MODINFO }).subarray(0, 100);
    expect(() => readModinfo(truncated)).toThrow(ModinfoError);
    const thirtyTwo = elf({ ".modinfo": MODINFO });
    thirtyTwo[4] = 1;
    expect(() => readModinfo(thirtyTwo)).toThrow(/not a 64-bit/);
  });
});
