/** An office's working hours: the weekly schedule with grace minutes, and date-range schedules that win
 * over it (Ramadan hours; the latest-starting covering range wins). */
import { useState } from "preact/hooks";
import { api, PRESENCE } from "../api/client";
import { Button, ErrorSummary, LoadError, Loading, Notice, TextField } from "../components/ui";
import { lang, t, translator } from "../i18n";
import { errorText } from "../lib/errors";
import { shortDate, weekdayNames } from "../lib/time";
import { useAsync } from "../lib/useAsync";
import { useForm } from "../lib/useForm";
import { at, Console } from "./common";

const tw = translator({
  "title": ["Jadwal kerja {office}", "Working hours of {office}"],
  "week": ["Jadwal mingguan", "Weekly schedule"],
  "works": ["Hari kerja", "Working day"],
  "start": ["Masuk", "Start"],
  "end": ["Pulang", "End"],
  "grace": ["Toleransi keterlambatan (menit)", "Grace minutes"],
  "graceHint": ["0–120 menit", "0–120 minutes"],
  "saveWeek": ["Simpan jadwal mingguan", "Save the weekly schedule"],
  "weekSaved": ["Jadwal mingguan tersimpan.", "The weekly schedule is saved."],
  "overrides": ["Jadwal khusus rentang tanggal", "Date-range schedules"],
  "overridesIntro": ["Mis. jam kerja Ramadan. Jadwal khusus yang mulainya paling akhir dan mencakup tanggal itu yang berlaku.", "E.g. Ramadan hours. The latest-starting range covering a date wins."],
  "noOverrides": ["Belum ada jadwal khusus.", "No date-range schedule yet."],
  "name": ["Nama (mis. Ramadan 1448 H)", "Name (e.g. Ramadan 1448 H)"],
  "addOverride": ["Tambah jadwal khusus", "Add the date-range schedule"],
  "overrideAdded": ["Jadwal khusus ditambahkan.", "The date-range schedule was added."],
  "overrideRemoved": ["Jadwal khusus dihapus.", "The date-range schedule was removed."],
  "timeBad": ["Isi jam masuk dan pulang (JJ:MM), pulang setelah masuk", "Give start and end (HH:MM), end after start"],
  "graceBad": ["Bilangan bulat 0–120", "A whole number 0–120"],
  "nameMissing": ["Isi nama", "Enter a name"],
  "dateMissing": ["Isi tanggal", "Enter the date"],
  "endBeforeStart": ["Tanggal akhir tidak boleh sebelum tanggal mulai", "The end cannot be before the start"],
  "off": ["libur", "day off"],
});

const KEYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
type Week = Record<string, { start: string; end: string } | null>;
interface Override { id: string; name: string; start_date: string; end_date: string; days: Week; grace_minutes: number }

function WeekFields({ prefix, week, onWeek, errors }: { prefix: string; week: Week; onWeek: (w: Week) => void; errors: Record<string, string> }) {
  const names = weekdayNames(lang.value);
  return (
    <div class="table-wrap">
      <table class="table data">
        <thead><tr><th>{tw("works")}</th><th>{tw("start")}</th><th>{tw("end")}</th></tr></thead>
        <tbody>
          {KEYS.map((k, i) => {
            const day = week[k];
            const err = errors[`${prefix}days.${k}`] ?? errors[`days.${k}`] ?? errors[`days.${k}.start`] ?? errors[`days.${k}.end`];
            return (
              <tr key={k} class={err ? "bad" : undefined}>
                <td><label class="radio"><input type="checkbox" id={`${prefix}days.${k}`} checked={!!day}
                  onChange={(e) => onWeek({ ...week, [k]: (e.target as HTMLInputElement).checked ? { start: "07:30", end: "16:00" } : null })} />{names[i]}</label>
                  {err && <span class="error-message">{err}</span>}</td>
                <td>{day ? <input type="time" aria-label={`${names[i]}: ${tw("start")}`} value={day.start} onInput={(e) => onWeek({ ...week, [k]: { ...day, start: (e.target as HTMLInputElement).value } })} /> : <span class="muted">{tw("off")}</span>}</td>
                <td>{day && <input type="time" aria-label={`${names[i]}: ${tw("end")}`} value={day.end} onInput={(e) => onWeek({ ...week, [k]: { ...day, end: (e.target as HTMLInputElement).value } })} />}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function checkWeek(prefix: string, week: Week, grace: string, found: Record<string, string>) {
  for (const k of KEYS) {
    const d = week[k];
    if (d && (!/^\d\d:\d\d$/.test(d.start) || !/^\d\d:\d\d$/.test(d.end) || d.end <= d.start)) found[`${prefix}days.${k}`] = tw("timeBad");
  }
  if (!/^\d{1,3}$/.test(grace.trim()) || Number(grace) > 120) found[`${prefix}grace_minutes`] = tw("graceBad");
}

export function OfficeSchedule({ params }: { params: Record<string, string> }) {
  const code = params.code;
  const data = useAsync(async () => {
    const [office, schedule, overrides] = await Promise.all([
      api<{ name: string }>(`${PRESENCE}/offices/${encodeURIComponent(code)}`),
      api<{ days: Week; grace_minutes: number }>(`${PRESENCE}/offices/${encodeURIComponent(code)}/schedule`),
      api<{ items: Override[] }>(`${PRESENCE}/offices/${encodeURIComponent(code)}/schedule-overrides`),
    ]);
    return { office, schedule, overrides: overrides.items };
  }, [code]);
  const back = `/admin/kantor/${encodeURIComponent(code)}`;
  if (data.error) return <Console title={code} back={back}><LoadError error={data.error} retry={data.reload} /></Console>;
  if (!data.data) return <Console title={code} back={back}><Loading /></Console>;
  return (
    <Console title={tw("title", { office: data.data.office.name })} back={back}>
      <WeekForm code={code} initial={data.data.schedule} />
      <Overrides code={code} items={data.data.overrides} onChange={data.reload} />
    </Console>
  );
}

function WeekForm({ code, initial }: { code: string; initial: { days: Week; grace_minutes: number } }) {
  const [week, setWeek] = useState<Week>(() => Object.fromEntries(KEYS.map((k) => [k, initial.days[k] ?? null])));
  const [grace, setGrace] = useState(String(initial.grace_minutes ?? 0));
  const [saved, setSaved] = useState(false);
  const form = useForm();
  async function save(e: Event) {
    e.preventDefault();
    setSaved(false);
    const found: Record<string, string> = {};
    checkWeek("", week, grace, found);
    await form.submit(found, async () => {
      await api(`${PRESENCE}/offices/${encodeURIComponent(code)}/schedule`, { method: "PUT", json: { days: week, grace_minutes: Number(grace) } });
      setSaved(true);
    });
  }
  return (
    <form onSubmit={save} noValidate>
      <h2>{tw("week")}</h2>
      {saved && <Notice kind="ok" role="status"><p>{tw("weekSaved")}</p></Notice>}
      <ErrorSummary items={form.summary} />
      <WeekFields prefix="" week={week} onWeek={setWeek} errors={form.errors} />
      <TextField id="grace_minutes" label={tw("grace")} hint={tw("graceHint")} inputMode="numeric" widthClass="width-10" error={form.errors.grace_minutes} value={grace} onValue={setGrace} />
      <Button type="submit" disabled={form.busy}>{form.busy ? t("form.saving") : tw("saveWeek")}</Button>
    </form>
  );
}

function Overrides({ code, items, onChange }: { code: string; items: Override[]; onChange: () => void }) {
  const [name, setName] = useState("");
  const [start, setStart] = useState("");
  const [end, setEnd] = useState("");
  const [week, setWeek] = useState<Week>(() => Object.fromEntries(KEYS.map((k) => [k, ["sat", "sun"].includes(k) ? null : { start: "08:00", end: "15:00" }])));
  const [grace, setGrace] = useState("0");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const form = useForm();
  const { errors } = form;
  const L = lang.value;

  async function add(e: Event) {
    e.preventDefault();
    setMessage(null);
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = tw("nameMissing");
    if (!start) found.start_date = tw("dateMissing");
    if (!end) found.end_date = tw("dateMissing");
    else if (start && end < start) found.end_date = tw("endBeforeStart");
    checkWeek("o.", week, grace, found);
    await form.submit(found, async () => {
      await api(`${PRESENCE}/offices/${encodeURIComponent(code)}/schedule-overrides`, {
        method: "POST", json: { name: name.trim(), start_date: start, end_date: end, days: week, grace_minutes: Number(grace) },
      });
      setMessage({ ok: true, text: tw("overrideAdded") });
      setName(""); setStart(""); setEnd("");
      onChange();
    });
  }

  async function remove(id: string) {
    setMessage(null);
    try {
      await api(`${PRESENCE}/offices/${encodeURIComponent(code)}/schedule-overrides/${encodeURIComponent(id)}`, { method: "DELETE" });
      setMessage({ ok: true, text: tw("overrideRemoved") });
      onChange();
    } catch (err) {
      setMessage({ ok: false, text: errorText(err) });
    }
  }

  const hours = (w: Week) => KEYS.filter((k) => w[k]).map((k) => `${k} ${w[k]!.start}–${w[k]!.end}`).join(", ");
  return (
    <section aria-labelledby="overrides-title">
      <h2 id="overrides-title">{tw("overrides")}</h2>
      <p>{tw("overridesIntro")}</p>
      {message && <Notice kind={message.ok ? "ok" : "bad"} role={message.ok ? "status" : "alert"}><p>{message.text}</p></Notice>}
      {!items.length ? <p class="muted">{tw("noOverrides")}</p> : (
        <ul>
          {items.map((o) => (
            <li key={o.id} data-testid="override">{o.name}: {shortDate(o.start_date, L)} – {shortDate(o.end_date, L)} · {hours(o.days)} · {tw("grace")}: {o.grace_minutes}{" "}
              <Button variant="secondary" class="small" onClick={() => remove(o.id)}>{at("delete")}</Button></li>
          ))}
        </ul>
      )}
      <form onSubmit={add} noValidate>
        <h3>{tw("addOverride")}</h3>
        <ErrorSummary items={form.summary} />
        <div class="filters">
          <div class="grow"><TextField id="name" label={tw("name")} error={errors.name} value={name} onValue={setName} maxLength={200} /></div>
          <TextField id="start_date" type="date" label={at("from")} error={errors.start_date} value={start} onValue={setStart} />
          <TextField id="end_date" type="date" label={at("to")} error={errors.end_date} value={end} onValue={setEnd} />
        </div>
        <WeekFields prefix="o." week={week} onWeek={setWeek} errors={errors} />
        <TextField id="o.grace_minutes" label={tw("grace")} hint={tw("graceHint")} inputMode="numeric" widthClass="width-10" error={errors["o.grace_minutes"] ?? errors.grace_minutes} value={grace} onValue={setGrace} />
        <Button type="submit" variant="secondary" disabled={form.busy}>{tw("addOverride")}</Button>
      </form>
    </section>
  );
}
