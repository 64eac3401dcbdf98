import { describe, expect, it } from "vitest";
import { parseDotConfig } from "../kconfig/dotconfig";
import { describeMissing, missingBootOptions } from "./bootability";

const BOOTABLE = `CONFIG_64BIT=y
CONFIG_MODULES=y
CONFIG_PRINTK=y
CONFIG_TTY=y
CONFIG_SERIAL_8250=y
CONFIG_SERIAL_8250_CONSOLE=y
CONFIG_BINFMT_ELF=y
CONFIG_BINFMT_SCRIPT=y
CONFIG_BLK_DEV_INITRD=y
`;

describe("missingBootOptions", () => {
  it("finds nothing missing in a bootable .config", () => {
    expect(missingBootOptions(parseDotConfig(BOOTABLE).values, { modules: 2 })).toEqual([]);
  });

  it("names every missing option, unset or with another value, with why it is needed", () => {
    const text = BOOTABLE.replace("CONFIG_SERIAL_8250_CONSOLE=y\n", "# CONFIG_SERIAL_8250_CONSOLE is not set\n").replace("CONFIG_SERIAL_8250=y", "CONFIG_SERIAL_8250=m").replace("CONFIG_BLK_DEV_INITRD=y\n", "");
    const missing = missingBootOptions(parseDotConfig(text).values, { modules: 0 });
    expect(missing.map((m) => [m.symbol, m.actual])).toEqual([
      ["BLK_DEV_INITRD", "n"],
      ["SERIAL_8250", "m"],
      ["SERIAL_8250_CONSOLE", "n"],
    ]);
    const message = describeMissing(missing);
    expect(message).toContain("CONFIG_SERIAL_8250_CONSOLE=y (the kernel's console on ttyS0, which kbuild reads; it is not set)");
    expect(message).toContain("CONFIG_SERIAL_8250=y (QEMU's serial port (ttyS0); it is m)");
  });

  it("asks for module support only when the test loads modules", () => {
    const values = parseDotConfig(BOOTABLE.replace("CONFIG_MODULES=y\n", "")).values;
    expect(missingBootOptions(values, { modules: 0 })).toEqual([]);
    expect(missingBootOptions(values, { modules: 1 }).map((m) => m.symbol)).toEqual(["MODULES"]);
  });

  it("refuses tinyconfig as it is (no console, no initramfs, no ELF)", () => {
    const tiny = "CONFIG_64BIT=y\n# CONFIG_PRINTK is not set\n# CONFIG_TTY is not set\n# CONFIG_BLK_DEV_INITRD is not set\n# CONFIG_BINFMT_ELF is not set\n";
    expect(missingBootOptions(parseDotConfig(tiny).values, { modules: 0 }).map((m) => m.symbol)).toEqual([
      "BLK_DEV_INITRD",
      "BINFMT_ELF",
      "BINFMT_SCRIPT",
      "PRINTK",
      "TTY",
      "SERIAL_8250",
      "SERIAL_8250_CONSOLE",
    ]);
  });
});
