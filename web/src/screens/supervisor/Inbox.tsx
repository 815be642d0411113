/** Everything waiting for my decision, in one place: leave, home locations, daily-log entries, tasks. */
import { api, PERFORMANCE, PRESENCE } from "../../api/client";
import { LoadError, Loading, PageTitle, Tag } from "../../components/ui";
import { lang, t } from "../../i18n";
import { today, type HomeLocation } from "../../lib/attendance";
import { addDays, DEFAULT_ZONE, hhmm, shortDate, todayIn } from "../../lib/time";
import { useAsync } from "../../lib/useAsync";
import type { LogEntry } from "../DailyLog";
import { LeaveDates, leaveTypeText, type LeaveRequest } from "../Leave";
import type { Task } from "../Tasks";
import type { TeamStatus } from "./Team";
import { flaggedPath, type Flagged } from "../../trust/Review";
import { correctionLine, type CorrectionRequest } from "../../trust/Corrections";
import type { Device } from "../../trust/Devices";
import { flagList } from "../../lib/errors";
import { tt } from "../../trust/texts";

export interface Waiting {
  leave: LeaveRequest[];
  homes: (HomeLocation & { name?: string | null })[];
  logs: (LogEntry & { name: string })[];
  tasks: (Task & { name: string })[];
  flagged: Flagged[];
  devices: Device[];
  corrections: CorrectionRequest[];
}

export async function loadWaiting(): Promise<Waiting> {
  const now = today.value?.date ?? todayIn(DEFAULT_ZONE);
  const [leave, homes, team, tasks, flagged, devices, corrections] = await Promise.all([
    api<{ items: LeaveRequest[] }>(`${PRESENCE}/team/leave-requests?status=pending`),
    api<{ items: HomeLocation[] }>(`${PRESENCE}/team/home-locations?status=pending`),
    api<TeamStatus>(`${PERFORMANCE}/team/status`),
    api<{ items: Task[] }>(`${PERFORMANCE}/tasks?scope=assigned&status=submitted&page_size=100`),
    api<{ items: Flagged[] }>(flaggedPath()),
    api<{ items: Device[] }>(`${PRESENCE}/team/devices?status=pending`),
    api<{ items: CorrectionRequest[] }>(`${PRESENCE}/team/corrections?status=pending`),
  ]);
  const names = new Map(team.items.map((m) => [m.nip, m.name ?? m.nip]));
  const logs = await Promise.all(team.items.map((m) =>
    api<{ items: LogEntry[] }>(`${PERFORMANCE}/daily-logs?nip=${m.nip}&from=${addDays(now, -31)}&to=${now}`)
      .then((page) => page.items.filter((e) => e.status === "pending").map((e) => ({ ...e, name: names.get(e.nip) ?? e.nip })))));
  return {
    leave: leave.items,
    homes: homes.items,
    logs: logs.flat(),
    tasks: tasks.items.map((task) => ({ ...task, name: names.get(task.assignee_nip) ?? task.assignee_nip })),
    flagged: flagged.items,
    devices: devices.items,
    corrections: corrections.items,
  };
}

export function Inbox() {
  const { data, error, reload } = useAsync(loadWaiting);
  const L = lang.value;
  if (error && !data) return <><PageTitle>{t("inbox.title")}</PageTitle><LoadError error={error} retry={reload} /></>;
  if (!data) return <><PageTitle>{t("inbox.title")}</PageTitle><Loading /></>;
  const section = (id: string, title: string, count: number, body: preact.ComponentChildren) => (
    <section aria-labelledby={id} data-testid={id}>
      <h2 id={id}>{title} <Tag colour={count ? "orange" : "grey"}>{t("inbox.count", { n: count })}</Tag></h2>
      {count ? <ul class="cards">{body}</ul> : <p class="muted">{t("inbox.empty")}</p>}
    </section>
  );
  return (
    <>
      <PageTitle>{t("inbox.title")}</PageTitle>
      {section("inbox-flagged", tt("rev.flagged"), data.flagged.length, data.flagged.map((f) => (
        <li class="card" key={f.id}>
          <h3><a href={`/persetujuan/presensi/${encodeURIComponent(f.id)}`}>{f.name ?? f.nip} — {shortDate(f.date, L)}</a></h3>
          <p>{flagList([...new Set([...f.flags, ...f.check_out_flags])])}</p>
        </li>
      )))}
      {section("inbox-devices", tt("rev.devices"), data.devices.length, data.devices.map((d) => (
        <li class="card" key={d.id}>
          <h3><a href={`/persetujuan/perangkat/${encodeURIComponent(d.id)}`}>{d.name ?? d.nip} — {d.label ?? d.fingerprint}</a></h3>
        </li>
      )))}
      {section("inbox-corrections", tt("rev.corrections"), data.corrections.length, data.corrections.map((c) => (
        <li class="card" key={c.id}>
          <h3><a href={`/persetujuan/koreksi/${encodeURIComponent(c.id)}`}>{c.name ?? c.nip} — {shortDate(c.date, L)}</a></h3>
          <p>{correctionLine(c)} · {c.reason}</p>
        </li>
      )))}
      {section("inbox-leave", t("inbox.leave"), data.leave.length, data.leave.map((r) => (
        <li class="card" key={r.id}>
          <h3><a href={`/persetujuan/izin/${encodeURIComponent(r.id)}`}>{r.name ?? r.nip} — {leaveTypeText(r.type)}</a></h3>
          <p><LeaveDates request={r} />{r.attachment && <> · {t("leave.attachmentLabel")}</>}</p>
        </li>
      )))}
      {section("inbox-homes", t("inbox.homeLocations"), data.homes.length, data.homes.map((h) => (
        <li class="card" key={h.nip}>
          <h3><a href={`/persetujuan/lokasi/${h.nip}`}>{h.name ?? h.nip}</a></h3>
          {h.requested_at && <p class="muted">{t("inbox.requestedAt", { when: shortDate(h.requested_at.slice(0, 10), L) })}</p>}
        </li>
      )))}
      {section("inbox-logs", t("inbox.dailyLogs"), data.logs.length, data.logs.map((e) => (
        <li class="card" key={e.id}>
          <h3><a href={`/persetujuan/laporan/${e.nip}/${encodeURIComponent(e.id)}`}>{e.name} — {shortDate(e.date, L)} {hhmm(e.started_at, L)}–{hhmm(e.ended_at, L)}</a></h3>
          <p>{e.activity}</p>
        </li>
      )))}
      {section("inbox-tasks", t("inbox.tasks"), data.tasks.length, data.tasks.map((task) => (
        <li class="card" key={task.id}>
          <h3><a href={`/tugas/${encodeURIComponent(task.id)}`}>{task.title}</a></h3>
          <p class="muted">{t("tasks.to", { name: task.name })}</p>
        </li>
      )))}
    </>
  );
}
