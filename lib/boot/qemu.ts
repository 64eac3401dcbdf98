import type { BootEnvironment } from "./environment";

/** Where the boot test's files are inside its sandbox. */
export const BOOT_DIR = "/boot-test";
export const KERNEL_FILE = `${BOOT_DIR}/bzImage`;
export const INITRAMFS_FILE = `${BOOT_DIR}/initramfs.cpio`;
export const BUSYBOX_FILE = `${BOOT_DIR}/busybox`;

/**
 * QEMU's command line: software emulation (TCG: no /dev/kvm in a container or
 * a sandbox), nothing but a serial port on stdout, no network, no reboot (a
 * reboot or a panic with panic=-1 ends QEMU). `-name` carries the test's id,
 * so its process can be told apart from any other QEMU on the host.
 */
export function qemuArgv(env: BootEnvironment, bootTestId: string): string[] {
  if (!/^[A-Za-z0-9-]+$/.test(bootTestId)) throw new Error(`bad boot test id ${JSON.stringify(bootTestId)}`);
  return [
    env.binaries.qemu,
    "-name", `kbuild-boot-${bootTestId}`,
    "-accel", "tcg",
    "-smp", String(env.machine.cpus),
    "-m", String(env.machine.memoryMb),
    "-nodefaults",
    "-no-user-config",
    "-display", "none",
    "-serial", "stdio",
    "-monitor", "none",
    "-no-reboot",
    "-kernel", KERNEL_FILE,
    "-initrd", INITRAMFS_FILE,
    "-append", env.machine.append.join(" "),
  ];
}
