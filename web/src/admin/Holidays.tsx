/** Holidays and cuti bersama (regency-wide): a year's list, one added or removed, and a CSV import
 * (date,name) whose refused lines come back as a table to fix and send again. */
import { useState } from "preact/hooks";
import { api, PRESENCE } from "../api/client";
import { Button, ErrorSummary, LoadError, Loading, Notice, Select, TextField } from "../components/ui";
import { lang, t, translator, type Lang } from "../i18n";
import { errorText } from "../lib/errors";
import { longDate } from "../lib/time";
import { useAsync } from "../lib/useAsync";
import { useForm } from "../lib/useForm";
import { at, Console } from "./common";
import { CsvImport } from "./Import";

const th = translator({
  "intro": ["Hari libur nasional dan cuti bersama berlaku untuk semua kantor: bukan hari kerja, tidak masuk jadwal WFO/WFH, dan tidak dihitung tanpa keterangan.",
    "National holidays and cuti bersama apply to every office: no working day, no roster entry, never counted absent."],
  "name": ["Nama hari libur", "Holiday name"],
  "add": ["Tambah hari libur", "Add the holiday"],
  "added": ["Hari libur ditambahkan.", "The holiday was added."],
  "removed": ["Hari libur {date} dihapus.", "The holiday {date} was removed."],
  "none": ["Belum ada hari libur pada tahun ini.", "No holidays in this year yet."],
  "dateMissing": ["Isi tanggal", "Enter the date"],
  "nameMissing": ["Isi nama hari libur", "Enter the holiday's name"],
  "import": ["Impor dari CSV", "Import from CSV"],
  "importIntro": ["Kolom: date,name (baris pertama judul kolom); tanggal TTTT-BB-HH. Tanggal yang sudah ada diganti namanya.", "Columns: date,name (the first line is the header); dates YYYY-MM-DD. A date already there is renamed."],
  "result": ["Hasil impor: {created} baru, {updated} diganti namanya, {errors} baris ditolak.", "Import result: {created} created, {updated} renamed, {errors} lines refused."],
  "m.date": ["{value} bukan tanggal TTTT-BB-HH.", "{value} is not a date YYYY-MM-DD."],
  "m.name": ["Nama harus 1–200 karakter.", "The name must be 1–200 characters."],
});

export function holidayLine(message: string, _header: string[], which: Lang = lang.value): { text: string; column: string | null } {
  let match: RegExpMatchArray | null;
  // the server answers in the language asked for (Accept-Language), either one is recognised
  if ((match = message.match(/^'(.*)' (is not a date|bukan tanggal)/))) return { text: th("m.date", { value: match[1] }, which), column: "date" };
  if (/^(Expected \d+ columns|Harus \d+ kolom)/.test(message)) return { text: message, column: null }; // its own words name the columns
  if (/^(The name must be|Nama harus)/.test(message)) return { text: th("m.name", {}, which), column: "name" };
  return { text: message, column: null };
}

export function Holidays() {
  const now = new Date().getFullYear();
  const [year, setYear] = useState(String(now));
  const list = useAsync(() => api<{ items: { date: string; name: string }[] }>(`${PRESENCE}/holidays?year=${year}`), [year]);
  const [day, setDay] = useState("");
  const [name, setName] = useState("");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const form = useForm();
  const { errors, busy } = form;

  async function add(e: Event) {
    e.preventDefault();
    setMessage(null);
    const found: Record<string, string> = {};
    if (!day) found.date = th("dateMissing");
    if (!name.trim()) found.name = th("nameMissing");
    await form.submit(found, async () => {
      await api(`${PRESENCE}/holidays`, { method: "POST", json: { date: day, name: name.trim() } });
      setMessage({ ok: true, text: th("added") });
      setDay(""); setName("");
      list.reload();
    });
  }

  async function remove(date: string) {
    setMessage(null);
    try {
      await api(`${PRESENCE}/holidays/${date}`, { method: "DELETE" });
      setMessage({ ok: true, text: th("removed", { date }) });
      list.reload();
    } catch (err) {
      setMessage({ ok: false, text: errorText(err) });
    }
  }

  return (
    <Console title={t("nav.adminHolidays")}>
      <p>{th("intro")}</p>
      {message && <Notice kind={message.ok ? "ok" : "bad"} role={message.ok ? "status" : "alert"}><p>{message.text}</p></Notice>}
      <Select id="year" label={at("year")} value={year} onValue={setYear} options={[now - 1, now, now + 1, now + 2].map((y) => ({ value: String(y), label: String(y) }))} />
      {list.error ? <LoadError error={list.error} retry={list.reload} /> : !list.data ? <Loading /> : !list.data.items.length ? <p>{th("none")}</p> : (
        <div class="table-wrap">
          <table class="table data">
            <thead><tr><th>{at("date")}</th><th class="wrap">{at("name")}</th><th>{at("actions")}</th></tr></thead>
            <tbody>
              {list.data.items.map((h) => (
                <tr key={h.date} data-testid="holiday"><td>{longDate(h.date, lang.value)}</td><td class="wrap">{h.name}</td>
                  <td><Button variant="secondary" class="small" onClick={() => remove(h.date)}>{at("delete")}</Button></td></tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form onSubmit={add} noValidate>
        <h2>{th("add")}</h2>
        <ErrorSummary items={form.summary} />
        <div class="filters">
          <TextField id="date" type="date" label={at("date")} error={errors.date} value={day} onValue={setDay} />
          <div class="grow"><TextField id="name" label={th("name")} error={errors.name} value={name} onValue={setName} maxLength={200} /></div>
          <Button type="submit" class="small" disabled={busy}>{th("add")}</Button>
        </div>
      </form>
      <h2>{th("import")}</h2>
      <p>{th("importIntro")}</p>
      <CsvImport endpoint={`${PRESENCE}/holidays/import`} columns={["date", "name"]} describe={holidayLine}
        onImported={list.reload}
        summary={(r) => th("result", { created: Number(r.created), updated: Number(r.updated), errors: r.errors.length })} />
    </Console>
  );
}
