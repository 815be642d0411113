/** The signed-in person. The access token lives in this module's memory only; the refresh token
 * is an HttpOnly cookie that page script cannot read (identity's cookie transport, docs/web.md). */
import { computed, signal } from "@preact/signals";

export interface Principal {
  nip: string;
  name: string;
  unit: string | null;
  roles: string[];
  /** Password change required before anything else. */
  pcr: boolean;
}

export interface Profile {
  nip: string;
  name: string;
  unit_code: string | null;
  position: string | null;
  roles: string[];
  is_supervisor: boolean;
  password_change_required?: boolean;
}

interface Session {
  token: string;
  expiresAt: number;
  principal: Principal;
}

export const session = signal<Session | null>(null);
export const profile = signal<Profile | null>(null);
/** Why the last session ended, for the sign-in screen ("expired" shows a sentence). */
export const endReason = signal<"expired" | null>(null);

export const signedIn = computed(() => session.value !== null);
export const isAdmin = computed(() => !!session.value?.principal.roles.includes("admin"));
export const isSupervisor = computed(() => !!profile.value?.is_supervisor);

export function decodeClaims(token: string): Record<string, unknown> {
  const part = token.split(".")[1] ?? "";
  const base64 = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

export function principalOf(token: string): Principal {
  const claims = decodeClaims(token);
  return {
    nip: String(claims.sub ?? ""),
    name: String(claims.name ?? ""),
    unit: typeof claims.unit === "string" ? claims.unit : null,
    roles: Array.isArray(claims.roles) ? claims.roles.map(String) : ["employee"],
    pcr: claims.pcr === true,
  };
}

export function adoptToken(accessToken: string, expiresInS: number): void {
  session.value = { token: accessToken, expiresAt: Date.now() + expiresInS * 1000, principal: principalOf(accessToken) };
}

export function forget(reason: "expired" | null = null): void {
  session.value = null;
  profile.value = null;
  endReason.value = reason;
}
