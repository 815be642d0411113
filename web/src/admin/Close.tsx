/** The daily close of a date: who had no check-in (tanpa keterangan) or no check-out gets a record; the
 * answer says what this run changed (a re-run changes nothing) and which offices had not ended the day. */
import { useState } from "preact/hooks";
import { api, PRESENCE } from "../api/client";
import { Button, ErrorSummary, Summary, TextField } from "../components/ui";
import { lang, t, translator } from "../i18n";
import { addDays, DEFAULT_ZONE, longDate, todayIn } from "../lib/time";
import { useForm } from "../lib/useForm";
import { at, Console } from "./common";

const tc = translator({
  "intro": ["Menutup sebuah tanggal yang sudah berakhir: pegawai tanpa presensi masuk dicatat tanpa keterangan, yang tidak presensi pulang dicatat tanpa presensi pulang. Pekerja otomatis melakukannya tiap 10 menit untuk kemarin; di sini Anda bisa menjalankannya untuk tanggal tertentu. Menjalankan ulang aman: yang sudah tercatat tidak berubah.",
    "Closes a date that has ended: staff without a check-in are recorded absent, those without a check-out as no check-out. The worker does this every 10 minutes for yesterday; here you can run it for a given date. Running it again is safe: what is recorded stays."],
  "run": ["Tutup hari", "Close the day"],
  "busy": ["Menutup…", "Closing…"],
  "dateMissing": ["Isi tanggal", "Enter the date"],
  "result": ["Hasil tutup hari {date}", "Close of {date}"],
  "closed": ["Catatan baru pada proses ini", "New records in this run"],
  "absent": ["Tanpa keterangan (baru)", "Absent (new)"],
  "noCheckout": ["Tanpa presensi pulang (baru)", "No check-out (new)"],
  "offices": ["Kantor yang ditutup", "Offices closed"],
  "skipped": ["Kantor yang harinya belum berakhir (dilewati)", "Offices where the day has not ended (skipped)"],
  "nothingNew": ["Tidak ada yang berubah: hari ini sudah ditutup sebelumnya.", "Nothing changed: this day was closed before."],
  "recap": ["Lihat rekap bulan ini", "See this month's recap"],
});

interface CloseResult {
  date: string;
  closed: number;
  absent: number;
  no_checkout: number;
  offices: number;
  skipped_offices: number;
}

export function DailyClose() {
  const [day, setDay] = useState(addDays(todayIn(DEFAULT_ZONE), -1));
  const [results, setResults] = useState<CloseResult[]>([]);
  const form = useForm({ problemField: "date" });
  const { errors, busy } = form;

  async function run(e: Event) {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!day) found.date = tc("dateMissing");
    await form.submit(found, async () => {
      const result = await api<CloseResult>(`${PRESENCE}/days/${day}/close`, { method: "POST", json: {} });
      setResults((r) => [result, ...r]);
    });
  }

  return (
    <Console title={t("nav.adminClose")}>
      <p>{tc("intro")}</p>
      <form onSubmit={run} noValidate>
        <ErrorSummary items={form.summary} />
        <div class="filters">
          <TextField id="date" type="date" label={at("date")} error={errors.date} value={day} onValue={setDay} />
          <Button type="submit" class="small" disabled={busy}>{busy ? tc("busy") : tc("run")}</Button>
        </div>
      </form>
      {results.map((r, i) => (
        <section key={i} data-testid="close-result" aria-label={tc("result", { date: r.date })}>
          <h2>{tc("result", { date: longDate(r.date, lang.value) })}</h2>
          {r.closed === 0 && <p><strong>{tc("nothingNew")}</strong></p>}
          <Summary rows={[
            [tc("closed"), r.closed], [tc("absent"), r.absent], [tc("noCheckout"), r.no_checkout],
            [tc("offices"), r.offices], [tc("skipped"), r.skipped_offices],
          ]} />
          <p><a href={`/admin/rekap?month=${r.date.slice(0, 7)}`}>{tc("recap")}</a></p>
        </section>
      ))}
    </Console>
  );
}
