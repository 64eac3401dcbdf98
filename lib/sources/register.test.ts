import { describe, expect, it } from "vitest";
import { RegisterSourceSchema, parseSourceNotice } from "./register";

describe("RegisterSourceSchema", () => {
  it("takes a source name and an absolute path, nothing else", () => {
    expect(RegisterSourceSchema.parse({ name: "linux-6.6", path: "/usr/src/linux-source-6.6.tar.xz" })).toEqual({ name: "linux-6.6", path: "/usr/src/linux-source-6.6.tar.xz" });
    const issues = (body: unknown) => RegisterSourceSchema.safeParse(body).error?.issues.map((i) => i.path.join(".") || i.code);
    expect(issues({ name: "Linux 6.6", path: "/usr/src/x" })).toEqual(["name"]);
    expect(issues({ name: "linux-6.6", path: "usr/src/x" })).toEqual(["path"]);
    expect(issues({ name: "linux-6.6", path: "/usr/src/x\0y" })).toEqual(["path"]);
    expect(issues({ name: "linux-6.6", path: "/usr/src/x", kind: "tarball" })).toEqual(["unrecognized_keys"]);
  });
});

describe("parseSourceNotice", () => {
  it("reads the workers' notices and ignores anything else on the channel", () => {
    expect(parseSourceNotice('{"action":"register","name":"linux-6.6"}')).toEqual({ action: "register", name: "linux-6.6" });
    expect(parseSourceNotice('{"action":"remove","name":"linux-6.6"}')).toEqual({ action: "remove", name: "linux-6.6" });
    expect(parseSourceNotice('{"action":"format","name":"linux-6.6"}')).toBeNull();
    expect(parseSourceNotice('{"action":"register","name":"../etc"}')).toBeNull();
    expect(parseSourceNotice("not json")).toBeNull();
  });
});
