import { type CpioEntry, writeCpio } from "./cpio";

/**
 * The initramfs of a boot test: a static busybox, an /init that loads the
 * modules in the order given and prints a marker after each insmod, and the
 * modules themselves under /modules as NN-<name>.ko (the number keeps the
 * order; the shell's glob sorts them).
 *
 * /init is the same text for every test but for the marker's nonce: module
 * names never appear in the script. They reach the shell only as file names,
 * through a quoted variable, never as code.
 */
export interface InitramfsModule {
  /** The module's file name, e.g. "rust_minimal.ko" (an artifact name). */
  name: string;
  data: Uint8Array;
}

/** Busybox applets /init uses, as symlinks in /bin. */
const APPLETS = ["sh", "insmod", "mount", "echo", "reboot", "cat", "sleep"];

/** What goes before every marker line; the nonce keeps a module's own output from faking one. */
export function markerPrefix(nonce: string): string {
  if (!/^[0-9a-f]{8,32}$/.test(nonce)) throw new Error("the marker nonce must be 8 to 32 hex digits");
  return `kbuild-boot-${nonce}:`;
}

/** The file a module gets in the initramfs: its position (from 1) and its name. */
export function moduleFileName(index: number, name: string): string {
  if (!/^[A-Za-z0-9._-]+\.ko$/.test(name)) throw new Error(`bad module name ${JSON.stringify(name)}`);
  return `${String(index + 1).padStart(2, "0")}-${name}`;
}

export const MAX_MODULES = 32;

export function initScript(nonce: string): string {
  const m = markerPrefix(nonce);
  // `reboot -f` with QEMU's -no-reboot ends QEMU by itself; kbuild ends it anyway once
  // it has its verdict (a tinyconfig kernel's poweroff only halts).
  return `#!/bin/sh
# kbuild boot test: load every module in /modules in order, one marker line per insmod.
export PATH=/bin
M=${m}
echo "$M init started"
for f in /modules/*.ko; do
  [ -e "$f" ] || continue
  if insmod "$f"; then
    echo "$M insmod ok \${f#/modules/}"
  else
    echo "$M insmod failed (exit $?) \${f#/modules/}"
  fi
done
echo "$M done"
reboot -f
sleep 3600
`;
}

export function buildInitramfs(o: { busybox: Uint8Array; modules: InitramfsModule[]; nonce: string }): Buffer {
  if (o.modules.length > MAX_MODULES) throw new Error(`at most ${MAX_MODULES} modules per boot test`);
  const entries: CpioEntry[] = [
    { path: "bin", type: "dir", mode: 0o755 },
    { path: "bin/busybox", type: "file", mode: 0o755, data: o.busybox },
    ...APPLETS.map((a): CpioEntry => ({ path: `bin/${a}`, type: "symlink", target: "busybox" })),
    { path: "dev", type: "dir", mode: 0o755 },
    // The kernel opens /dev/console for init's output; it is created by the kernel while unpacking.
    { path: "dev/console", type: "char", mode: 0o600, major: 5, minor: 1 },
    { path: "proc", type: "dir", mode: 0o755 },
    { path: "sys", type: "dir", mode: 0o755 },
    { path: "modules", type: "dir", mode: 0o755 },
    ...o.modules.map((mod, i): CpioEntry => ({ path: `modules/${moduleFileName(i, mod.name)}`, type: "file", mode: 0o644, data: mod.data })),
    { path: "init", type: "file", mode: 0o755, data: Buffer.from(initScript(o.nonce)) },
  ];
  return writeCpio(entries);
}
