/** Holidays and cuti bersama (regency-wide): a year's list with each day's kind, one added (with its
 * kind) or removed, the national calendar of this or next year loaded in one click, and a CSV import
 * (date,name[,kind]) whose refused lines come back as a table to fix and send again. */
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
  "importIntro": ["Kolom: date,name atau date,name,kind (baris pertama judul kolom); tanggal TTTT-BB-HH; kind national atau cuti_bersama (kosong: national). Tanggal yang sudah ada diganti namanya.",
    "Columns: date,name or date,name,kind (the first line is the header); dates YYYY-MM-DD; kind national or cuti_bersama (empty: national). A date already there is renamed."],
  "kind": ["Jenis", "Kind"],
  "list": ["Daftar hari libur", "The holidays"],
  "kind.national": ["Libur nasional", "National holiday"],
  "kind.cuti_bersama": ["Cuti bersama", "Cuti bersama (collective leave)"],
  "national": ["Libur nasional dari kalender nasional", "National holidays from the national calendar"],
  "nationalIntro": ["Memuat hari libur nasional dan cuti bersama setahun sekaligus. Tanggal yang sudah ada tidak diubah. Cocokkan cuti bersama dengan SKB tahun itu, lalu hapus atau tambah hari seperlunya.",
    "Loads a year's national holidays and cuti bersama at once. Dates already there are kept as they are. Check the cuti bersama days against the year's decree, then remove or add days as it says."],
  "importNational": ["Impor libur nasional {year}", "Import national holidays {year}"],
  "importing": ["Mengimpor…", "Importing…"],
  "nationalResult": ["Libur nasional {year}: {created} hari ditambahkan, {kept} tanggal sudah ada dan tidak diubah.", "National holidays {year}: {created} days added, {kept} dates were there already and were kept."],
  "nationalSource": ["Sumber: {calendar}.", "Source: {calendar}."],
  "keptShow": ["Lihat {n} tanggal yang tidak diubah", "Show the {n} dates kept"],
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

export const HOLIDAY_KINDS = ["national", "cuti_bersama"] as const;

/** A holiday's kind in words; a kind a newer server adds is said as it is. */
export function holidayKindText(kind: string | undefined, which: Lang = lang.value): string {
  const k = kind || "national";
  return (HOLIDAY_KINDS as readonly string[]).includes(k) ? th(`kind.${k as (typeof HOLIDAY_KINDS)[number]}`, {}, which) : k;
}

interface Holiday { date: string; name: string; kind?: string; source?: string }
interface NationalImport { year: number; created: Holiday[]; kept: string[]; calendar?: string }

/** POST /holidays/import-national for this year and the next: what it added (listed) and kept. */
function NationalImport({ onImported }: { onImported: (year: number) => void }) {
  const now = new Date().getFullYear();
  const [busy, setBusy] = useState<number | null>(null);
  const [result, setResult] = useState<NationalImport | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function load(year: number) {
    setBusy(year);
    setProblem(null);
    setResult(null);
    try {
      const answer = await api<NationalImport>(`${PRESENCE}/holidays/import-national?year=${year}`, { method: "POST", json: {} });
      setResult(answer);
      onImported(year);
    } catch (err) {
      setProblem(errorText(err));
    } finally {
      setBusy(null);
    }
  }

  const L = lang.value;
  return (
    <section aria-labelledby="national-title">
      <h2 id="national-title">{th("national")}</h2>
      <p>{th("nationalIntro")}</p>
      <div class="button-group">
        {[now, now + 1].map((y) => (
          <Button key={y} variant="secondary" class="small" disabled={busy !== null} onClick={() => load(y)}>
            {busy === y ? th("importing") : th("importNational", { year: y })}
          </Button>
        ))}
      </div>
      {problem && <Notice kind="bad" role="alert"><p>{problem}</p></Notice>}
      {result && (
        <Notice kind="ok" role="status">
          <p data-testid="national-result">{th("nationalResult", { year: result.year, created: result.created.length, kept: result.kept.length })}</p>
          {result.created.length > 0 && (
            <ul class="small">
              {result.created.map((h) => <li key={h.date}>{longDate(h.date, L)} — {h.name} ({holidayKindText(h.kind)})</li>)}
            </ul>
          )}
          {result.kept.length > 0 && (
            <details class="small"><summary>{th("keptShow", { n: result.kept.length })}</summary>
              <p>{result.kept.map((d) => longDate(d, L)).join(", ")}</p>
            </details>
          )}
          {result.calendar && <p class="small muted">{th("nationalSource", { calendar: result.calendar })}</p>}
        </Notice>
      )}
    </section>
  );
}

export function Holidays() {
  const now = new Date().getFullYear();
  const [year, setYear] = useState(String(now));
  const list = useAsync(() => api<{ items: Holiday[] }>(`${PRESENCE}/holidays?year=${year}`), [year]);
  const [day, setDay] = useState("");
  const [name, setName] = useState("");
  const [kind, setKind] = useState<string>("national");
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
      await api(`${PRESENCE}/holidays`, { method: "POST", json: { date: day, name: name.trim(), kind } });
      setMessage({ ok: true, text: th("added") });
      setDay(""); setName(""); setKind("national");
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
      <NationalImport onImported={(y) => { if (String(y) === year) list.reload(); else setYear(String(y)); }} />
      <h2>{th("list")}</h2>
      <Select id="year" label={at("year")} value={year} onValue={setYear} options={[now - 1, now, now + 1, now + 2].map((y) => ({ value: String(y), label: String(y) }))} />
      {list.error ? <LoadError error={list.error} retry={list.reload} /> : !list.data ? <Loading /> : !list.data.items.length ? <p>{th("none")}</p> : (
        <div class="table-wrap">
          <table class="table data">
            <thead><tr><th>{at("date")}</th><th class="wrap">{at("name")}</th><th>{th("kind")}</th><th>{at("actions")}</th></tr></thead>
            <tbody>
              {list.data.items.map((h) => (
                <tr key={h.date} data-testid="holiday" data-date={h.date}><td>{longDate(h.date, lang.value)}</td><td class="wrap">{h.name}</td>
                  <td>{holidayKindText(h.kind)}</td>
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
          <Select id="kind" label={th("kind")} error={errors.kind} value={kind} onValue={setKind}
            options={HOLIDAY_KINDS.map((k) => ({ value: k, label: holidayKindText(k) }))} />
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
