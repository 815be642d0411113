/** An API failure as a plain sentence for the person holding the phone: our own text per
 * error code with the numbers from its details, else the server's message, never JSON. */
import { metres, t, type Lang, type MessageKey } from "../i18n";
import { ApiFailure } from "../api/failure";
import { clockWithZone, shortDate } from "./time";

export interface ErrorContext {
  /** The office's name (the server's fence refusal carries only its code). */
  officeName?: string;
  timezone?: string;
  /** Texts of this screen that win over the general ones (e.g. `no_office` means the unit's office on
   * the roster screen, not mine). */
  override?: (failure: ApiFailure, lang?: Lang) => string | null;
}

const num = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);
const str = (value: unknown): string | undefined => (typeof value === "string" && value ? value : undefined);
const obj = (value: unknown): Record<string, unknown> => (value && typeof value === "object" ? value as Record<string, unknown> : {});

const SESSION_CODES = new Set(["invalid_token", "missing_token", "invalid_refresh_token", "refresh_token_reused"]);
const UNAVAILABLE = new Set(["bad_gateway", "service_unavailable", "gateway_timeout"]);
const SIMPLE = new Set([
  "invalid_credentials", "password_change_required", "wrong_password", "weak_password", "forbidden",
  "not_a_supervisor", "not_direct_supervisor", "inactive_employee", "no_office", "employee_unknown",
  "already_checked_out", "not_checked_in", "idempotency_in_progress", "idempotency_key_reused", "conflict",
  "not_found", "too_many_files", "payload_too_large", "range_too_long", "future_date", "validation_failed",
  "too_many_streams", "too_many_requests", "employee_inactive",
  "selfie_required", "selfie_not_enabled", "invalid_photo", "photo_too_large",
]);

/** Trust flags in words, joined ("a, b dan c"); an unknown code is said as it is. */
export function flagList(flags: string[], lang?: Lang): string {
  const words = flags.map((f) => (`flag.${f}` in FLAG_KEYS ? t(`flag.${f}` as MessageKey, {}, lang) : f));
  if (words.length < 2) return words.join("");
  return `${words.slice(0, -1).join(", ")}${t("trust.and", {}, lang)}${words[words.length - 1]}`;
}

const FLAG_KEYS: Record<string, true> = Object.fromEntries(["accuracy_implausible", "repeated_point", "impossible_travel",
  "stale_position", "unbound_device", "shared_device", "accuracy_outside_fence"].map((f) => [`flag.${f}`, true]));

/** Texts for codes only the lazily loaded screens meet (the console's, the SKP's): each chunk registers
 * its own on load, so the phone's first load does not carry them. A text answers null for codes it
 * does not know. */
export type ErrorTexts = (failure: ApiFailure, lang?: Lang) => string | null;
const extraTexts: ErrorTexts[] = [];

export function registerErrorTexts(texts: ErrorTexts): void {
  if (!extraTexts.includes(texts)) extraTexts.push(texts);
}

/** The sentence for a failure, in `lang`. */
export function errorText(failure: unknown, ctx: ErrorContext = {}, lang?: Lang): string {
  if (!(failure instanceof ApiFailure)) return t("err.http", { status: "?" }, lang);
  const d = failure.details;
  const m = (key: MessageKey, params?: Record<string, string | number>) => t(key, params, lang);
  const metre = (value: unknown) => metres(num(value) ?? 0, lang);
  const code = failure.code;
  const own = ctx.override?.(failure, lang);
  if (own) return own;
  if (code === "network") return m("err.network");
  if (SESSION_CODES.has(code)) return m("err.session");
  if (UNAVAILABLE.has(code)) return m("err.unavailable");
  switch (code) {
    case "outside_geofence":
      return m("err.outside_geofence", {
        distance: metre(d.distance_m), radius: metre(d.radius_m),
        office: ctx.officeName || str(d.office_code) || "",
      });
    case "outside_home_geofence":
      return m("err.outside_home_geofence", { distance: metre(d.distance_m), radius: metre(d.radius_m) });
    case "low_accuracy":
      return m("err.low_accuracy", { accuracy: metre(d.accuracy_m), max: metre(d.max_accuracy_m) });
    case "roster_mismatch":
      return m("err.roster_mismatch", { mode: str(d.roster_mode) ?? "?" });
    case "no_approved_travel":
      return m("err.no_approved_travel", { date: str(d.date) ? shortDate(d.date as string, lang ?? "id") : "" });
    case "already_checked_in": {
      const at = str(obj(d.check_in).checked_in_at);
      return at ? m("err.already_checked_in", { time: clockWithZone(at, ctx.timezone || "Asia/Jakarta", lang ?? "id") })
        : m("err.already_checked_in_plain");
    }
    case "too_many_attempts":
      return m("err.too_many_attempts", { minutes: Math.max(1, Math.ceil((num(d.retry_after_s) ?? 900) / 60)) });
    case "leave_overlap": {
      const other = obj(d.leave_request);
      return str(other.start_date) && str(other.end_date)
        ? m("err.leave_overlap", { start: shortDate(other.start_date as string, lang ?? "id"), end: shortDate(other.end_date as string, lang ?? "id") })
        : m("err.leave_overlap_plain");
    }
    case "leave_balance_exceeded": {
      const remaining = num(d.remaining_days), requested = num(d.requested_days), year = num(d.year);
      return remaining !== undefined && requested !== undefined && year !== undefined
        ? m("err.leave_balance_exceeded", { remaining, requested, year })
        : m("err.leave_balance_exceeded_plain");
    }
    case "overlapping_entry": {
      const other = obj(d.overlaps_with);
      return m("err.overlapping_entry", { start: str(other.started_at) ?? "?", end: str(other.ended_at) ?? "?" });
    }
    case "invalid_transition":
      return str(d.current_status) ? m("err.invalid_transition", { current: d.current_status as string })
        : m("err.invalid_transition_plain");
    case "file_too_large":
      return m("err.file_too_large", { file: str(d.file) ?? "", max: Math.round((num(d.max_bytes) ?? 10485760) / 1048576) });
    case "unsupported_file_type":
      return str(d.file) ? m("err.unsupported_file_type", { file: d.file as string }) : m("err.photo_unsupported");
    case "trust_refused":
      return m("err.trust_refused", { reasons: flagList(Array.isArray(d.flags) ? d.flags.map(String) : [], lang) });
  }
  if (SIMPLE.has(code)) return m(`err.${code}` as MessageKey);
  for (const texts of extraTexts) {
    const text = texts(failure, lang);
    if (text) return text;
  }
  // A code we have no words for: the server's own sentence (plain text, never the body).
  if (failure.serverMessage) return failure.serverMessage;
  return m("err.http", { status: failure.status || "?" });
}

const FIELD_PATTERNS: [RegExp, (match: RegExpMatchArray, lang?: Lang) => string][] = [
  [/^Missing data for required field\.$/, (_m, l) => t("form.required", {}, l)],
  [/^Field may not be null\.$/, (_m, l) => t("form.required", {}, l)],
  [/^Not a valid (date|datetime)\.$/, (_m, l) => t("form.invalidDate", {}, l)],
  [/^Not a valid (number|integer)\.$/, (_m, l) => t("form.invalidNumber", {}, l)],
  [/^Unknown field\.$/, (_m, l) => t("form.unknownField", {}, l)],
  [/^Length must be between (\d+) and (\d+)\.$/, (m, l) => t("form.length", { min: m[1], max: m[2] }, l)],
  [/^Longer than maximum length (\d+)\.$/, (m, l) => t("form.maxLength", { max: m[1] }, l)],
  [/^Must be one of: .*\.$/, (_m, l) => t("form.oneOf", {}, l)],
];

/** Per-field messages of a 422, translated where we know marshmallow's sentence. */
export function fieldErrors(failure: unknown, lang?: Lang): Record<string, string> {
  if (!(failure instanceof ApiFailure)) return {};
  const out: Record<string, string> = {};
  if (failure.code !== "validation_failed") {
    // wrong_password, weak_password...: the field gets the code's own sentence, not the server's English.
    for (const field of Object.keys(failure.fields)) out[field] = errorText(failure, {}, lang);
    return out;
  }
  for (const [field, messages] of Object.entries(failure.fields)) {
    const first = messages[0] ?? "";
    const known = FIELD_PATTERNS.find(([re]) => re.test(first));
    out[field] = known ? known[1](first.match(known[0])!, lang) : first || t("form.invalid", {}, lang);
  }
  return out;
}
