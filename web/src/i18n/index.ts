/** Bahasa Indonesia first, English on request; the choice is kept on the device. */
import { signal } from "@preact/signals";
import type { Lang } from "../lib/time";
import { MESSAGES, type MessageKey } from "./messages";

export type { Lang, MessageKey };

const STORE_KEY = "sipk.lang";

function initialLang(): Lang {
  try {
    return globalThis.localStorage?.getItem(STORE_KEY) === "en" ? "en" : "id";
  } catch {
    return "id";
  }
}

export const lang = signal<Lang>(initialLang());

export function setLang(next: Lang): void {
  lang.value = next;
  try {
    localStorage.setItem(STORE_KEY, next);
  } catch {
    /* private mode: the choice lasts for this visit */
  }
  if (typeof document !== "undefined") document.documentElement.lang = next;
}

/** The language switch as an Accept-Language header (the API's messages follow it): the chosen
 * language first, the other after it. */
export function acceptLanguage(which: Lang = lang.value): string {
  return which === "en" ? "en, id;q=0.5" : "id, en;q=0.5";
}

export type Params = Record<string, string | number>;

export function format(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** The message in the given (default: current) language, with {name} placeholders filled. */
export function t(key: MessageKey, params?: Params, which: Lang = lang.value): string {
  const pair = MESSAGES[key];
  return format(pair[which === "en" ? 1 : 0], params);
}

/** A translator over a lazily loaded chunk's own table (the console's and the SKP screens' texts stay
 * out of the phone's first load); same {name} placeholders and language as `t`. */
export function translator<K extends string>(table: Record<K, readonly [string, string]>) {
  return (key: K, params?: Params, which: Lang = lang.value): string => format(table[key][which === "en" ? 1 : 0], params);
}

/** Metres as a whole number, grouped the local way ("1.234" in Indonesian). */
export function metres(value: number, which: Lang = lang.value): string {
  return new Intl.NumberFormat(which === "en" ? "en-GB" : "id-ID", { maximumFractionDigits: 0 }).format(value);
}
