/** One waiting item at a time: what it is, a note, approve or reject/return. */
import { useState } from "preact/hooks";
import type { ComponentChildren } from "preact";
import { api, PERFORMANCE, PRESENCE } from "../../api/client";
import { failureFrom } from "../../api/failure";
import { Button, ErrorSummary, LoadError, Loading, Notice, PageTitle, Summary, TextArea } from "../../components/ui";
import { lang, metres, t } from "../../i18n";
import { today, type HomeLocation } from "../../lib/attendance";
import { errorText } from "../../lib/errors";
import { navigateWith } from "../../lib/flash";
import { distanceM } from "../../lib/geo";
import { addDays, DEFAULT_ZONE, longDate, todayIn } from "../../lib/time";
import { useAsync } from "../../lib/useAsync";
import { EntryText, type LogEntry } from "../DailyLog";
import { AttachmentLink, LeaveDates, leaveTypeText, type LeaveRequest } from "../Leave";

export function DecisionForm({ approveLabel, rejectLabel, noteRequiredOnReject, decide }: {
  approveLabel: string; rejectLabel: string; noteRequiredOnReject?: boolean;
  decide: (approved: boolean, note: string) => Promise<unknown>;
}) {
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function act(approved: boolean) {
    setProblem(null);
    if (!approved && noteRequiredOnReject && !note.trim()) {
      setError(t("inbox.noteMissing"));
      return;
    }
    setError(null);
    setBusy(true);
    try {
      await decide(approved, note.trim());
      navigateWith(t("inbox.decided"), "/persetujuan");
    } catch (err) {
      setProblem(errorText(err));
      setBusy(false);
    }
  }
  const summary = problem ? [{ text: problem }] : error ? [{ field: "note", text: error }] : [];
  return (
    <>
      <ErrorSummary items={summary} />
      <TextArea id="note" label={noteRequiredOnReject ? t("inbox.noteRequired") : t("inbox.note")} error={error ?? undefined}
        value={note} onValue={setNote} rows={3} maxLength={1000} />
      <div class="button-group">
        <Button disabled={busy} onClick={() => act(true)}>{approveLabel}</Button>
        <Button variant="warning" disabled={busy} onClick={() => act(false)}>{rejectLabel}</Button>
      </div>
      <p><a href="/persetujuan">{t("app.back")}</a></p>
    </>
  );
}

export function LeaveDecision({ params }: { params: Record<string, string> }) {
  const path = `${PRESENCE}/leave-requests/${encodeURIComponent(params.id)}`;
  const { data, error, reload } = useAsync(() => api<LeaveRequest>(path), [params.id]);
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <>
      <PageTitle>{t("inbox.leave")}</PageTitle>
      {problem && <Notice kind="bad" role="alert"><p>{problem}</p></Notice>}
      {error ? <LoadError error={error} retry={reload} /> : !data ? <Loading /> : (
        <>
          <Summary rows={[
            [t("assign.assignee"), data.name ?? data.nip],
            [t("leave.type"), leaveTypeText(data.type)],
            [t("leave.start"), <LeaveDates request={data} />],
            [t("leave.reason"), data.reason],
            ...(data.spt_number ? [["SPT", data.spt_number]] as [string, string][] : []),
            // the doctor's letter or SPT scan, read before deciding
            ...(data.attachment ? [[t("leave.attachmentLabel"), <AttachmentLink request={data} onError={setProblem} />]] as [string, ComponentChildren][] : []),
          ]} />
          <DecisionForm approveLabel={t("inbox.approve")} rejectLabel={t("inbox.reject")}
            decide={(approved, note) => api(`${path}/decision`, { method: "POST", json: { approved, note } })} />
        </>
      )}
    </>
  );
}

export function HomeLocationDecision({ params }: { params: Record<string, string> }) {
  const { data, error, reload } = useAsync(async () => {
    const page = await api<{ items: (HomeLocation & { name?: string | null })[] }>(`${PRESENCE}/team/home-locations?status=pending`);
    const found = page.items.find((h) => h.nip === params.nip);
    if (!found) throw failureFrom(404, { error: "not_found" });
    return found;
  }, [params.nip]);
  const office = today.value?.office;
  return (
    <>
      <PageTitle>{t("inbox.homeLocations")}</PageTitle>
      {error ? <LoadError error={error} retry={reload} /> : !data ? <Loading /> : (
        <>
          <Summary rows={[
            [t("assign.assignee"), data.name ?? data.nip],
            [t("homeLoc.current"), t("inbox.position", { lat: data.latitude.toFixed(5), lon: data.longitude.toFixed(5) })],
            ...(office ? [["", t("inbox.fromOffice", { d: metres(distanceM(office, data)) })]] as [string, string][] : []),
          ]} />
          <DecisionForm approveLabel={t("inbox.approve")} rejectLabel={t("inbox.reject")}
            decide={(approved, note) => api(`${PRESENCE}/home-locations/${data.nip}/decision`, { method: "POST", json: { approved, note } })} />
        </>
      )}
    </>
  );
}

export function DailyLogDecision({ params }: { params: Record<string, string> }) {
  const now = today.value?.date ?? todayIn(DEFAULT_ZONE);
  const { data, error, reload } = useAsync(async () => {
    const page = await api<{ items: LogEntry[] }>(`${PERFORMANCE}/daily-logs?nip=${encodeURIComponent(params.nip)}&from=${addDays(now, -31)}&to=${now}`);
    const found = page.items.find((e) => e.id === params.id);
    if (!found) throw failureFrom(404, { error: "not_found" });
    return found;
  }, [params.id]);
  return (
    <>
      <PageTitle>{t("inbox.dailyLogs")}</PageTitle>
      {error ? <LoadError error={error} retry={reload} /> : !data ? <Loading /> : (
        <>
          <h2>{longDate(data.date, lang.value)}</h2>
          <div class="card"><EntryText entry={data} /></div>
          <DecisionForm approveLabel={t("inbox.approve")} rejectLabel={t("inbox.return")} noteRequiredOnReject
            decide={(approved, note) => api(`${PERFORMANCE}/daily-logs/${encodeURIComponent(data.id)}/decision`, {
              method: "POST", json: { approved, note: note || null },
            })} />
        </>
      )}
    </>
  );
}
