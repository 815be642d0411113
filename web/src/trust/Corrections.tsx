/** My attendance corrections (koreksi presensi): the list with their decisions, and a new request. */
import { useState } from "preact/hooks";
import { api, PRESENCE } from "../api/client";
import { Button, ErrorSummary, LinkButton, LoadError, Loading, PageTitle, Radios, Tag, TextArea, TextField } from "../components/ui";
import { lang } from "../i18n";
import { today } from "../lib/attendance";
import { navigateWith } from "../lib/flash";
import { photoBase64 } from "../lib/photo";
import { current } from "../lib/router";
import { stateColour } from "../lib/status";
import { DEFAULT_ZONE, hhmm, longDate, todayIn } from "../lib/time";
import { useAsync } from "../lib/useAsync";
import { useForm } from "../lib/useForm";
import { tt, type TT } from "./texts";

export interface CorrectionRequest {
  id: string;
  nip: string;
  name?: string | null;
  date: string;
  kind: "check_in" | "check_out";
  time: string;
  reason: string;
  state: "pending" | "approved" | "rejected";
  has_photo: boolean;
  created_at?: string | null;
  decided_by?: string | null;
  note?: string | null;
  month_used?: number;
  month_limit?: number;
}

export const LIMIT_HINT = 3;

export function correctionLine(c: CorrectionRequest): string {
  return tt("corr.line", { kind: tt(`corr.kind.${c.kind}` as TT), time: hhmm(c.time, lang.value) });
}

export function CorrectionState({ state }: { state: string }) {
  return <Tag colour={stateColour(state)}>{tt(`state.${state}` as TT)}</Tag>;
}

export function CorrectionList() {
  const { data, error, loading, reload } = useAsync(() => api<{ items: CorrectionRequest[] }>(`${PRESENCE}/me/corrections`));
  const L = lang.value;
  return (
    <>
      <PageTitle>{tt("corr.title")}</PageTitle>
      <p>{tt("corr.intro", { n: LIMIT_HINT })}</p>
      <LinkButton href="/koreksi/baru">{tt("corr.new")}</LinkButton>
      {error ? <LoadError error={error} retry={reload} /> : loading && !data ? <Loading /> : !data?.items.length ? <p>{tt("corr.none")}</p> : (
        <ul class="cards">
          {data.items.map((c) => (
            <li class="card" key={c.id} data-testid="correction-item">
              <h2>{longDate(c.date, L)}</h2>
              <p class="meta"><CorrectionState state={c.state} /> <span>{correctionLine(c)}</span></p>
              <p>{c.reason}</p>
              {c.note && <p class="muted">{tt("corr.decisionNote", { note: c.note })}</p>}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function CorrectionNew() {
  const now = today.value?.date ?? todayIn(today.value?.office?.timezone ?? DEFAULT_ZONE);
  const [date, setDate] = useState(current.value.query.get("tanggal") ?? "");
  const [kind, setKind] = useState("");
  const [time, setTime] = useState("");
  const [reason, setReason] = useState("");
  const [photo, setPhoto] = useState<string | null>(null);
  const [photoProblem, setPhotoProblem] = useState<string | null>(null);
  const form = useForm();
  const { errors, busy } = form;

  async function pick(file: File | undefined) {
    if (!file) return;
    try {
      setPhoto(await photoBase64(file, 1280, 0.8));
      setPhotoProblem(null);
    } catch {
      setPhoto(null);
      setPhotoProblem(tt("corr.photoHint"));
    }
  }

  async function submit(e: Event) {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!date) found.date = tt("corr.dateMissing");
    if (!kind) found.kind = tt("corr.kindMissing");
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) found.time = tt("corr.timeMissing");
    if (reason.trim().length < 3) found.reason = tt("corr.reasonMissing");
    await form.submit(found, async () => {
      const made = await api<CorrectionRequest>(`${PRESENCE}/corrections`, {
        method: "POST", json: { date, kind, time, reason: reason.trim(), ...(photo ? { photo } : {}) },
      });
      const used = made.month_used !== undefined
        ? ` ${tt("corr.used", { month: made.date.slice(0, 7), used: made.month_used, limit: made.month_limit ?? LIMIT_HINT })}` : "";
      navigateWith(tt("corr.sent") + used, "/koreksi");
    });
  }

  return (
    <form onSubmit={submit} noValidate>
      <p><a href="/koreksi">{tt("corr.title")}</a></p>
      <PageTitle>{tt("corr.newTitle")}</PageTitle>
      <ErrorSummary items={form.summary} />
      <TextField id="date" type="date" widthClass="width-10" label={tt("corr.date")} error={errors.date} value={date}
        onValue={setDate} max={now} />
      <Radios id="kind" legend={tt("corr.kind")} error={errors.kind} value={kind} onValue={setKind}
        options={(["check_in", "check_out"] as const).map((k) => ({ value: k, label: tt(`corr.kind.${k}`) }))} />
      <TextField id="time" type="time" widthClass="width-5" label={tt("corr.time")} hint={tt("corr.timeHint")} error={errors.time}
        value={time} onValue={setTime} />
      <TextArea id="reason" label={tt("corr.reason")} hint={tt("corr.reasonHint")} error={errors.reason} value={reason}
        onValue={setReason} maxLength={500} rows={3} />
      <div class={`field${errors.photo || photoProblem ? " has-error" : ""}`}>
        <label for="photo">{tt("corr.photo")}</label>
        <span class="hint">{tt("corr.photoHint")}</span>
        {(errors.photo || photoProblem) && <span class="error-message" id="photo-error">{errors.photo ?? photoProblem}</span>}
        {photo && <p class="notice ok">{tt("corr.photoReady")}</p>}
        <input id="photo" type="file" accept="image/jpeg,image/png" onChange={(e) => pick((e.currentTarget as HTMLInputElement).files?.[0])} />
      </div>
      <Button type="submit" disabled={busy}>{busy ? "…" : tt("corr.submit")}</Button>
    </form>
  );
}
