/** The one way the app talks to the API: same-origin fetch through the gateway, bearer token,
 * one silent refresh on 401, every failure turned into an ApiFailure. */
import { ApiFailure, failureFrom, networkFailure } from "./failure";
import { adoptToken, forget, profile, session, type Profile } from "./session";
import { acceptLanguage } from "../i18n";

export const IDENTITY = "/api/identity/v1";
export const PRESENCE = "/api/presence/v1";
export const PERFORMANCE = "/api/performance/v1";

/** Asks identity to keep the refresh token in its HttpOnly cookie (and is the CSRF guard). */
const COOKIE_MODE = { "X-Token-Transport": "cookie" };

export interface RequestOptions {
  method?: string;
  json?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
  /** false: no token, no refresh (sign-in itself). */
  auth?: boolean;
  signal?: AbortSignal;
}

async function send(path: string, opts: RequestOptions, token: string | null): Promise<Response> {
  // The server's messages (shown for codes the app has no text of its own for) in the app's language.
  const headers: Record<string, string> = { Accept: "application/json", "Accept-Language": acceptLanguage(), ...opts.headers };
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (opts.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(opts.json);
  } else if (opts.form) {
    body = opts.form;
  }
  try {
    return await fetch(path, {
      method: opts.method ?? (body ? "POST" : "GET"), headers, body, credentials: "same-origin",
      cache: "no-store", signal: opts.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw networkFailure();
  }
}

export async function readAnswer<T>(resp: Response): Promise<T> {
  if (resp.status === 204) return undefined as T;
  let body: unknown = null;
  if ((resp.headers.get("Content-Type") || "").includes("json")) {
    try {
      body = await resp.json();
    } catch {
      body = null;
    }
  }
  if (resp.ok) return body as T;
  throw failureFrom(resp.status, body);
}

// ------------------------------------------------------------------ tokens
let refreshing: Promise<boolean> | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;

function scheduleRefresh(): void {
  clearTimeout(refreshTimer);
  const current = session.value;
  if (!current) return;
  const inMs = Math.max(5_000, current.expiresAt - Date.now() - 60_000);
  refreshTimer = setTimeout(() => { refreshSession().catch(() => undefined); }, inMs);
}

function adopt(answer: { access_token: string; expires_in: number }): void {
  adoptToken(answer.access_token, answer.expires_in);
  scheduleRefresh();
}

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  // Tabs share the cookie: one refresh at a time, so no tab presents a token another just spent
  // (which identity would take for theft and answer by ending the whole session).
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  return locks ? locks.request("sipk-refresh", fn) as Promise<T> : fn();
}

/** A new access token from the refresh cookie. false: no session (sign in); throws ApiFailure when
 * the server could not be asked (offline, gateway down). */
export function refreshSession(): Promise<boolean> {
  if (!refreshing) {
    refreshing = withLock(async () => {
      const resp = await send(`${IDENTITY}/auth/refresh`, { method: "POST", json: {}, headers: COOKIE_MODE, auth: false }, null);
      if (resp.status === 401) {
        const hadSession = session.value !== null;
        forget(hadSession ? "expired" : null);
        return false;
      }
      adopt(await readAnswer(resp));
      return true;
    }).finally(() => { refreshing = null; });
  }
  return refreshing;
}

export async function currentToken(): Promise<string | null> {
  const s = session.value;
  if (s && s.expiresAt - Date.now() > 30_000) return s.token;
  if (!s) return null;
  return (await refreshSession()) ? session.value!.token : null;
}

export async function api<T = unknown>(path: string, opts: RequestOptions = {}): Promise<T> {
  if (opts.auth === false) return readAnswer<T>(await send(path, opts, null));
  const token = await currentToken();
  let resp = await send(path, opts, token);
  if (resp.status === 401) {
    if (!(await refreshSession())) throw failureFrom(401, { error: "invalid_token" });
    resp = await send(path, opts, session.value!.token);
  }
  return readAnswer<T>(resp);
}

/** A file's bytes with the bearer token (a plain link or <img src> cannot carry it); refusals as ApiFailure. */
export async function fetchBlob(path: string): Promise<Blob> {
  const token = await currentToken();
  const resp = await send(path, { headers: { Accept: "*/*" } }, token);
  if (!resp.ok) await readAnswer(resp);
  return resp.blob();
}

/** A file download with the bearer token (a plain link cannot carry it). */
export async function download(path: string, filename: string): Promise<void> {
  const url = URL.createObjectURL(await fetchBlob(path));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// ------------------------------------------------------------------ sign-in
export interface LoginAnswer {
  access_token: string;
  expires_in: number;
  password_change_required?: boolean;
}

export async function signIn(nip: string, password: string): Promise<void> {
  const answer = await api<LoginAnswer>(`${IDENTITY}/auth/login`, {
    method: "POST", json: { nip, password }, headers: COOKIE_MODE, auth: false,
  });
  adopt(answer);
  await loadProfile();
}

export async function changePassword(oldPassword: string, newPassword: string): Promise<void> {
  const answer = await api<LoginAnswer>(`${IDENTITY}/me/password`, {
    method: "POST", json: { old_password: oldPassword, new_password: newPassword }, headers: COOKIE_MODE,
  });
  adopt(answer);
  await loadProfile();
}

export async function loadProfile(): Promise<void> {
  profile.value = await api<Profile>(`${IDENTITY}/me`);
}

export async function signOut(): Promise<void> {
  clearTimeout(refreshTimer);
  try {
    await send(`${IDENTITY}/auth/logout`, { method: "POST", json: {}, headers: COOKIE_MODE, auth: false }, null);
  } catch {
    /* offline: the cookie is cleared next time; the token in memory goes now */
  }
  forget();
}

/** At start: resume the session from the cookie, if there is one. */
export async function resume(): Promise<void> {
  if (await refreshSession()) await loadProfile();
}

export { ApiFailure };
