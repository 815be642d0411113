/** This device's id for the server's device binding (docs/trust.md): made once, on first use, and kept in
 * the browser's storage across sign-ins (it names the phone, not the person). The server hashes it at once;
 * an employee's first device is bound, another one is flagged until the supervisor approves it. Private
 * browsing (no storage) makes a new id each visit, so such check-ins are flagged as from a new device. */

const KEY = "sipk.device";
const VALID = /^[\x21-\x7e]{8,100}$/;
let memory: string | null = null;

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export function deviceId(store: Pick<Storage, "getItem" | "setItem"> | null = storage()): string {
  let id: string | null = null;
  try {
    id = store?.getItem(KEY) ?? memory;
  } catch {
    id = memory;
  }
  if (!id || !VALID.test(id)) {
    id = `web-${globalThis.crypto.randomUUID()}`;
    memory = id;
    try {
      store?.setItem(KEY, id);
    } catch {
      /* no storage: this visit only */
    }
  }
  return id;
}

/** The first 12 hex digits of the id's SHA-256: what the server shows of a device ("fingerprint"), so the
 * app can say which one is this phone. Null where the browser has no WebCrypto digest (not https). */
export async function deviceFingerprint(id = deviceId()): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const digest = await subtle.digest("SHA-256", new TextEncoder().encode(id));
  return Array.from(new Uint8Array(digest)).map((b) => b.toString(16).padStart(2, "0")).join("").slice(0, 12);
}
