import { describe, expect, it } from "vitest";
import { ConsoleVerdict, type VerdictOptions } from "./verdict";

const M = "kbuild-boot-0123456789abcdef:";
const options = (over: Partial<VerdictOptions> = {}): VerdictOptions => ({
  markerPrefix: M,
  modules: [
    { name: "rust_minimal.ko", file: "01-rust_minimal.ko" },
    { name: "hello_world.ko", file: "02-hello_world.ko" },
  ],
  expect: [],
  forbid: [],
  ...over,
});

const BOOT = ["Linux version 6.1.192 (kbuild@kbuild) ...", "Run /init as init process", `${M} init started`];
const LOADED = ["rust_minimal: Rust minimal sample (init)", `${M} insmod ok 01-rust_minimal.ko`, "hello_world: Hello world from rust!", `${M} insmod ok 02-hello_world.ko`];

function feed(v: ConsoleVerdict, lines: string[]) {
  let decided = null;
  for (const l of lines) decided = v.observe(l) ?? decided;
  return decided;
}

describe("ConsoleVerdict", () => {
  it("passes at the done marker when every module loaded", () => {
    const v = new ConsoleVerdict(options());
    expect(feed(v, [...BOOT, ...LOADED])).toBeNull();
    const verdict = v.observe(`${M} done`)!;
    expect(verdict).toMatchObject({ passed: true, ended: "done" });
    expect(verdict.modules.map((m) => m.outcome)).toEqual(["loaded", "loaded"]);
    expect(verdict.reason).toBe("booted and loaded rust_minimal.ko, hello_world.ko");
  });

  it("fails when a module's init fails, with insmod's own error", () => {
    const v = new ConsoleVerdict(options());
    const verdict = feed(v, [
      ...BOOT,
      LOADED[0]!,
      LOADED[1]!,
      "insmod: can't insert '/modules/02-hello_world.ko': Invalid argument",
      `${M} insmod failed (exit 1) 02-hello_world.ko`,
      `${M} done`,
    ])!;
    expect(verdict.passed).toBe(false);
    expect(verdict.modules[1]).toMatchObject({ outcome: "failed", error: "insmod: can't insert '/modules/02-hello_world.ko': Invalid argument" });
    expect(verdict.reason).toContain("module hello_world.ko did not load: insmod: can't insert");
  });

  it("fails at the first kernel panic, Oops or BUG line, before any done marker", () => {
    for (const line of [
      "Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100",
      "Oops: 0002 [#1] PREEMPT SMP NOPTI",
      "general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] SMP",
      "BUG: kernel NULL pointer dereference, address: 0000000000000000",
      "kernel BUG at mm/slub.c:123!",
      "invalid opcode: 0000 [#1] PREEMPT SMP",
    ]) {
      const v = new ConsoleVerdict(options());
      feed(v, BOOT);
      const verdict = v.observe(line);
      expect(verdict, line).not.toBeNull();
      expect(verdict!.passed).toBe(false);
      expect(verdict!.ended).toBe("failure");
      expect(verdict!.kernelFailures[0]!.line).toBe(line);
    }
  });

  it("does not mistake ordinary lines for failures", () => {
    const v = new ConsoleVerdict(options({ modules: [] }));
    const verdict = feed(v, [...BOOT, "Debug: BUGS are fixed", "panic=-1 on the command line", "Oops I did it again", `${M} done`])!;
    expect(verdict.passed).toBe(true);
  });

  it("checks the user's expected and forbidden patterns", () => {
    const ok = new ConsoleVerdict(options({ expect: [{ literal: "Rust minimal sample (init)" }, { regex: "^hello_world: Hello" }] }));
    expect(feed(ok, [...BOOT, ...LOADED, `${M} done`])!.passed).toBe(true);

    const missing = new ConsoleVerdict(options({ expect: [{ literal: "never printed" }] }));
    const m = feed(missing, [...BOOT, ...LOADED, `${M} done`])!;
    expect(m.passed).toBe(false);
    expect(m.reason).toBe('expected pattern never appeared: "never printed"');

    const forbidden = new ConsoleVerdict(options({ forbid: [{ regex: "Hello world" }] }));
    const f = feed(forbidden, [...BOOT, ...LOADED])!;
    expect(f).toMatchObject({ passed: false, ended: "failure" });
    expect(f.forbidden[0]!.line).toBe("hello_world: Hello world from rust!");
    expect(f.reason).toContain("forbidden pattern /Hello world/ appeared");
  });

  it("never counts its own marker lines as the user's output", () => {
    const v = new ConsoleVerdict(options({ modules: [], forbid: [{ literal: "init started" }], expect: [{ literal: "done" }] }));
    const verdict = feed(v, [...BOOT, `${M} done`])!;
    expect(verdict.forbidden[0]!.line).toBeNull();
    expect(verdict.expected[0]!.seen).toBe(false);
  });

  it("ignores markers with another nonce (a module cannot fake one)", () => {
    const v = new ConsoleVerdict(options({ modules: [{ name: "evil.ko", file: "01-evil.ko" }] }));
    expect(feed(v, [...BOOT, "kbuild-boot-ffffffffffffffff: insmod ok 01-evil.ko", "kbuild-boot-ffffffffffffffff: done"])).toBeNull();
  });

  it("judges a boot that never decided: timeout, early exit, cancel", () => {
    const t = new ConsoleVerdict(options());
    feed(t, [...BOOT, LOADED[0]!, LOADED[1]!]);
    expect(t.progress()).toEqual({ loaded: ["rust_minimal.ko"], total: 2 });
    const verdict = t.end("timeout", "no verdict within the timeout of 5 s");
    expect(verdict).toMatchObject({ passed: false, ended: "timeout", reason: "no verdict within the timeout of 5 s" });
    expect(verdict.modules.map((m) => m.outcome)).toEqual(["loaded", "not reached"]);
    // Once decided, the verdict stays.
    expect(t.end("exited", "x")).toBe(verdict);

    expect(new ConsoleVerdict(options()).end("exited", "QEMU exited (exit code 0)")).toMatchObject({ passed: false, ended: "exited" });
    expect(new ConsoleVerdict(options()).end("canceled", "canceled")).toMatchObject({ passed: false, ended: "canceled" });
  });

  it("fails a done marker that comes without a module's marker", () => {
    const v = new ConsoleVerdict(options());
    const verdict = feed(v, [...BOOT, LOADED[0]!, LOADED[1]!, `${M} done`])!;
    expect(verdict.passed).toBe(false);
    expect(verdict.reason).toBe("no marker for hello_world.ko");
  });
});
