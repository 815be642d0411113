import { describe, expect, it } from "vitest";
import { failureFrom } from "../api/failure";
import { deviceFingerprint, deviceId } from "./device";
import { errorText, flagList } from "./errors";
import { OfflineQueue, type Attempt, type KeyValueStore } from "./offlineQueue";

function memoryStore(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => { data.set(k, v); }, removeItem: (k) => { data.delete(k); } };
}

describe("device id", () => {
  it("is made once and kept", () => {
    const store = memoryStore();
    const first = deviceId(store);
    expect(first).toMatch(/^web-[0-9a-f-]{36}$/);
    expect(deviceId(store)).toBe(first);
    expect(store.data.get("sipk.device")).toBe(first);
  });

  it("replaces a stored value the server would refuse", () => {
    const store = memoryStore();
    store.setItem("sipk.device", "short");
    expect(deviceId(store)).toMatch(/^web-/);
  });

  it("has the server's fingerprint: the first 12 hex digits of its SHA-256", async () => {
    // sha256("web-00000000-0000-4000-8000-000000000000") computed with Python's hashlib
    expect(await deviceFingerprint("web-00000000-0000-4000-8000-000000000000")).toBe("27038f6c935b");
  });
});

describe("trust texts", () => {
  it("says the flags in words, joined", () => {
    expect(flagList(["accuracy_implausible"], "id")).toBe("akurasi GPS yang dilaporkan tidak wajar (0 m atau terlalu kecil)");
    expect(flagList(["unbound_device", "shared_device", "mock_location"], "en"))
      .toBe("it was sent from a device not approved for you, this device was also used by another employee today and mock_location");
  });

  it("a refusal by the trust check names its reasons", () => {
    const f = failureFrom(403, { error: "trust_refused", message: "x", flags: ["stale_position"] });
    expect(errorText(f, {}, "id")).toBe(
      "Presensi ditolak karena lokasi GPS-nya sudah lama, atau waktunya tidak cocok. Tidak ada yang dicatat; hubungi atasan Anda.");
  });
});

describe("an offline attempt", () => {
  it("is retried with the body it was made with: the attempt's time is not moved to the retry", async () => {
    const queue = new OfflineQueue(memoryStore());
    const body = { latitude: -2.48, longitude: 106.4, accuracy_m: 8, mode: "WFO", device_id: "web-x-1234567",
      position_timestamp: "2026-03-02T00:29:58.000Z", attempted_at: "2026-03-02T00:30:00.000Z" };
    const attempt: Attempt = { key: "k1", kind: "check-in", nip: "1", body, createdAt: "2026-03-02T00:30:00Z" };
    queue.add(attempt);
    const sent: Attempt["body"][] = [];
    await queue.flush("1", async () => { throw failureFrom(0, { error: "network" }); }).catch(() => undefined);
    await queue.flush("1", async (a) => { sent.push(a.body); return {}; });
    expect(sent).toEqual([body]);
  });
});
