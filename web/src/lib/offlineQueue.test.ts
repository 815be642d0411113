import { describe, expect, it } from "vitest";
import { failureFrom, networkFailure } from "../api/failure";
import { OfflineQueue, type Attempt, type KeyValueStore } from "./offlineQueue";

function memoryStore(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => { data.set(k, v); }, removeItem: (k) => { data.delete(k); } };
}

const attempt = (key: string, kind: Attempt["kind"] = "check-in", nip = "199001012015011001"): Attempt => ({
  key, kind, nip, body: { latitude: -2.48, longitude: 106.4, accuracy_m: 8, mode: "WFO" }, createdAt: "2026-03-02T00:30:00Z",
});

describe("offline queue", () => {
  it("keeps an attempt across a reload and sends it once with its own key", async () => {
    const store = memoryStore();
    new OfflineQueue(store).add(attempt("k1"));
    const queue = new OfflineQueue(store); // the page was reloaded
    const sent: string[] = [];
    const outcomes = await queue.flush("199001012015011001", async (a) => { sent.push(a.key); return { checked_in_at: "2026-03-02T07:35:00+07:00" }; });
    expect(sent).toEqual(["k1"]);
    expect(outcomes).toMatchObject([{ key: "k1", ok: true, answer: { checked_in_at: "2026-03-02T07:35:00+07:00" } }]);
    expect(queue.pending("199001012015011001")).toEqual([]);
    expect(await queue.flush("199001012015011001", async () => { throw new Error("must not send again"); })).toEqual([]);
  });

  it("a network failure keeps it for later; a refusal ends it with the server's answer", async () => {
    const queue = new OfflineQueue(memoryStore());
    queue.add(attempt("k1"));
    expect(await queue.flush("199001012015011001", async () => { throw networkFailure(); })).toEqual([]);
    expect(queue.pending("199001012015011001")).toHaveLength(1);
    const refused = await queue.flush("199001012015011001", async () => {
      throw failureFrom(403, { error: "outside_geofence", message: "far", distance_m: 200, radius_m: 50 });
    });
    expect(refused).toMatchObject([{ ok: false, failure: { status: 403, code: "outside_geofence", details: { distance_m: 200 } } }]);
    expect(queue.pending("199001012015011001")).toEqual([]);
    expect(queue.outcomes("199001012015011001")).toHaveLength(1);
  });

  it("one attempt per kind: pressing again offline keeps the first key", () => {
    const queue = new OfflineQueue(memoryStore());
    expect(queue.add(attempt("k1")).key).toBe("k1");
    expect(queue.add(attempt("k2")).key).toBe("k1");
    expect(queue.add(attempt("k3", "check-out")).key).toBe("k3");
    expect(queue.pending("199001012015011001").map((a) => a.key)).toEqual(["k1", "k3"]);
  });

  it("two flushes at once send once", async () => {
    const queue = new OfflineQueue(memoryStore());
    queue.add(attempt("k1"));
    let calls = 0;
    const send = async () => { calls++; await new Promise((r) => setTimeout(r, 5)); return {}; };
    await Promise.all([queue.flush("199001012015011001", send), queue.flush("199001012015011001", send)]);
    expect(calls).toBe(1);
  });

  it("keeps people apart and forgets one on sign-out", async () => {
    const queue = new OfflineQueue(memoryStore());
    queue.add(attempt("a", "check-in", "111111111111111111"));
    queue.add(attempt("b", "check-in", "222222222222222222"));
    queue.clear("111111111111111111");
    expect(queue.pending("111111111111111111")).toEqual([]);
    expect(queue.pending("222222222222222222")).toHaveLength(1);
  });

  it("an unreadable store is an empty queue, not a crash", () => {
    const store = memoryStore();
    store.setItem("sipk.queue.pending", "{not json");
    expect(new OfflineQueue(store).pending("x")).toEqual([]);
  });
});
