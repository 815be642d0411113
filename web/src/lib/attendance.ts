/** Today's attendance of the signed-in person, and the check-ins waiting for a connection. */
import { signal } from "@preact/signals";
import { api, PRESENCE } from "../api/client";
import { session } from "../api/session";
import { OfflineQueue, type Attempt, type KeyValueStore } from "./offlineQueue";

export interface Office {
  code: string;
  name: string;
  latitude: number;
  longitude: number;
  radius_m: number;
  home_radius_m: number;
  timezone: string;
  max_accuracy_m: number;
  /** A photo with the check-in: off | optional | required. */
  selfie?: "off" | "optional" | "required";
}

/** What the server says about a record's trust (docs/trust.md). */
export interface Trust {
  flags?: string[];
  review?: "pending" | "accepted" | "rejected" | null;
  review_note?: string | null;
  reviewed_at?: string | null;
  corrected?: Correction | null;
}

export interface Correction {
  correction_id: string;
  approved_by: string;
  approved_at: string;
  reason: string;
  note: string;
}

export interface CheckIn extends Trust {
  id: string;
  date: string;
  mode: string;
  checked_in_at: string;
  office_code: string;
  distance_m: number | null;
  late_minutes: number;
  non_working_day?: boolean;
  home_unverified?: boolean;
}

export interface CheckOut {
  checked_out_at: string;
  flags?: string[];
  corrected?: Correction | null;
  early_leave_minutes: number;
  distance_m?: number | null;
}

export interface Today {
  date: string;
  nip: string;
  name: string | null;
  office: Office | null;
  schedule: { start: string; end: string; grace_minutes: number } | null;
  working_day: boolean;
  holiday: string | null;
  roster_mode: string | null;
  leave_type: string | null;
  check_in: CheckIn | null;
  check_out: CheckOut | null;
  status: string;
}

export interface HomeLocation {
  nip: string;
  latitude: number;
  longitude: number;
  status: "pending" | "approved" | "rejected";
  note?: string | null;
  requested_at?: string;
}

export const today = signal<Today | null>(null);

export async function loadToday(): Promise<Today> {
  const value = await api<Today>(`${PRESENCE}/me/today`);
  today.value = value;
  return value;
}

const memory = new Map<string, string>();
const fallbackStore: KeyValueStore = {
  getItem: (k) => memory.get(k) ?? null,
  setItem: (k, v) => { memory.set(k, v); },
  removeItem: (k) => { memory.delete(k); },
};

function deviceStore(): KeyValueStore {
  try {
    localStorage.setItem("sipk.probe", "1");
    localStorage.removeItem("sipk.probe");
    return localStorage;
  } catch {
    return fallbackStore;
  }
}

export const queue = new OfflineQueue(typeof localStorage === "undefined" ? fallbackStore : deviceStore());
/** Bumped whenever the queue changes, so screens re-render. */
export const queueVersion = signal(0);
queue.subscribe(() => { queueVersion.value++; });

export function sendAttempt(attempt: Attempt): Promise<Record<string, unknown>> {
  return api<Record<string, unknown>>(`${PRESENCE}/${attempt.kind === "check-in" ? "check-ins" : "check-outs"}`, {
    method: "POST", json: attempt.body, headers: { "Idempotency-Key": attempt.key },
  });
}

export async function flushQueue(): Promise<void> {
  const nip = session.value?.principal.nip;
  if (!nip || !queue.pending(nip).length) return;
  const outcomes = await queue.flush(nip, sendAttempt);
  if (outcomes.length) await loadToday().catch(() => undefined);
}

/** Retry what waits whenever the browser says it is back online, and every 15 s meanwhile
 * (a phone's "online" flag can be wrong in both directions). */
export function watchQueue(): () => void {
  const kick = () => { flushQueue().catch(() => undefined); };
  window.addEventListener("online", kick);
  const timer = setInterval(kick, 15_000);
  kick();
  return () => {
    window.removeEventListener("online", kick);
    clearInterval(timer);
  };
}
