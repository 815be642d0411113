/** A month of my days as a calendar; choosing a day shows what happened on it. */
import { useState } from "preact/hooks";
import { api, PRESENCE } from "../api/client";
import { LoadError, Loading, PageTitle, Summary, Tag } from "../components/ui";
import { lang, t } from "../i18n";
import { today, type Today } from "../lib/attendance";
import { DAY_ABBR, DAY_STATUSES, dayColour, dayStatusKey, modeKey } from "../lib/status";
import { addMonths, clockWithZone, DEFAULT_ZONE, lastDayOfMonth, longDate, monthGrid, monthTitle, todayIn, weekdayNames } from "../lib/time";
import { useAsync } from "../lib/useAsync";
import { TrustNotice } from "../components/TrustNotice";

interface Page { items: Today[]; total: number }

export function History() {
  const tz = today.value?.office?.timezone ?? DEFAULT_ZONE;
  const now = today.value?.date ?? todayIn(tz);
  const thisMonth = now.slice(0, 7);
  const [month, setMonth] = useState(thisMonth);
  const [chosen, setChosen] = useState<string | null>(null);
  const L = lang.value;
  const to = month === thisMonth ? now : lastDayOfMonth(month);
  const { data, error, loading, reload } = useAsync(
    () => api<Page>(`${PRESENCE}/me/history?from=${month}-01&to=${to}&page_size=31`), [month]);
  const byDate = new Map((data?.items ?? []).map((d) => [d.date, d]));
  const picked = chosen ? byDate.get(chosen) : undefined;
  const names = weekdayNames(L);

  function go(delta: number) {
    setMonth(addMonths(month, delta));
    setChosen(null);
  }

  return (
    <>
      <PageTitle>{t("hist.title")}</PageTitle>
      <div class="month-nav">
        <button type="button" onClick={() => go(-1)} aria-label={t("hist.prev")}>‹</button>
        <h2 aria-live="polite">{monthTitle(month, L)}</h2>
        <button type="button" onClick={() => go(1)} disabled={month >= thisMonth} aria-label={t("hist.next")}>›</button>
      </div>
      {error ? <LoadError error={error} retry={reload} /> : loading && !data ? <Loading /> : (
        <table class="calendar">
          <caption class="visually-hidden">{monthTitle(month, L)}</caption>
          <thead><tr>{names.map((n) => <th scope="col" key={n}>{n}</th>)}</tr></thead>
          <tbody>
            {monthGrid(month).map((week, i) => (
              <tr key={i}>
                {week.map((day, j) => {
                  if (!day) return <td key={j} />;
                  const entry = byDate.get(day);
                  const label = `${longDate(day, L)}: ${entry ? t(dayStatusKey(entry.status)) : "—"}`;
                  return (
                    <td key={day}>
                      <button type="button" aria-pressed={chosen === day} aria-label={label} disabled={day > now}
                        onClick={() => setChosen(day)} data-date={day}>
                        <span class="num">{Number(day.slice(8))}</span>
                        {entry && <span class={`abbr tag ${dayColour(entry.status)}`} aria-hidden="true">{DAY_ABBR[entry.status] ?? "?"}</span>}
                      </button>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div aria-live="polite">
        {picked ? (
          <>
            <h2>{longDate(picked.date, L)}</h2>
            <Summary rows={[
              [t("home.status"), <Tag colour={dayColour(picked.status)}>{t(dayStatusKey(picked.status))}</Tag>],
              ...(picked.check_in ? [
                [t("home.mode"), t(modeKey(picked.check_in.mode))],
                [t("hist.dayIn", { time: "" }).trim(), `${clockWithZone(picked.check_in.checked_in_at, tz, L)}${picked.check_in.late_minutes ? ` · ${t("home.late", { n: picked.check_in.late_minutes })}` : ""}`],
              ] as [string, string][] : []),
              ...(picked.check_out ? [
                [t("hist.dayOut", { time: "" }).trim(), `${clockWithZone(picked.check_out.checked_out_at, tz, L)}${picked.check_out.early_leave_minutes ? ` · ${t("home.early", { n: picked.check_out.early_leave_minutes })}` : ""}`],
              ] as [string, string][] : []),
              ...(picked.holiday ? [[t("status.libur"), picked.holiday]] as [string, string][] : []),
            ]} />
            <TrustNotice checkIn={picked.check_in} checkOut={picked.check_out} tz={tz} />
            {picked.working_day && !picked.leave_type && picked.check_in?.review !== "rejected" && (
              <p><a href={`/koreksi/baru?tanggal=${picked.date}`}>{t("trust.correctDay")}</a></p>)}
          </>
        ) : <p class="muted">{t("hist.choose")}</p>}
      </div>
      <h2>{t("hist.legend")}</h2>
      <ul class="legend">
        {DAY_STATUSES.map((s) => <li key={s}><Tag colour={dayColour(s)}>{DAY_ABBR[s]}</Tag> {t(dayStatusKey(s))}</li>)}
      </ul>
    </>
  );
}
