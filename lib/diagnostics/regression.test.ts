import { describe, expect, it } from "vitest";
import { parseBuildLog } from ".";
import { compareWarnings } from "./regression";

const log = (...lines: string[]) => parseBuildLog(lines);
const unused = (file: string, line: number, name: string) => `/src/${file}:${line}:7: warning: unused variable '${name}' [-Wunused-variable]`;

describe("warnings against the previous build", () => {
  it("a warning that moved is neither new nor fixed; one that appeared is new, one that went away is fixed", () => {
    const before = log(unused("drivers/a.c", 10, "x"), unused("drivers/b.c", 3, "y"));
    const after = log(unused("drivers/a.c", 14, "x"), unused("drivers/c.c", 8, "z"));
    const { new: added, fixed } = compareWarnings(after, before);
    expect(added.map((d) => d.file)).toEqual(["drivers/c.c"]);
    expect(fixed.map((d) => d.file)).toEqual(["drivers/b.c"]);
  });

  it("counts repeats: the same warning twice where there was one is one new", () => {
    const before = log(unused("drivers/a.c", 10, "x"));
    const after = log(unused("drivers/a.c", 10, "x"), unused("drivers/a.c", 20, "x"));
    expect(compareWarnings(after, before).new.map((d) => d.line)).toEqual([20]);
    expect(compareWarnings(after, before).fixed).toEqual([]);
  });

  it("leaves errors out: they are the build's own result, not a regression of warnings", () => {
    const after = log("/src/kernel/a.c:3:5: error: use of undeclared identifier 'x'");
    expect(compareWarnings(after, [])).toEqual({ new: [], fixed: [] });
  });
});
