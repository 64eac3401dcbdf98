import { describe, expect, it } from "vitest";
import { SseParser } from "./sse";

describe("reading Server-Sent Events", () => {
  it("reads events split anywhere across chunks, with ids kept across events and comments skipped", () => {
    const text = 'retry: 3000\n: connected\n\nid: 3\nevent: lines\ndata: [[1,0,0,"a"]]\n\n: keepalive\n\nevent: end\ndata: {"status":"failed"}\n\n';
    for (let cut = 0; cut <= text.length; cut++) {
      const parser = new SseParser();
      const events = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut))];
      expect(events, `cut at ${cut}`).toEqual([
        { event: "lines", data: '[[1,0,0,"a"]]', id: "3" },
        { event: "end", data: '{"status":"failed"}', id: "3" },
      ]);
      expect(parser.retryMs).toBe(3000);
    }
  });

  it("takes CRLF and CR line ends, and joins multi-line data", () => {
    const parser = new SseParser();
    expect(parser.push("data: one\r\ndata: two\r\n\r\nevent: x\rdata: y\r")).toEqual([{ event: "message", data: "one\ntwo", id: null }]);
    // A CR at the end of a chunk may start a CRLF: the line ends when the next chunk says how.
    expect(parser.push("\r\n")).toEqual([{ event: "x", data: "y", id: null }]);
  });

  it("yields nothing for an event that is not finished by a blank line", () => {
    expect(new SseParser().push("event: lines\ndata: [1]\n")).toEqual([]);
  });
});
