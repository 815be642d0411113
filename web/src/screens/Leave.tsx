/** My leave, sick, izin and official-travel requests: my annual-leave balance, the list (cancel
 * before the start, attach a file while pending) and a new one with an optional attachment. */
import { signal } from "@preact/signals";
import { useState } from "preact/hooks";
import { api, download, PRESENCE } from "../api/client";
import { Button, ErrorSummary, LinkButton, LoadError, Loading, Notice, PageTitle, Radios, TextArea, TextField, Tag } from "../components/ui";
import { lang, t, type MessageKey } from "../i18n";
import { today } from "../lib/attendance";
import { errorText } from "../lib/errors";
import { sizeText } from "../lib/files";
import { ATTACHMENT_ACCEPT, attachmentProblem, balanceLines, type LeaveAttachment, type LeaveBalance } from "../lib/leave";
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
  attachment?: LeaveAttachment | null;
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

/** The request whose attachment did not go with it: its card opens the way to attach it again. */
const uploadFailed = signal<string | null>(null);

const attachmentPath = (id: string) => `${PRESENCE}/leave-requests/${encodeURIComponent(id)}/attachment`;

async function upload(id: string, file: File): Promise<LeaveRequest> {
  const body = new FormData();
  body.append("file", file, file.name);
  return api<LeaveRequest>(attachmentPath(id), { method: "PUT", form: body });
}

/** The attachment as a download (a plain link cannot carry the token); refusals go to `onError`. */
export function AttachmentLink({ request, onError }: { request: LeaveRequest; onError: (text: string) => void }) {
  const file = request.attachment;
  if (!file) return null;
  return (
    <p data-testid="leave-attachment">
      <button type="button" class="link-button" onClick={() => download(attachmentPath(request.id), file.name).catch((err) => onError(errorText(err)))}>
        {t("leave.download", { name: file.name })}
      </button> <span class="muted small">({sizeText(file.size)})</span>
    </p>
  );
}

/** Cuti tahunan of this year, in sentences; a failure to load it does not hide the rest of the screen. */
function Balance() {
  const { data, error, reload } = useAsync(() => api<LeaveBalance>(`${PRESENCE}/me/leave-balance`));
  if (error) return <LoadError error={error} retry={reload} />;
  if (!data) return null;
  const lines = balanceLines(data);
  return (
    <section class="inset" aria-labelledby="balance-title" data-testid="leave-balance">
      <h2 id="balance-title">{t("balance.title")}</h2>
      <p><strong>{lines.remaining}</strong></p>
      <p>{lines.from} {lines.used}</p>
      <p class="muted small">{t("balance.hint")}</p>
    </section>
  );
}

/** Attach (again) a file to a pending request: the way back when the upload after sending failed. */
function AttachForm({ request, open, onDone }: { request: LeaveRequest; open: boolean; onDone: (ok: boolean, text: string) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `attach-${request.id}`;

  async function send() {
    if (!file) { setProblem(t("leave.chooseFile")); return; }
    const bad = attachmentProblem(file);
    if (bad) { setProblem(bad); return; }
    setProblem(null);
    setBusy(true);
    try {
      await upload(request.id, file);
      onDone(true, t("leave.attached", { name: file.name }));
    } catch (err) {
      setProblem(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const label = request.attachment ? t("leave.replace") : t("leave.attach");
  // folded away on every card but the one whose upload just failed: the list stays a list
  return (
    <details class="attach" open={open}>
      <summary>{label}</summary>
      <div class={`field${problem ? " has-error" : ""}`}>
        <label for={id} class="visually-hidden">{label}</label>
        <span class="hint" id={`${id}-hint`}>{t("leave.attachmentHint")}</span>
        {problem && <span class="error-message" id={`${id}-error`} role="alert">{problem}</span>}
        <input id={id} type="file" accept={ATTACHMENT_ACCEPT} aria-describedby={`${id}-hint`}
          onChange={(e) => { setFile((e.target as HTMLInputElement).files?.[0] ?? null); setProblem(null); }} />
        <Button variant="secondary" inline disabled={busy} onClick={send}>{busy ? t("leave.uploading") : t("leave.upload")}</Button>
      </div>
    </details>
  );
}

export function LeaveList() {
  const { data, error, loading, reload } = useAsync(() => api<{ items: LeaveRequest[] }>(`${PRESENCE}/me/leave-requests`));
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [balanceKey, setBalanceKey] = useState(0);
  const now = today.value?.date ?? todayIn(DEFAULT_ZONE);
  const said = (ok: boolean, text: string) => { setMessage({ ok, text }); if (ok) reload(); };

  async function cancel(request: LeaveRequest) {
    setMessage(null);
    try {
      await api(`${PRESENCE}/leave-requests/${encodeURIComponent(request.id)}/cancel`, { method: "POST", json: {} });
      setMessage({ ok: true, text: t("leave.cancelled") });
      reload();
      setBalanceKey((k) => k + 1); // a cancelled cuti gives its days back
    } catch (err) {
      setMessage({ ok: false, text: errorText(err) });
    }
  }

  return (
    <>
      <PageTitle>{t("leave.title")}</PageTitle>
      {message && <Notice kind={message.ok ? "ok" : "bad"} role={message.ok ? "status" : "alert"}><p>{message.text}</p></Notice>}
      <Balance key={balanceKey} />
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
              <AttachmentLink request={r} onError={(text) => setMessage({ ok: false, text })} />
              {r.state === "pending" && <AttachForm key={r.attachment?.id ?? "none"} request={r} open={uploadFailed.value === r.id && !r.attachment} onDone={said} />}
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
  const [file, setFile] = useState<File | null>(null);
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
    const bad = file && attachmentProblem(file);
    if (bad) found.attachment = bad;
    await form.submit(found, async () => {
      const created = await api<LeaveRequest>(`${PRESENCE}/leave-requests`, {
        method: "POST",
        json: { type, start_date: start, end_date: end, reason: reason.trim(), ...(type === "dinas_luar" ? { spt_number: spt.trim() } : {}) },
      });
      if (file) {
        try {
          await upload(created.id, file);
        } catch (err) {
          // The request exists (sending it again would overlap itself): say what is missing and where to fix it.
          uploadFailed.value = created.id;
          navigateWith(t("leave.sentNoFile", { name: file.name, reason: errorText(err) }), "/izin", false);
          return;
        }
      }
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
      <div class={`field${errors.attachment ? " has-error" : ""}`}>
        <label for="attachment">{t("leave.attachment")}</label>
        <span class="hint" id="attachment-hint">{t("leave.attachmentHint")}</span>
        {errors.attachment && <span class="error-message" id="attachment-error">{errors.attachment}</span>}
        <input id="attachment" name="attachment" type="file" accept={ATTACHMENT_ACCEPT} aria-describedby="attachment-hint"
          onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)} />
      </div>
      <Button type="submit" disabled={busy}>{busy ? t("form.saving") : t("leave.submit")}</Button>
    </form>
  );
}
