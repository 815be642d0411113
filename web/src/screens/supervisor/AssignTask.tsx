import { useState } from "preact/hooks";
import { api, PERFORMANCE } from "../../api/client";
import { Button, ErrorSummary, LoadError, Loading, PageTitle, Select, TextArea, TextField } from "../../components/ui";
import { t } from "../../i18n";
import { today } from "../../lib/attendance";
import { useForm } from "../../lib/useForm";
import { navigateWith } from "../../lib/flash";
import { current } from "../../lib/router";
import { addDays, DEFAULT_ZONE, todayIn } from "../../lib/time";
import { useAsync } from "../../lib/useAsync";
import type { Task } from "../Tasks";
import type { TeamStatus } from "./Team";

export function AssignTask() {
  const team = useAsync(() => api<TeamStatus>(`${PERFORMANCE}/team/status`));
  const now = today.value?.date ?? todayIn(DEFAULT_ZONE);
  const [assignee, setAssignee] = useState(current.value.query.get("nip") ?? "");
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [due, setDue] = useState(addDays(now, 7));
  const form = useForm();
  const { errors, busy } = form;

  async function submit(e: Event) {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!assignee) found.assignee_nip = t("assign.assigneeMissing");
    if (!title.trim()) found.title = t("assign.titleMissing");
    if (!due) found.due_date = t("assign.dueMissing");
    await form.submit(found, async () => {
      const task = await api<Task>(`${PERFORMANCE}/tasks`, {
        method: "POST", json: { assignee_nip: assignee, title: title.trim(), description: description.trim(), due_date: due },
      });
      navigateWith(t("assign.done"), `/tugas/${encodeURIComponent(task.id)}`);
    });
  }

  const summary = form.summary;
  if (team.error) return <><PageTitle>{t("assign.title")}</PageTitle><LoadError error={team.error} retry={team.reload} /></>;
  if (!team.data) return <><PageTitle>{t("assign.title")}</PageTitle><Loading /></>;
  if (!team.data.items.length) return <><PageTitle>{t("assign.title")}</PageTitle><p>{t("assign.noTeam")}</p></>;
  return (
    <form onSubmit={submit} noValidate>
      <PageTitle>{t("assign.title")}</PageTitle>
      <ErrorSummary items={summary} />
      <Select id="assignee_nip" label={t("assign.assignee")} error={errors.assignee_nip} value={assignee} onValue={setAssignee}
        options={[{ value: "", label: t("assign.choose") }, ...team.data.items.map((m) => ({ value: m.nip, label: m.name ?? m.nip }))]} />
      <TextField id="title" label={t("assign.taskTitle")} error={errors.title} value={title} onValue={setTitle} maxLength={200} />
      <TextArea id="description" label={t("assign.description")} error={errors.description} value={description} onValue={setDescription} maxLength={5000} />
      <TextField id="due_date" type="date" widthClass="width-10" label={t("assign.due")} error={errors.due_date} value={due} onValue={setDue} min={now} />
      <Button type="submit" disabled={busy}>{busy ? t("form.saving") : t("assign.submit")}</Button>
    </form>
  );
}
