/**
 * A cpio archive in the "newc" format (magic 070701), which is what the kernel
 * unpacks as an initramfs. Written here rather than by `cpio -o` so that an
 * initramfs is built from bytes in memory, with fixed owners and times (the
 * same inputs give the same archive), and with device nodes, which only the
 * kernel has to be allowed to create.
 */
export type CpioEntry =
  | { path: string; type: "dir"; mode: number }
  | { path: string; type: "file"; mode: number; data: Uint8Array }
  | { path: string; type: "symlink"; target: string }
  | { path: string; type: "char"; mode: number; major: number; minor: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;
const TRAILER = "TRAILER!!!";

function hex8(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`cpio field out of range: ${n}`);
  return n.toString(16).padStart(8, "0");
}

function pad4(n: number): number {
  return (4 - (n % 4)) % 4;
}

function header(f: { ino: number; mode: number; nlink: number; size: number; rdevMajor?: number; rdevMinor?: number; nameSize: number }): string {
  // magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check
  return ["070701", hex8(f.ino), hex8(f.mode), hex8(0), hex8(0), hex8(f.nlink), hex8(0), hex8(f.size), hex8(0), hex8(0), hex8(f.rdevMajor ?? 0), hex8(f.rdevMinor ?? 0), hex8(f.nameSize), hex8(0)].join("");
}

/** Paths are relative to the archive's root ("bin/busybox"); a leading "/" or ".." is refused. */
function checkPath(p: string): void {
  if (!p || p.startsWith("/") || p.split("/").some((part) => part === ".." || part === "." || part === "")) {
    throw new Error(`bad cpio path ${JSON.stringify(p)}`);
  }
}

export function writeCpio(entries: CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  const push = (head: string, name: string, data: Uint8Array) => {
    const nameBytes = Buffer.from(`${name}\0`, "utf8");
    parts.push(Buffer.from(head, "ascii"), nameBytes, Buffer.alloc(pad4(110 + nameBytes.length)));
    if (data.length) parts.push(Buffer.from(data), Buffer.alloc(pad4(data.length)));
  };
  let ino = 1;
  for (const e of entries) {
    checkPath(e.path);
    const nameSize = Buffer.byteLength(e.path, "utf8") + 1;
    switch (e.type) {
      case "dir":
        push(header({ ino: ino++, mode: S_IFDIR | e.mode, nlink: 2, size: 0, nameSize }), e.path, new Uint8Array());
        break;
      case "file":
        push(header({ ino: ino++, mode: S_IFREG | e.mode, nlink: 1, size: e.data.length, nameSize }), e.path, e.data);
        break;
      case "symlink": {
        const target = Buffer.from(e.target, "utf8");
        push(header({ ino: ino++, mode: S_IFLNK | 0o777, nlink: 1, size: target.length, nameSize }), e.path, target);
        break;
      }
      case "char":
        push(header({ ino: ino++, mode: S_IFCHR | e.mode, nlink: 1, size: 0, rdevMajor: e.major, rdevMinor: e.minor, nameSize }), e.path, new Uint8Array());
        break;
    }
  }
  push(header({ ino: 0, mode: 0, nlink: 1, size: 0, nameSize: TRAILER.length + 1 }), TRAILER, new Uint8Array());
  return Buffer.concat(parts);
}

/** Reads a newc archive back (for tests and for checking what was generated). */
export function readCpio(bytes: Buffer): { path: string; mode: number; data: Buffer; rdevMajor: number; rdevMinor: number }[] {
  const out: { path: string; mode: number; data: Buffer; rdevMajor: number; rdevMinor: number }[] = [];
  let at = 0;
  for (;;) {
    const magic = bytes.subarray(at, at + 6).toString("ascii");
    if (magic !== "070701") throw new Error(`bad cpio magic ${JSON.stringify(magic)} at ${at}`);
    const field = (i: number) => Number.parseInt(bytes.subarray(at + 6 + i * 8, at + 14 + i * 8).toString("ascii"), 16);
    const mode = field(1);
    const size = field(6);
    const nameSize = field(11);
    const rdevMajor = field(9);
    const rdevMinor = field(10);
    const name = bytes.subarray(at + 110, at + 110 + nameSize - 1).toString("utf8");
    at += 110 + nameSize;
    at += pad4(at);
    const data = bytes.subarray(at, at + size);
    at += size + pad4(size);
    if (name === TRAILER) return out;
    out.push({ path: name, mode, data, rdevMajor, rdevMinor });
  }
}
