/** Dates and times in the office's zone, labelled WIB / WITA / WIT as Indonesians read them. */

export type Lang = "id" | "en";

const LOCALE: Record<Lang, string> = { id: "id-ID", en: "en-GB" };

const INDONESIAN_ZONES: Record<string, string> = {
  "Asia/Jakarta": "WIB",
  "Asia/Pontianak": "WIB",
  "Asia/Makassar": "WITA",
  "Asia/Ujung_Pandang": "WITA",
  "Asia/Jayapura": "WIT",
};

export const DEFAULT_ZONE = "Asia/Jakarta";

/** WIB / WITA / WIT for Indonesia's zones, else the offset ("GMT+1"). */
export function zoneLabel(tz: string, at: Date = new Date()): string {
  if (INDONESIAN_ZONES[tz]) return INDONESIAN_ZONES[tz];
  try {
    const part = new Intl.DateTimeFormat("en", { timeZone: tz, timeZoneName: "shortOffset" })
      .formatToParts(at).find((p) => p.type === "timeZoneName");
    return part ? part.value : tz;
  } catch {
    return tz;
  }
}

/** "07.32" (id) / "07:32" (en) of an instant in the zone. */
export function clock(iso: string | Date, tz: string, lang: Lang): string {
  const at = typeof iso === "string" ? new Date(iso) : iso;
  return new Intl.DateTimeFormat(LOCALE[lang], {
    timeZone: tz, hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).format(at);
}

/** "07.32 WIB" */
export function clockWithZone(iso: string | Date, tz: string, lang: Lang): string {
  const at = typeof iso === "string" ? new Date(iso) : iso;
  return `${clock(at, tz, lang)} ${zoneLabel(tz, at)}`;
}

/** A schedule time "07:30" shown the local way: "07.30" in Indonesian. */
export function hhmm(value: string, lang: Lang): string {
  return lang === "id" ? value.replace(":", ".") : value;
}

function utcDate(day: string): Date {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d, 12));
}

/** "Senin, 2 Maret 2026" of a calendar date "YYYY-MM-DD" (no zone shift: it is a date, not an instant). */
export function longDate(day: string, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALE[lang], {
    timeZone: "UTC", weekday: "long", day: "numeric", month: "long", year: "numeric",
  }).format(utcDate(day));
}

/** "2 Mar 2026" */
export function shortDate(day: string, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALE[lang], { timeZone: "UTC", day: "numeric", month: "short", year: "numeric" })
    .format(utcDate(day));
}

/** "Maret 2026" of "2026-03" */
export function monthTitle(month: string, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALE[lang], { timeZone: "UTC", month: "long", year: "numeric" })
    .format(utcDate(`${month}-01`));
}

/** Mon..Sun short names in the language, Monday first. */
export function weekdayNames(lang: Lang): string[] {
  const fmt = new Intl.DateTimeFormat(LOCALE[lang], { timeZone: "UTC", weekday: "short" });
  return Array.from({ length: 7 }, (_, i) => fmt.format(new Date(Date.UTC(2024, 0, 1 + i, 12)))); // 2024-01-01 is a Monday
}

/** Today's date "YYYY-MM-DD" in the zone. */
export function todayIn(tz: string, now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" })
    .formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** The local time "HH:MM" in the zone (for the daily log's defaults). */
export function nowHHMM(tz: string, now: Date = new Date()): string {
  return clock(now, tz, "en");
}

export function addDays(day: string, n: number): string {
  const d = utcDate(day);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split("-").map(Number);
  const total = y * 12 + (m - 1) + n;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, "0")}`;
}

/** The weeks of a month, Monday first; days outside the month are null. */
export function monthGrid(month: string): (string | null)[][] {
  const first = utcDate(`${month}-01`);
  const lead = (first.getUTCDay() + 6) % 7; // Monday = 0
  const days: (string | null)[] = Array(lead).fill(null);
  for (let day = `${month}-01`; day.startsWith(month); day = addDays(day, 1)) days.push(day);
  while (days.length % 7) days.push(null);
  const weeks = [];
  for (let i = 0; i < days.length; i += 7) weeks.push(days.slice(i, i + 7));
  return weeks;
}

export function lastDayOfMonth(month: string): string {
  return addDays(`${addMonths(month, 1)}-01`, -1);
}
