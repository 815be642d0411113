/** My daily work log: one day at a time, add an activity, edit it while it is pending, see the decision. */
import { useState } from "preact/hooks";
import { api, PERFORMANCE } from "../api/client";
import { Button, ErrorSummary, LoadError, Loading, Notice, PageTitle, Select, Tag, TextArea, TextField } from "../components/ui";
import { lang, t, type MessageKey } from "../i18n";
import { today } from "../lib/attendance";
import { useForm } from "../lib/useForm";
import { stateColour } from "../lib/status";
import { DEFAULT_ZONE, hhmm, longDate, todayIn } from "../lib/time";
import { useAsync } from "../lib/useAsync";
import type { Task } from "./Tasks";

export interface LogEntry {
  id: string;
  nip: string;
  date: string;
  activity: string;
  output: string;
  started_at: string;
  ended_at: string;
  minutes: number;
  task_id: string | null;
  status: string;
  decision?: { approved: boolean; note?: string | null } | null;
}

const HHMM = /^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/;

export function logStatusText(status: string): string {
  return ["pending", "approved", "returned"].includes(status) ? t(`state.${status}` as MessageKey) : status;
}

export function EntryText({ entry }: { entry: LogEntry }) {
  const L = lang.value;
  return (
    <>
      <p class="meta"><strong>{hhmm(entry.started_at, L)}–{hhmm(entry.ended_at, L)}</strong> <span class="muted">({t("log.minutes", { n: entry.minutes })})</span>
        <Tag colour={stateColour(entry.status)}>{logStatusText(entry.status)}</Tag></p>
      <p>{entry.activity}</p>
      <p class="muted">{t("log.output")}: {entry.output}</p>
      {entry.decision?.note && <p class="muted">{t("leave.decisionNote", { note: entry.decision.note })}</p>}
    </>
  );
}

export function DailyLog() {
  const now = today.value?.date ?? todayIn(today.value?.office?.timezone ?? DEFAULT_ZONE);
  const [day, setDay] = useState(now);
  const [editing, setEditing] = useState<LogEntry | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const entries = useAsync(() => api<{ items: LogEntry[] }>(`${PERFORMANCE}/me/daily-logs?from=${day}&to=${day}`), [day]);
  const tasks = useAsync(() => api<{ items: Task[] }>(`${PERFORMANCE}/tasks?scope=mine&page_size=100`));

  return (
    <>
      <PageTitle>{t("log.title")}</PageTitle>
      {message && <Notice kind="ok" role="status"><p>{message}</p></Notice>}
      <TextField id="log-day" type="date" widthClass="width-10" label={t("log.date")} value={day} max={now}
        onValue={(v) => { if (v) { setDay(v); setEditing(null); setMessage(null); } }} />
      <h2>{longDate(day, lang.value)}</h2>
      {entries.error ? <LoadError error={entries.error} retry={entries.reload} /> : !entries.data ? <Loading /> : !entries.data.items.length ? <p>{t("log.none")}</p> : (
        <ul class="cards">
          {entries.data.items.map((e) => (
            <li class="card" key={e.id} data-testid="log-entry">
              <EntryText entry={e} />
              {e.status === "pending" && editing?.id !== e.id && (
                <Button variant="secondary" inline onClick={() => { setEditing(e); setMessage(null); }} aria-label={`${t("log.edit")} ${e.started_at}–${e.ended_at}`}>{t("log.edit")}</Button>
              )}
            </li>
          ))}
        </ul>
      )}
      <EntryForm key={editing?.id ?? `new-${day}`} day={day} entry={editing} tasks={tasks.data?.items ?? []}
        onSaved={(text) => { setEditing(null); setMessage(text); entries.reload(); }} onCancel={() => setEditing(null)} />
    </>
  );
}

function EntryForm({ day, entry, tasks, onSaved, onCancel }: {
  day: string; entry: LogEntry | null; tasks: Task[]; onSaved: (text: string) => void; onCancel: () => void;
}) {
  const [activity, setActivity] = useState(entry?.activity ?? "");
  const [output, setOutput] = useState(entry?.output ?? "");
  const [start, setStart] = useState(entry?.started_at ?? "");
  const [end, setEnd] = useState(entry?.ended_at ?? "");
  const [taskId, setTaskId] = useState(entry?.task_id ?? "");
  const form = useForm();
  const { errors, busy } = form;

  async function submit(e: Event) {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!activity.trim()) found.activity = t("log.activityMissing");
    if (!output.trim()) found.output = t("log.outputMissing");
    if (!HHMM.test(start)) found.started_at = t("log.timeFormat");
    if (!HHMM.test(end)) found.ended_at = t("log.timeFormat");
    else if (HHMM.test(start) && end <= start) found.ended_at = t("log.endBeforeStart");
    const body = { activity: activity.trim(), output: output.trim(), started_at: start, ended_at: end, task_id: taskId || null };
    await form.submit(found, async () => {
      if (entry) await api(`${PERFORMANCE}/daily-logs/${encodeURIComponent(entry.id)}`, { method: "PATCH", json: body });
      else await api(`${PERFORMANCE}/daily-logs`, { method: "POST", json: { date: day, ...body } });
      onSaved(t("log.saved"));
    });
  }
  const summary = form.summary;
  const open = tasks.filter((task) => task.status !== "approved" || task.id === entry?.task_id);
  return (
    <form onSubmit={submit} noValidate aria-labelledby="log-form">
      <h2 id="log-form">{entry ? t("log.editTitle") : t("log.add")}</h2>
      <ErrorSummary items={summary} />
      <TextArea id="activity" label={t("log.activity")} error={errors.activity} value={activity} onValue={setActivity} rows={3} maxLength={2000} />
      <TextArea id="output" label={t("log.output")} error={errors.output} value={output} onValue={setOutput} rows={2} maxLength={2000} />
      <TextField id="started_at" type="time" widthClass="width-10" label={t("log.start")} error={errors.started_at} value={start} onValue={setStart} />
      <TextField id="ended_at" type="time" widthClass="width-10" label={t("log.end")} error={errors.ended_at} value={end} onValue={setEnd} />
      {open.length > 0 && (
        <Select id="task_id" label={t("log.task")} error={errors.task_id} value={taskId} onValue={setTaskId}
          options={[{ value: "", label: t("log.noTask") }, ...open.map((task) => ({ value: task.id, label: task.title }))]} />
      )}
      <div class="button-group">
        <Button type="submit" disabled={busy}>{busy ? t("form.saving") : entry ? t("log.saveEdit") : t("log.save")}</Button>
        {entry && <Button variant="secondary" onClick={onCancel}>{t("app.back")}</Button>}
      </div>
    </form>
  );
}
