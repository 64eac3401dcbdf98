/**
 * Module templates are data, per kernel module API. The Rust module API of
 * the kernel changes between versions; each family below was written against
 * the samples/rust/rust_minimal.rs of the tree it names and builds there.
 *
 * A kernel gets the family of the newest `since` at or below its version.
 */
export interface ModuleTemplateFile {
  path: string;
  content: string;
}

export interface ModuleTemplate {
  /** Unique across families: "<family>-<name>". */
  id: string;
  /** The same across families, so a page can keep the choice when the kernel changes. */
  name: string;
  title: string;
  description: string;
  files: ModuleTemplateFile[];
}

export interface ModuleApiFamily {
  id: string;
  /** The first kernel version (major.minor) it applies to. */
  since: string;
  /** The tree it was checked against. */
  checkedOn: string;
  /** How module! spells its metadata strings: b"..." (6.1) or "..." (later kernels). */
  metadataStrings: "bytes" | "str";
  summary: string;
  templates: ModuleTemplate[];
}

const MAKEFILE = (obj: string) => ({ path: "Makefile", content: `obj-m := ${obj}.o\n` });

/** The article's hello world: what it says, in the module! spelling `q` of the family. */
function helloWorld(q: (s: string) => string): string {
  return `// SPDX-License-Identifier: GPL-2.0
//! Hello world: the out-of-tree Rust module of the classic article, in this kernel's module API.

use kernel::prelude::*;

module! {
    type: HelloWorld,
    name: ${q("hello_world")},
    author: ${q("d0u9")},
    description: ${q("A simple hello world example")},
    license: ${q("GPL v2")},
}

struct HelloWorld;

impl kernel::Module for HelloWorld {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("Hello world from rust!\\n");
        Ok(HelloWorld)
    }
}

impl Drop for HelloWorld {
    fn drop(&mut self) {
        pr_info!("Bye world from rust!\\n");
    }
}
`;
}

/** samples/rust/rust_minimal.rs as an out-of-tree module; `vec` holds the family's allocation spelling. */
function numbers(q: (s: string) => string, vec: { type: string; push: (v: number) => string }): string {
  return `// SPDX-License-Identifier: GPL-2.0
//! Numbers: the kernel's own rust_minimal sample, out of tree (fallible allocation, Drop on unload).

use kernel::prelude::*;

module! {
    type: Numbers,
    name: ${q("numbers")},
    author: ${q("Rust for Linux Contributors")},
    description: ${q("A vector of numbers, printed on unload")},
    license: ${q("GPL")},
}

struct Numbers {
    numbers: ${vec.type}<i32>,
}

impl kernel::Module for Numbers {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("numbers (init)\\n");
        let mut numbers = ${vec.type}::new();
        ${vec.push(72)}?;
        ${vec.push(108)}?;
        ${vec.push(200)}?;
        Ok(Numbers { numbers })
    }
}

impl Drop for Numbers {
    fn drop(&mut self) {
        pr_info!("My numbers are {:?}\\n", self.numbers);
    }
}
`;
}

const C_HELLO = `// SPDX-License-Identifier: GPL-2.0
/* Hello world in C, for comparison: module_init/module_exit instead of kernel::Module and Drop. */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

static int __init hello_c_init(void)
{
	pr_info("Hello world from C!\\n");
	return 0;
}

static void __exit hello_c_exit(void)
{
	pr_info("Bye world from C!\\n");
}

module_init(hello_c_init);
module_exit(hello_c_exit);

MODULE_AUTHOR("kbuild");
MODULE_DESCRIPTION("A simple hello world example in C");
MODULE_LICENSE("GPL");
`;

function family(
  id: string,
  since: string,
  checkedOn: string,
  metadataStrings: "bytes" | "str",
  summary: string,
  vec: { type: string; push: (v: number) => string },
): ModuleApiFamily {
  const q = metadataStrings === "bytes" ? (s: string) => `b"${s}"` : (s: string) => `"${s}"`;
  const t = (name: string, title: string, description: string, files: ModuleTemplateFile[]): ModuleTemplate => ({ id: `${id}-${name}`, name, title, description, files });
  return {
    id,
    since,
    checkedOn,
    metadataStrings,
    summary,
    templates: [
      t("hello-world", "Hello world (Rust)", "The article's hello_world module, adapted to this kernel's API.", [MAKEFILE("hello_world"), { path: "hello_world.rs", content: helloWorld(q) }]),
      t("numbers", "Numbers (Rust)", "The tree's rust_minimal sample as an out-of-tree module: fallible allocation and Drop.", [MAKEFILE("numbers"), { path: "numbers.rs", content: numbers(q, vec) }]),
      t("hello-c", "Hello world (C)", "The same module in C, for comparison.", [MAKEFILE("hello_c"), { path: "hello_c.c", content: C_HELLO }]),
    ],
  };
}

export const MODULE_API_FAMILIES: ModuleApiFamily[] = [
  family(
    "linux-6.1",
    "6.1",
    "6.1",
    "bytes",
    'module! takes byte strings (name: b"..."), a module is `impl kernel::Module` with `fn init(_module: &\'static ThisModule) -> Result<Self>`, vectors grow with try_push.',
    { type: "Vec", push: (v) => `numbers.try_push(${v})` },
  ),
  family(
    "linux-6.12",
    "6.12",
    "6.12",
    "str",
    'module! takes string literals (name: "..."), a module is `impl kernel::Module` with `fn init(_module: &\'static ThisModule) -> Result<Self>`, vectors are KVec and push takes GFP flags.',
    { type: "KVec", push: (v) => `numbers.push(${v}, GFP_KERNEL)` },
  ),
];

/** "6.1.192" → [6, 1]; null when the version cannot be read. */
function majorMinor(version: string): [number, number] | null {
  const m = /^(\d+)\.(\d+)/.exec(version);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

function atOrBelow(a: [number, number], b: [number, number]): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]);
}

/** The module API family of a kernel version, or null for kernels older than any family (no Rust modules). */
export function apiFamilyFor(kernelVersion: string): ModuleApiFamily | null {
  const v = majorMinor(kernelVersion);
  if (!v) return null;
  const candidates = MODULE_API_FAMILIES.filter((f) => atOrBelow(majorMinor(f.since)!, v));
  return candidates.sort((a, b) => (atOrBelow(majorMinor(a.since)!, majorMinor(b.since)!) ? 1 : -1))[0] ?? null;
}

export function templatesFor(kernelVersion: string): ModuleTemplate[] {
  return apiFamilyFor(kernelVersion)?.templates ?? [];
}
