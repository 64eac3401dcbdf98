import { describe, expect, it } from "vitest";
import { loadConfig, parseSize } from "./config";

describe("parseSize", () => {
  it("reads Docker's size units as powers of 1024", () => {
    expect(parseSize("512m")).toBe(512 * 1024 ** 2);
    expect(parseSize("8g")).toBe(8 * 1024 ** 3);
    expect(parseSize("1.5G")).toBe(1.5 * 1024 ** 3);
    expect(parseSize("4096")).toBe(4096);
    expect(() => parseSize("lots")).toThrow(/not a size such as 512m or 8g/);
  });
});

describe("loadConfig", () => {
  it("defaults to containers when an engine answers, never as root inside them", () => {
    const cfg = loadConfig({});
    expect(cfg.runtime).toBe("auto");
    expect(cfg.dockerSocket).toBe("/var/run/docker.sock");
    expect(cfg.container.user).not.toMatch(/^0:/);
    expect(cfg.container.nofile).toBe(20000);
  });

  it("refuses root as the container user and an unknown runtime", () => {
    expect(() => loadConfig({ KBUILD_CONTAINER_USER: "0:0" })).toThrow(/a user other than root/);
    expect(() => loadConfig({ KBUILD_RUNTIME: "lxc" })).toThrow();
  });
});
