import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Kconfig } from "../lib/kconfig/engine/kconfig";
import type { ChoiceRules } from "../lib/kconfig/engine/model";
import { parseKconfig } from "../lib/kconfig/engine/parser";

/**
 * A small Kconfig tree shaped like the parts of Linux the configurator
 * explains: RUST behind a macro-decided RUST_IS_AVAILABLE, Rust samples two
 * menus down, a select, an imply, an int with a range and a choice.
 */
export const FIXTURE_KCONFIG = `mainmenu "Fixture $(ARCH) configuration"

success = $(if-success,$(1),y,n)
if-success = $(shell,{ $(1); } >/dev/null 2>&1 && echo "$(2)" || echo "$(3)")

config MODULES
	bool "Enable loadable module support"
	modules

config HAVE_RUST
	def_bool y

config RUST_IS_AVAILABLE
	def_bool $(success,$(srctree)/scripts/rust_is_available.sh)
	help
	  Whether the toolchain can build Rust.

config RUST
	bool "Rust support"
	depends on HAVE_RUST
	depends on RUST_IS_AVAILABLE
	select CONSTRUCTORS
	imply KALLSYMS
	help
	  Enables Rust support in the kernel.

config CONSTRUCTORS
	bool

config KALLSYMS
	bool "Load all symbols"

menu "Kernel hacking"

menuconfig SAMPLES
	bool "Sample kernel code"

if SAMPLES

menuconfig SAMPLES_RUST
	bool "Rust samples"
	depends on RUST

if SAMPLES_RUST

config SAMPLE_RUST_MINIMAL
	tristate "Minimal"

endif

endif

config NR_CPUS
	int "Maximum number of CPUs"
	range 1 64
	default 8

choice
	prompt "Compression"
	default GZIP

config GZIP
	bool "gzip"

config XZ
	bool "xz"

endchoice

endmenu
`;

/** Parses the fixture; the Rust check answers as `rustAvailable` says. */
export function fixtureKconfig(options: { rustAvailable: boolean; choiceRules?: ChoiceRules }): Kconfig {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kbuild-kconfig-fixture-"));
  try {
    writeFileSync(path.join(dir, "Kconfig"), FIXTURE_KCONFIG);
    const parseOptions = {
      srctree: dir,
      env: { ARCH: "x86_64", SRCARCH: "x86", srctree: dir },
      shell: (command: string) => (command.includes("rust_is_available") ? (options.rustAvailable ? "y\n" : "n\n") : "\n"),
      choiceRules: options.choiceRules ?? "pre-6.11",
    };
    return Kconfig.fromParsed(parseKconfig(parseOptions), parseOptions);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
