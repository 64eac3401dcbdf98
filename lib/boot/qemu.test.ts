import { describe, expect, it } from "vitest";
import { loadBootEnvironments } from "./environment";
import { INITRAMFS_FILE, KERNEL_FILE, qemuArgv } from "./qemu";
import { DEFAULT_BOOT_ENVIRONMENT } from "./spec";

describe("qemuArgv", () => {
  it("boots the kernel and initramfs with a serial console only, no network, no reboot, named after the test", async () => {
    const env = (await loadBootEnvironments()).get(DEFAULT_BOOT_ENVIRONMENT)!;
    const argv = qemuArgv(env, "0b3c9c1e-2f4e-4d7a-9a51-3c1f2b7d8e90");
    expect(argv[0]).toBe("/usr/bin/qemu-system-x86_64");
    const after = (flag: string) => argv[argv.indexOf(flag) + 1];
    expect(after("-kernel")).toBe(KERNEL_FILE);
    expect(after("-initrd")).toBe(INITRAMFS_FILE);
    expect(after("-serial")).toBe("stdio");
    expect(after("-name")).toBe("kbuild-boot-0b3c9c1e-2f4e-4d7a-9a51-3c1f2b7d8e90");
    expect(after("-accel")).toBe("tcg");
    expect(after("-append")).toBe("console=ttyS0 panic=-1 loglevel=7");
    for (const flag of ["-nodefaults", "-no-reboot", "-no-user-config"]) expect(argv).toContain(flag);
    expect(() => qemuArgv(env, "x; rm -rf /")).toThrow(/bad boot test id/);
  });
});
