/** Tasks: the list (given to me; and given by me for supervisors), one task with its hand-ins and review. */
import { useState } from "preact/hooks";
import { api, download, PERFORMANCE } from "../api/client";
import { isSupervisor, session } from "../api/session";
import { Button, ErrorSummary, LoadError, Loading, Notice, PageTitle, Radios, Select, Summary, Tag, TextArea } from "../components/ui";
import { lang, t, type MessageKey } from "../i18n";
import { errorText } from "../lib/errors";
import { MAX_FILE_BYTES, sizeText } from "../lib/files";
import { useForm } from "../lib/useForm";
import { stateColour } from "../lib/status";
import { clockWithZone, DEFAULT_ZONE, shortDate } from "../lib/time";
import { today } from "../lib/attendance";
import { useAsync } from "../lib/useAsync";

export interface TaskFile { id: string; name: string; size: number; content_type: string }
export interface Submission { id: string; note: string; submitted_at: string; files: TaskFile[] }
export interface Task {
  id: string;
  title: string;
  description: string;
  assignee_nip: string;
  assigner_nip: string;
  due_date: string;
  status: string;
  overdue: boolean;
  allowed_actions: string[];
  last_review?: { decision: string; comment?: string | null; rating?: number | null } | null;
  submissions?: Submission[];
  history?: { action: string; at: string; by: string; comment?: string | null; rating?: number | null }[];
}
interface TaskPage { items: Task[]; total: number }
interface TeamStatus { items: { nip: string; name: string | null }[] }

export const MAX_FILES = 5;
const ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,application/pdf,image/jpeg,image/png";

export function taskStatusText(status: string): string {
  return ["assigned", "in_progress", "submitted", "revision_requested", "approved"].includes(status)
    ? t(`taskStatus.${status}` as MessageKey) : status;
}

export function useTeamNames() {
  return useAsync(async () => {
    if (!isSupervisor.value) return new Map<string, string>();
    const team = await api<TeamStatus>(`${PERFORMANCE}/team/status`);
    return new Map(team.items.map((m) => [m.nip, m.name ?? m.nip]));
  }, [isSupervisor.value]);
}

function TaskCards({ tasks, names, given }: { tasks: Task[]; names?: Map<string, string>; given: boolean }) {
  const L = lang.value;
  if (!tasks.length) return <p>{t("tasks.none")}</p>;
  return (
    <ul class="cards">
      {tasks.map((task) => (
        <li class="card" key={task.id} data-testid="task-item">
          <h3><a href={`/tugas/${encodeURIComponent(task.id)}`}>{task.title}</a></h3>
          <p class="meta">
            <Tag colour={stateColour(task.status)}>{taskStatusText(task.status)}</Tag>
            {task.overdue && <Tag colour="red">{t("tasks.overdue")}</Tag>}
            <span>{t("tasks.due", { date: shortDate(task.due_date, L) })}</span>
          </p>
          {given && <p class="muted">{t("tasks.to", { name: names?.get(task.assignee_nip) ?? task.assignee_nip })}</p>}
        </li>
      ))}
    </ul>
  );
}

export function Tasks() {
  const mine = useAsync(() => api<TaskPage>(`${PERFORMANCE}/tasks?scope=mine&page_size=100`));
  const supervisor = isSupervisor.value;
  const given = useAsync(() => supervisor ? api<TaskPage>(`${PERFORMANCE}/tasks?scope=assigned&page_size=100`) : Promise.resolve(null), [supervisor]);
  const names = useTeamNames();
  return (
    <>
      <PageTitle>{t("tasks.title")}</PageTitle>
      {supervisor && <h2>{t("tasks.mine")}</h2>}
      {mine.error ? <LoadError error={mine.error} retry={mine.reload} /> : !mine.data ? <Loading /> : <TaskCards tasks={mine.data.items} given={false} />}
      {supervisor && (
        <>
          <h2>{t("tasks.given")}</h2>
          <p><a href="/tugas-baru">{t("nav.assign")}</a></p>
          {given.error ? <LoadError error={given.error} retry={given.reload} /> : !given.data ? <Loading /> : <TaskCards tasks={given.data.items} names={names.data} given />}
        </>
      )}
    </>
  );
}

export function TaskDetail({ params }: { params: Record<string, string> }) {
  const path = `${PERFORMANCE}/tasks/${encodeURIComponent(params.id)}`;
  const task = useAsync(() => api<Task>(path), [params.id]);
  const names = useTeamNames();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const L = lang.value;
  const tz = today.value?.office?.timezone ?? DEFAULT_ZONE;
  const data = task.data;
  if (task.error && !data) return <><PageTitle>{t("tasks.title")}</PageTitle><LoadError error={task.error} retry={task.reload} /></>;
  if (!data) return <><PageTitle>{t("tasks.title")}</PageTitle><Loading /></>;
  const me = session.value?.principal.nip;
  const done = (text: string) => { setMessage({ ok: true, text }); task.reload(); };

  async function start() {
    try {
      await api(`${path}/start`, { method: "POST", json: {} });
      done(t("tasks.started"));
    } catch (err) {
      setMessage({ ok: false, text: errorText(err) });
    }
  }

  return (
    <>
      <p><a href="/tugas">{t("app.back")}</a></p>
      <PageTitle>{data.title}</PageTitle>
      {message && <Notice kind={message.ok ? "ok" : "bad"} role={message.ok ? "status" : "alert"}><p>{message.text}</p></Notice>}
      <Summary rows={[
        [t("home.status"), <><Tag colour={stateColour(data.status)}>{taskStatusText(data.status)}</Tag>{data.overdue && <> <Tag colour="red">{t("tasks.overdue")}</Tag></>}</>],
        [t("assign.due"), shortDate(data.due_date, L)],
        ...(data.assigner_nip === me ? [[t("assign.assignee"), names.data?.get(data.assignee_nip) ?? data.assignee_nip]] as [string, string][] : []),
        ...(data.description ? [[t("tasks.description"), data.description]] as [string, string][] : []),
      ]} />
      {data.last_review && (
        <div class="inset" data-testid="last-review">
          <p><strong>{t("tasks.lastReview", { decision: data.last_review.decision === "approve" ? t("tasks.approve") : t("tasks.revise") })}</strong></p>
          {data.last_review.rating ? <p>{t("tasks.ratingValue", { n: data.last_review.rating })}</p> : null}
          {data.last_review.comment && <p>{data.last_review.comment}</p>}
        </div>
      )}
      {data.allowed_actions.includes("start") && <Button onClick={start}>{t("tasks.start")}</Button>}
      {data.allowed_actions.includes("submit") && <HandIn path={path} onDone={() => done(t("tasks.submitted"))} />}
      {(data.submissions?.length ?? 0) > 0 && (
        <section aria-labelledby="subs">
          <h2 id="subs">{t("tasks.submissions")}</h2>
          <ul class="cards">
            {[...data.submissions!].reverse().map((s) => (
              <li class="card" key={s.id}>
                <p class="muted">{t("tasks.submittedAt", { when: `${shortDate(s.submitted_at.slice(0, 10), L)} ${clockWithZone(s.submitted_at, tz, L)}` })}</p>
                <p>{s.note}</p>
                {s.files.map((f) => (
                  <p key={f.id}>
                    <button type="button" class="link-button" onClick={() => download(`${path}/submissions/${s.id}/files/${f.id}`, f.name)
                      .catch((err) => setMessage({ ok: false, text: errorText(err) }))}>
                      {t("tasks.download", { name: f.name })}
                    </button> <span class="muted small">({sizeText(f.size)})</span>
                  </p>
                ))}
              </li>
            ))}
          </ul>
        </section>
      )}
      {(data.allowed_actions.includes("approve") || data.allowed_actions.includes("revise")) && (
        <Review path={path} onDone={() => done(t("tasks.reviewed"))} />
      )}
      {(data.history?.length ?? 0) > 0 && (
        <>
          <h2>{t("tasks.historyTitle")}</h2>
          <ul class="small">
            {data.history!.map((h, i) => (
              <li key={i}>{shortDate(h.at.slice(0, 10), L)} {clockWithZone(h.at, tz, L)} — {["assign", "start", "submit", "approve", "revise"].includes(h.action) ? t(`taskAction.${h.action}` as MessageKey) : h.action}{h.comment ? `: ${h.comment}` : ""}</li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function HandIn({ path, onDone }: { path: string; onDone: () => void }) {
  const [note, setNote] = useState("");
  const [files, setFiles] = useState<File[]>([]);
  const [photos, setPhotos] = useState<File[]>([]);
  const form = useForm();
  const { errors, busy } = form;

  async function submit(e: Event) {
    e.preventDefault();
    const all = [...files, ...photos];
    const found: Record<string, string> = {};
    if (!note.trim()) found.note = t("tasks.noteMissing");
    if (all.length > MAX_FILES) found.files = t("tasks.tooManyFiles");
    const big = all.find((f) => f.size > MAX_FILE_BYTES);
    if (big) found.files = t("tasks.fileTooBig", { name: big.name });
    await form.submit(found, async () => {
      const body = new FormData();
      body.append("note", note.trim());
      all.forEach((f) => body.append("files", f, f.name));
      await api(`${path}/submissions`, { method: "POST", form: body });
      onDone();
    });
  }
  const summary = form.summary;
  const pick = (set: (f: File[]) => void) => (e: Event) => set(Array.from((e.target as HTMLInputElement).files ?? []));
  return (
    <form onSubmit={submit} noValidate aria-labelledby="handin">
      <h2 id="handin">{t("tasks.handIn")}</h2>
      <ErrorSummary items={summary} />
      <TextArea id="note" label={t("tasks.note")} error={errors.note} value={note} onValue={setNote} maxLength={5000} />
      <div class={`field${errors.files ? " has-error" : ""}`}>
        <label for="files">{t("tasks.files")}</label>
        <span class="hint" id="files-hint">{t("tasks.filesHint")}</span>
        {errors.files && <span class="error-message" id="files-error">{errors.files}</span>}
        <input id="files" name="files" type="file" multiple accept={ACCEPT} aria-describedby="files-hint" onChange={pick(setFiles)} />
      </div>
      <div class="field">
        <label for="photo">{t("tasks.photo")}</label>
        <input id="photo" name="photo" type="file" accept="image/*" capture="environment" onChange={pick(setPhotos)} />
      </div>
      {files.length + photos.length > 0 && <p class="small">{t("tasks.chosen", { names: [...files, ...photos].map((f) => f.name).join(", ") })}</p>}
      <Button type="submit" disabled={busy}>{busy ? t("ci.sending") : t("tasks.submit")}</Button>
    </form>
  );
}

function Review({ path, onDone }: { path: string; onDone: () => void }) {
  const [decision, setDecision] = useState("");
  const [comment, setComment] = useState("");
  const [rating, setRating] = useState("");
  const form = useForm();
  const { errors, busy } = form;

  async function submit(e: Event) {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!decision) found.decision = t("tasks.decisionMissing");
    if (decision === "revise" && !comment.trim()) found.comment = t("tasks.commentMissing");
    await form.submit(found, async () => {
      await api(`${path}/review`, {
        method: "POST", json: { decision, comment: comment.trim() || null, rating: rating ? Number(rating) : null },
      });
      onDone();
    });
  }
  const summary = form.summary;
  return (
    <form onSubmit={submit} noValidate aria-labelledby="review">
      <h2 id="review">{t("tasks.review")}</h2>
      <ErrorSummary items={summary} />
      <Radios id="decision" legend={t("tasks.decision")} error={errors.decision} value={decision} onValue={setDecision}
        options={[{ value: "approve", label: t("tasks.approve") }, { value: "revise", label: t("tasks.revise") }]} />
      <TextArea id="comment" label={t("tasks.comment")} error={errors.comment} value={comment} onValue={setComment} maxLength={5000} />
      <Select id="rating" label={t("tasks.rating")} error={errors.rating} value={rating} onValue={setRating}
        options={[{ value: "", label: t("tasks.ratingNone") }, ...[5, 4, 3, 2, 1].map((n) => ({ value: String(n), label: String(n) }))]} />
      <Button type="submit" disabled={busy}>{busy ? t("form.saving") : t("tasks.sendReview")}</Button>
    </form>
  );
}
