import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("../api/client", () => ({ api: vi.fn(), PERFORMANCE: "/api/performance/v1" }));

import { HEARTBEAT_MS, startHeartbeats } from "./heartbeat";

class FakeDocument {
  visibilityState: "visible" | "hidden" = "visible";
  private handlers: (() => void)[] = [];
  addEventListener(_type: string, fn: () => void) { this.handlers.push(fn); }
  removeEventListener(_type: string, fn: () => void) { this.handlers = this.handlers.filter((h) => h !== fn); }
  show(state: "visible" | "hidden") { this.visibilityState = state; this.handlers.forEach((h) => h()); }
}

describe("heartbeats", () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  it("beat at once and once a minute while visible, never while hidden", () => {
    const doc = new FakeDocument();
    const send = vi.fn(() => Promise.resolve());
    const stop = startHeartbeats(doc as unknown as Document, send);
    expect(send).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(HEARTBEAT_MS * 3);
    expect(send).toHaveBeenCalledTimes(4);
    doc.show("hidden");
    vi.advanceTimersByTime(HEARTBEAT_MS * 10);
    expect(send).toHaveBeenCalledTimes(4);
    doc.show("visible"); // back on screen: at once, then every minute again
    expect(send).toHaveBeenCalledTimes(5);
    vi.advanceTimersByTime(HEARTBEAT_MS);
    expect(send).toHaveBeenCalledTimes(6);
    stop();
    vi.advanceTimersByTime(HEARTBEAT_MS * 5);
    doc.show("visible");
    expect(send).toHaveBeenCalledTimes(6);
  });

  it("a failed beat is not an error for the page", async () => {
    const doc = new FakeDocument();
    const send = vi.fn(() => Promise.reject(new Error("offline")));
    const stop = startHeartbeats(doc as unknown as Document, send);
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS);
    expect(send).toHaveBeenCalledTimes(2);
    stop();
  });

  it("starts silent when the page opens hidden", () => {
    const doc = new FakeDocument();
    doc.visibilityState = "hidden";
    const send = vi.fn(() => Promise.resolve());
    startHeartbeats(doc as unknown as Document, send)();
    expect(send).not.toHaveBeenCalled();
  });
});
