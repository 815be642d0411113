/** "Sudah presensi hari ini?" answered at a glance, and the one big button for what comes next. */
import { useEffect, useState } from "preact/hooks";
import { session } from "../api/session";
import { Button, LinkButton, LoadError, Loading, Notice, PageTitle, Summary, Tag, Warning } from "../components/ui";
import { lang, t } from "../i18n";
import { flushQueue, loadToday, queue, queueVersion, today, type Today } from "../lib/attendance";
import { errorText } from "../lib/errors";
import { failureFrom } from "../api/failure";
import { dayColour, dayStatusKey, modeKey } from "../lib/status";
import { clockWithZone, DEFAULT_ZONE, hhmm, longDate, zoneLabel } from "../lib/time";
import type { Outcome } from "../lib/offlineQueue";
import { TrustNotice } from "../components/TrustNotice";

export function Home() {
  const [error, setError] = useState<unknown>(null);
  const [flushing, setFlushing] = useState(false);
  useEffect(() => {
    loadToday().then(() => setError(null), setError);
  }, []);
  queueVersion.value; // re-render when the queue changes
  const nip = session.value?.principal.nip ?? "";
  const pending = queue.pending(nip);
  const outcomes = queue.outcomes(nip);
  const day = today.value;

  async function retryNow() {
    setFlushing(true);
    try {
      await flushQueue();
    } finally {
      setFlushing(false);
    }
  }

  return (
    <>
      <PageTitle>{t("home.title")}</PageTitle>
      {day && <p class="lead">{longDate(day.date, lang.value)}</p>}
      {pending.map((a) => (
        <Notice key={a.key} kind="bad" role="status">
          <p><strong>{t("home.queued", {
            what: t(a.kind === "check-in" ? "home.whatIn" : "home.whatOut"),
            time: clockWithZone(a.createdAt, day?.office?.timezone ?? DEFAULT_ZONE, lang.value),
          })}</strong></p>
          <Button variant="secondary" inline disabled={flushing} onClick={retryNow}>
            {flushing ? t("home.queuedTrying") : t("app.retry")}
          </Button>
        </Notice>
      ))}
      {outcomes.map((o) => <OutcomeNotice key={o.key} outcome={o} day={day} />)}
      {error && !day ? <LoadError error={error} retry={() => loadToday().then(() => setError(null), setError)} />
        : !day ? <Loading /> : <DayAnswer day={day} queued={pending.length > 0} />}
    </>
  );
}

function OutcomeNotice({ outcome, day }: { outcome: Outcome; day: Today | null }) {
  const tz = day?.office?.timezone ?? DEFAULT_ZONE;
  const what = t(outcome.kind === "check-in" ? "home.whatIn" : "home.whatOut");
  let text: string;
  if (outcome.ok) {
    const at = String(outcome.answer?.checked_out_at ?? outcome.answer?.checked_in_at ?? outcome.at);
    text = t("home.queuedDone", { what, time: clockWithZone(at, tz, lang.value) });
  } else {
    const f = outcome.failure!;
    const reason = errorText(failureFrom(f.status, { error: f.code, message: f.message, ...f.details }),
      { officeName: day?.office?.name, timezone: tz });
    text = t("home.queuedRefused", { what, reason });
  }
  return (
    <Notice kind={outcome.ok ? "ok" : "bad"} role="status">
      <p><strong>{text}</strong></p>
      <Button variant="secondary" inline onClick={() => queue.dismiss(outcome.key)}>{t("home.dismiss")}</Button>
    </Notice>
  );
}

function DayAnswer({ day, queued }: { day: Today; queued: boolean }) {
  const L = lang.value;
  const tz = day.office?.timezone ?? DEFAULT_ZONE;
  const zone = zoneLabel(tz);
  const ci = day.check_in;
  const co = day.check_out;
  let answer: { cls: string; head: string; sub?: string };
  if (day.leave_type && !ci) answer = { cls: "rest", head: t("home.onLeave", { type: t(dayStatusKey(day.leave_type)).toLowerCase() }) };
  else if (!ci && !day.working_day) answer = { cls: "rest", head: day.holiday ? t("home.holiday", { name: day.holiday }) : t("home.dayOff") };
  else if (!ci) answer = { cls: "todo", head: t("home.notYet") };
  else {
    const late = ci.late_minutes > 0 ? t("home.late", { n: ci.late_minutes }) : t("home.onTime");
    const out = co ? t("home.outAt", { time: clockWithZone(co.checked_out_at, tz, L) })
      + (co.early_leave_minutes > 0 ? ` · ${t("home.early", { n: co.early_leave_minutes })}` : "") : t("home.notOut");
    answer = { cls: "done", head: t("home.inAt", { time: clockWithZone(ci.checked_in_at, tz, L) }), sub: `${late}. ${out}.` };
  }
  const onLeave = !!day.leave_type && day.leave_type !== "dinas_luar"; // a DL day is clocked in as DL
  const canCheckIn = !ci && !queued && day.office && !onLeave;
  const canCheckOut = ci && !co && !queued;
  return (
    <>
      <div class={`answer ${answer.cls}`} aria-live="polite" data-testid="today-answer">
        <strong>{answer.head}</strong>
        {answer.sub && <span>{answer.sub}</span>}
      </div>
      {!day.office && <Warning>{t("home.noOffice")}</Warning>}
      {ci?.home_unverified && <p class="inset">{t("home.unverifiedHome")}</p>}
      <TrustNotice checkIn={ci} checkOut={co} tz={tz} />
      {canCheckIn && <LinkButton big href="/presensi?aksi=masuk">{t("home.checkIn")}</LinkButton>}
      {canCheckOut && <LinkButton big href="/presensi?aksi=pulang">{t("home.checkOut")}</LinkButton>}
      {ci && co && <p>{t("home.allDone")}</p>}
      <Summary rows={[
        [t("home.status"), <Tag colour={dayColour(day.status)}>{t(dayStatusKey(day.status))}</Tag>],
        [t("home.mode"), ci ? t(modeKey(ci.mode)) : day.leave_type === "dinas_luar" ? t("mode.DL") : day.roster_mode ? t(modeKey(day.roster_mode)) : "—"],
        [t("home.office"), day.office?.name ?? "—"],
        [t("home.schedule"), day.schedule ? t("home.scheduleValue", {
          start: hhmm(day.schedule.start, L), end: hhmm(day.schedule.end, L), zone, grace: day.schedule.grace_minutes,
        }) : t("home.noSchedule")],
      ]} />
    </>
  );
}
