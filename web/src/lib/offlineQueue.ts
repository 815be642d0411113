/** Check-ins made without a connection: kept on the device with their Idempotency-Key and sent
 * again when the connection is back. Never reported as done until the server says so; the key
 * makes a retry of a request that did reach the server answer with the first answer, so a
 * check-in is recorded once however often it is retried. */
import { ApiFailure } from "../api/failure";

export type AttemptKind = "check-in" | "check-out";

export interface Attempt {
  key: string;
  kind: AttemptKind;
  nip: string;
  /** Sent as it was made, however late: ``attempted_at`` stays the time of the button press, so the server
   * judges the fix's age against it and the delay against its own clock (docs/trust.md). */
  body: {
    latitude: number; longitude: number; accuracy_m: number; mode?: string;
    device_id?: string; position_timestamp?: string; attempted_at?: string; selfie?: string;
  };
  createdAt: string;
}

export interface Outcome {
  key: string;
  kind: AttemptKind;
  nip: string;
  ok: boolean;
  /** The server's answer (201 body) when ok. */
  answer?: Record<string, unknown>;
  /** The refusal, as the error body's fields, when not ok. */
  failure?: { status: number; code: string; message: string; details: Record<string, unknown> };
  at: string;
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

type Sender = (attempt: Attempt) => Promise<Record<string, unknown>>;

export class OfflineQueue {
  private flushing: Promise<Outcome[]> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly store: KeyValueStore, private readonly prefix = "sipk.queue") {}

  private read<T>(name: string): T[] {
    try {
      const parsed = JSON.parse(this.store.getItem(`${this.prefix}.${name}`) || "[]");
      return Array.isArray(parsed) ? parsed : [];
    } catch {
      return [];
    }
  }

  private write<T>(name: string, items: T[]): void {
    if (items.length) this.store.setItem(`${this.prefix}.${name}`, JSON.stringify(items));
    else this.store.removeItem(`${this.prefix}.${name}`);
    this.listeners.forEach((fn) => fn());
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  pending(nip: string): Attempt[] {
    return this.read<Attempt>("pending").filter((a) => a.nip === nip);
  }

  outcomes(nip: string): Outcome[] {
    return this.read<Outcome>("outcomes").filter((o) => o.nip === nip);
  }

  /** Keep an attempt; a second one of the same kind is not added (the first already holds its key). */
  add(attempt: Attempt): Attempt {
    const all = this.read<Attempt>("pending");
    const existing = all.find((a) => a.nip === attempt.nip && a.kind === attempt.kind);
    if (existing) return existing;
    this.write("pending", [...all, attempt]);
    return attempt;
  }

  dismiss(key: string): void {
    this.write("outcomes", this.read<Outcome>("outcomes").filter((o) => o.key !== key));
  }

  /** Forget everything of this person (sign-out). */
  clear(nip: string): void {
    this.write("pending", this.read<Attempt>("pending").filter((a) => a.nip !== nip));
    this.write("outcomes", this.read<Outcome>("outcomes").filter((o) => o.nip !== nip));
  }

  /** Send what is pending, in order. A network failure stops the round and keeps the rest;
   * any answer from the server (success or refusal) ends that attempt and is kept as an outcome. */
  flush(nip: string, send: Sender, now: () => Date = () => new Date()): Promise<Outcome[]> {
    if (this.flushing) return this.flushing;
    this.flushing = (async () => {
      const done: Outcome[] = [];
      try {
        for (const attempt of this.pending(nip)) {
          let outcome: Outcome;
          try {
            const answer = await send(attempt);
            outcome = { key: attempt.key, kind: attempt.kind, nip, ok: true, answer, at: now().toISOString() };
          } catch (err) {
            if (!(err instanceof ApiFailure) || err.network) break; // still offline: try again later
            if (err.code === "idempotency_in_progress") break; // the first send is still running there
            outcome = {
              key: attempt.key, kind: attempt.kind, nip, ok: false, at: now().toISOString(),
              failure: { status: err.status, code: err.code, message: err.serverMessage, details: err.details },
            };
          }
          this.write("pending", this.read<Attempt>("pending").filter((a) => a.key !== attempt.key));
          this.write("outcomes", [...this.read<Outcome>("outcomes").filter((o) => o.kind !== attempt.kind || o.nip !== nip), outcome]);
          done.push(outcome);
        }
      } finally {
        this.flushing = null;
      }
      return done;
    })();
    return this.flushing;
  }
}

export function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}
