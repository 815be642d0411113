/** My leave, sick, izin and official-travel requests: the list (cancel before the start) and a new one. */
import { useState } from "preact/hooks";
import { api, PRESENCE } from "../api/client";
import { Button, ErrorSummary, LinkButton, LoadError, Loading, Notice, PageTitle, Radios, TextArea, TextField, Tag } from "../components/ui";
import { lang, t, type MessageKey } from "../i18n";
import { today } from "../lib/attendance";
import { errorText } from "../lib/errors";
import { useForm } from "../lib/useForm";
import { navigateWith } from "../lib/flash";
import { stateColour } from "../lib/status";
import { DEFAULT_ZONE, shortDate, todayIn } from "../lib/time";
import { useAsync } from "../lib/useAsync";

export interface LeaveRequest {
  id: string;
  nip: string;
  name?: string | null;
  type: string;
  start_date: string;
  end_date: string;
  days: number;
  reason: string;
  spt_number?: string | null;
  state: string;
  decision_note?: string | null;
  created_at?: string;
}

export const LEAVE_TYPES = ["izin", "sakit", "cuti", "dinas_luar", "tugas_belajar"] as const;

export function leaveTypeText(type: string): string {
  return (LEAVE_TYPES as readonly string[]).includes(type) ? t(`leaveType.${type}` as MessageKey) : type;
}

export function leaveStateText(state: string): string {
  return ["pending", "approved", "rejected", "cancelled"].includes(state) ? t(`state.${state}` as MessageKey) : state;
}

export function LeaveDates({ request }: { request: LeaveRequest }) {
  const L = lang.value;
  return <>{shortDate(request.start_date, L)}{request.end_date !== request.start_date && <> – {shortDate(request.end_date, L)}</>} · {t("leave.days", { n: request.days })}</>;
}

export function LeaveList() {
  const { data, error, loading, reload } = useAsync(() => api<{ items: LeaveRequest[] }>(`${PRESENCE}/me/leave-requests`));
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const now = today.value?.date ?? todayIn(DEFAULT_ZONE);

  async function cancel(request: LeaveRequest) {
    setMessage(null);
    try {
      await api(`${PRESENCE}/leave-requests/${encodeURIComponent(request.id)}/cancel`, { method: "POST", json: {} });
      setMessage({ ok: true, text: t("leave.cancelled") });
      reload();
    } catch (err) {
      setMessage({ ok: false, text: errorText(err) });
    }
  }

  return (
    <>
      <PageTitle>{t("leave.title")}</PageTitle>
      {message && <Notice kind={message.ok ? "ok" : "bad"} role={message.ok ? "status" : "alert"}><p>{message.text}</p></Notice>}
      <LinkButton href="/izin/baru">{t("leave.new")}</LinkButton>
      {error ? <LoadError error={error} retry={reload} /> : loading && !data ? <Loading /> : !data?.items.length ? <p>{t("leave.none")}</p> : (
        <ul class="cards">
          {data.items.map((r) => (
            <li class="card" key={r.id} data-testid="leave-item">
              <h2>{leaveTypeText(r.type)}</h2>
              <p class="meta"><Tag colour={stateColour(r.state)}>{leaveStateText(r.state)}</Tag> <span><LeaveDates request={r} /></span></p>
              <p>{r.reason}</p>
              {r.spt_number && <p>SPT: {r.spt_number}</p>}
              {r.decision_note && <p class="muted">{t("leave.decisionNote", { note: r.decision_note })}</p>}
              {(r.state === "pending" || r.state === "approved") && r.start_date > now && (
                <Button variant="secondary" inline onClick={() => cancel(r)}>{t("leave.cancel")}</Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function LeaveNew() {
  const [type, setType] = useState("");
  const [start, setStart] = useState("");
  const [end, setEnd] = useState("");
  const [reason, setReason] = useState("");
  const [spt, setSpt] = useState("");
  const form = useForm();
  const { errors, busy } = form;

  async function submit(e: Event) {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!type) found.type = t("leave.typeMissing");
    if (!start) found.start_date = t("leave.dateMissing");
    if (!end) found.end_date = t("leave.dateMissing");
    else if (start && end < start) found.end_date = t("leave.endBeforeStart");
    if (!reason.trim()) found.reason = t("leave.reasonMissing");
    if (type === "dinas_luar" && !spt.trim()) found.spt_number = t("leave.sptMissing");
    await form.submit(found, async () => {
      await api(`${PRESENCE}/leave-requests`, {
        method: "POST",
        json: { type, start_date: start, end_date: end, reason: reason.trim(), ...(type === "dinas_luar" ? { spt_number: spt.trim() } : {}) },
      });
      navigateWith(t("leave.sent"), "/izin");
    });
  }

  const summary = form.summary;
  return (
    <form onSubmit={submit} noValidate>
      <p><a href="/izin">{t("app.back")}</a></p>
      <PageTitle>{t("leave.newTitle")}</PageTitle>
      <ErrorSummary items={summary} />
      <Radios id="type" legend={t("leave.type")} error={errors.type} value={type} onValue={setType}
        options={LEAVE_TYPES.map((v) => ({ value: v, label: leaveTypeText(v) }))} />
      <TextField id="start_date" type="date" widthClass="width-10" label={t("leave.start")} error={errors.start_date} value={start}
        onValue={(v) => { setStart(v); if (!end) setEnd(v); }} />
      <TextField id="end_date" type="date" widthClass="width-10" label={t("leave.end")} error={errors.end_date} value={end} onValue={setEnd} />
      <TextArea id="reason" label={t("leave.reason")} error={errors.reason} value={reason} onValue={setReason} maxLength={1000} />
      {type === "dinas_luar" && (
        <TextField id="spt_number" label={t("leave.spt")} hint={t("leave.sptHint")} error={errors.spt_number} value={spt} onValue={setSpt} maxLength={100} />
      )}
      <Button type="submit" disabled={busy}>{busy ? t("form.saving") : t("leave.submit")}</Button>
    </form>
  );
}
