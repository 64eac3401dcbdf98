/**
 * A kernel module's .modinfo section, read from the .ko file itself (ELF64,
 * little-endian as on x86_64): NUL-separated "key=value" strings, some keys
 * repeated (alias, author, depends, ...). Reading the file here needs no tool
 * and no sandbox; the file is never executed.
 */
export interface ModuleInfo {
  /** Every key=value in section order; a key may repeat. */
  entries: { key: string; value: string }[];
  name: string | null;
  vermagic: string | null;
  license: string | null;
  author: string[];
  description: string | null;
}

export class ModinfoError extends Error {}

export function readModinfo(bytes: Buffer): ModuleInfo {
  const entries = parseEntries(modinfoSection(bytes));
  const first = (key: string) => entries.find((e) => e.key === key)?.value ?? null;
  return {
    entries,
    name: first("name"),
    vermagic: first("vermagic"),
    license: first("license"),
    author: entries.filter((e) => e.key === "author").map((e) => e.value),
    description: first("description"),
  };
}

function modinfoSection(b: Buffer): Buffer {
  if (b.length < 64 || b.readUInt32BE(0) !== 0x7f454c46) throw new ModinfoError("not an ELF file");
  if (b[4] !== 2) throw new ModinfoError("not a 64-bit ELF file");
  if (b[5] !== 1) throw new ModinfoError("not a little-endian ELF file");
  const shoff = Number(b.readBigUInt64LE(0x28));
  const shentsize = b.readUInt16LE(0x3a);
  const shnum = b.readUInt16LE(0x3c);
  const shstrndx = b.readUInt16LE(0x3e);
  if (shentsize < 64 || shstrndx >= shnum || shoff + shnum * shentsize > b.length) throw new ModinfoError("the ELF section table is truncated");
  const header = (i: number) => {
    const at = shoff + i * shentsize;
    return { name: b.readUInt32LE(at), offset: Number(b.readBigUInt64LE(at + 0x18)), size: Number(b.readBigUInt64LE(at + 0x20)) };
  };
  const slice = (offset: number, size: number) => {
    if (offset + size > b.length) throw new ModinfoError("an ELF section lies outside the file");
    return b.subarray(offset, offset + size);
  };
  const strtab = header(shstrndx);
  const names = slice(strtab.offset, strtab.size);
  for (let i = 0; i < shnum; i++) {
    const h = header(i);
    const end = names.indexOf(0, h.name);
    if (names.subarray(h.name, end < 0 ? undefined : end).toString("latin1") === ".modinfo") return slice(h.offset, h.size);
  }
  throw new ModinfoError("the file has no .modinfo section: not a kernel module");
}

function parseEntries(section: Buffer): { key: string; value: string }[] {
  return section
    .toString("utf8")
    .split("\0")
    .filter((s) => s.includes("="))
    .map((s) => {
      const at = s.indexOf("=");
      return { key: s.slice(0, at), value: s.slice(at + 1) };
    });
}
