import { describe, expect, it } from "vitest";
import { parseSse } from "./sse";

describe("SSE parsing", () => {
  it("splits complete events and keeps the tail", () => {
    const { events, rest } = parseSse('retry: 3000\n\nevent: status\nid: 1\ndata: {"items":[]}\n\n: keep-alive\n\nevent: sta');
    expect(events).toEqual([{ event: "message", data: "", retry: 3000 }, { event: "status", id: "1", data: '{"items":[]}' }]);
    expect(rest).toBe("event: sta");
  });

  it("joins multi-line data and accepts CRLF", () => {
    const { events } = parseSse("data: a\r\ndata: b\r\n\r\n");
    expect(events).toEqual([{ event: "message", data: "a\nb" }]);
  });

  it("a comment alone is no event", () => {
    expect(parseSse(": keep-alive\n\n").events).toEqual([]);
  });
});
