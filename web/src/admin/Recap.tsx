/** The monthly recap of a unit (the TPP allowance's input): TL1-4, PSW1-4, absences, leave, deduction %,
 * CSV and XLSX downloads of the same rows, and one employee's days behind their row. */
import { useState } from "preact/hooks";
import { api, download, PRESENCE } from "../api/client";
import { Button, ErrorSummary, LoadError, Loading, Select, Tag, TextField } from "../components/ui";
import { lang, t, translator, type MessageKey } from "../i18n";
import { DAY_STATUSES, dayColour } from "../lib/status";
import { current, navigate } from "../lib/router";
import { clock, DEFAULT_ZONE, lastDayOfMonth, shortDate, todayIn } from "../lib/time";
import { useAsync } from "../lib/useAsync";
import { useForm } from "../lib/useForm";
import { allUnits, at, Console, qs, unitOptions } from "./common";

const tp = translator({
  "intro": ["Rekap presensi bulanan per pegawai untuk perhitungan TPP. Unduhan CSV/XLSX berisi baris yang sama.",
    "The monthly attendance recap per employee, the input of the TPP allowance. The CSV/XLSX downloads hold the same rows."],
  "show": ["Tampilkan rekap", "Show the recap"],
  "unitMissing": ["Pilih unit", "Choose a unit"],
  "monthMissing": ["Isi bulan (TTTT-BB)", "Enter the month (YYYY-MM)"],
  "title": ["Rekap {unit} · {month}", "Recap of {unit} · {month}"],
  "working_days": ["Hari kerja", "Working days"],
  "present": ["Hadir", "Present"],
  "late_days": ["Hari terlambat", "Late days"],
  "early_leave_days": ["Hari pulang cepat", "Early-leave days"],
  "absent": ["Tanpa keterangan", "Absent"],
  "no_checkout_days": ["Tanpa presensi pulang", "No check-out"],
  "pending": ["Belum selesai", "Open"],
  "leave": ["Izin/sakit/cuti/DL", "Leave/travel"],
  "wfo_days": ["WFO", "WFO"],
  "wfh_days": ["WFH", "WFH"],
  "dl_days": ["DL", "DL"],
  "deduction_percent": ["Potongan %", "Deduction %"],
  "days": ["Rincian", "Days"],
  "daysLink": ["hari", "days"],
  "none": ["Tidak ada pegawai aktif di unit ini pada bulan tersebut.", "No active employees in this unit that month."],
  "daysTitle": ["Rincian hari: {name} · {month}", "Days of {name} · {month}"],
  "status": ["Status", "Status"],
  "mode": ["Mode", "Mode"],
  "in": ["Masuk", "In"],
  "out": ["Pulang", "Out"],
  "late": ["Terlambat (mnt)", "Late (min)"],
  "early": ["Pulang cepat (mnt)", "Early (min)"],
  "note": ["Keterangan", "Note"],
  "noDays": ["Tidak ada hari dalam bulan ini.", "No days in this month."],
  "backToRecap": ["Kembali ke rekap", "Back to the recap"],
});

type TP = Parameters<typeof tp>[0];

export interface RecapRow {
  nip: string;
  name: string | null;
  unit_code: string | null;
  month: string;
  leave_days: Record<string, number>;
  [field: string]: unknown;
}

/** The columns shown, in the order of the form; any other number a newer presence adds follows them. */
const COLUMNS: (TP | "tl1" | "tl2" | "tl3" | "tl4" | "psw1" | "psw2" | "psw3" | "psw4")[] = [
  "working_days", "present", "late_days", "tl1", "tl2", "tl3", "tl4", "early_leave_days", "psw1", "psw2", "psw3", "psw4",
  "absent", "no_checkout_days", "pending", "wfo_days", "wfh_days", "dl_days",
];
const NOT_SHOWN = new Set(["nip", "name", "unit_code", "month", "leave_days", "late_minutes", "early_leave_minutes", "no_checkin_days", "deduction_percent"]);

function header(column: string): string {
  return /^(tl|psw)\d$/.test(column) ? column.toUpperCase() : (tp as (k: string) => string)(column);
}

export function extraColumns(rows: RecapRow[]): string[] {
  const known = new Set<string>([...COLUMNS, ...NOT_SHOWN]);
  return [...new Set(rows.flatMap((r) => Object.keys(r).filter((k) => !known.has(k) && typeof r[k] === "number")))];
}

const num = (v: unknown) => (typeof v === "number" ? v : 0);

export function Recap() {
  const query = current.value.query;
  const [unit, setUnit] = useState(query.get("unit") ?? "");
  const [month, setMonth] = useState(query.get("month") ?? todayIn(DEFAULT_ZONE).slice(0, 7));
  const units = useAsync(allUnits);
  const form = useForm();
  const { errors } = form;
  const shown = query.get("unit") && query.get("month") ? { unit: query.get("unit")!, month: query.get("month")! } : null;

  function show(e: Event) {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!unit) found.unit_code = tp("unitMissing");
    if (!/^\d{4}-\d{2}$/.test(month)) found.month = tp("monthMissing");
    form.submit(found, async () => navigate(`/admin/rekap${qs({ unit, month })}`, { replace: true }));
  }

  return (
    <Console title={t("nav.adminRecap")}>
      <p>{tp("intro")}</p>
      <form onSubmit={show} noValidate>
        <ErrorSummary items={form.summary} />
        <div class="filters">
          <Select id="unit_code" label={at("unit")} error={errors.unit_code} value={unit} onValue={setUnit} options={unitOptions(units.data, at("chooseUnit"))} />
          <TextField id="month" type="month" label={at("month")} error={errors.month} value={month} onValue={setMonth} widthClass="width-10" />
          <Button type="submit" class="small">{tp("show")}</Button>
        </div>
      </form>
      {shown && <RecapTable key={`${shown.unit}|${shown.month}`} unit={shown.unit} month={shown.month} />}
    </Console>
  );
}

function RecapTable({ unit, month }: { unit: string; month: string }) {
  const recap = useAsync(() => api<{ items: RecapRow[] }>(`${PRESENCE}/recap${qs({ unit_code: unit, month })}`), [unit, month]);
  const form = useForm();
  if (recap.error) return <LoadError error={recap.error} retry={recap.reload} />;
  if (!recap.data) return <Loading />;
  const rows = recap.data.items;
  const extra = extraColumns(rows);
  const L = lang.value;
  const fmt = (n: number) => new Intl.NumberFormat(L === "en" ? "en-GB" : "id-ID", { maximumFractionDigits: 2 }).format(n);
  const get = (format: "csv" | "xlsx") => form.submit({}, () => download(`${PRESENCE}/recap${qs({ unit_code: unit, month, format })}`, `recap-${unit}-${month}.${format}`));

  return (
    <section aria-labelledby="recap-title">
      <h2 id="recap-title">{tp("title", { unit, month })}</h2>
      <ErrorSummary items={form.summary} />
      <div class="button-group">
        <Button variant="secondary" class="small" onClick={() => get("csv")}>{at("downloadCsv")}</Button>
        <Button variant="secondary" class="small" onClick={() => get("xlsx")}>{at("downloadXlsx")}</Button>
      </div>
      {!rows.length ? <p>{tp("none")}</p> : (
        <div class="table-wrap">
          <table class="table data" data-testid="recap-table">
            <thead>
              <tr>
                <th>{at("name")}</th><th>{at("nip")}</th>
                {COLUMNS.map((c) => <th key={c} class="num" data-column={c}>{header(c)}</th>)}
                <th class="num" data-column="leave">{tp("leave")}</th>
                {extra.map((c) => <th key={c} class="num" data-column={c}>{c}</th>)}
                <th class="num" data-column="deduction_percent">{tp("deduction_percent")}</th>
                <th>{tp("days")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const leave = Object.values(r.leave_days ?? {}).reduce((a, b) => a + b, 0);
                return (
                  <tr key={r.nip} data-testid="recap-row" data-nip={r.nip}>
                    <td>{r.name ?? "—"}</td><td>{r.nip}</td>
                    {COLUMNS.map((c) => <td key={c} class="num" data-column={c}>{num(r[c])}</td>)}
                    <td class="num" data-column="leave" title={Object.entries(r.leave_days ?? {}).filter(([, n]) => n).map(([k, n]) => `${k}: ${n}`).join(", ")}>{leave}</td>
                    {extra.map((c) => <td key={c} class="num" data-column={c}>{num(r[c])}</td>)}
                    <td class="num" data-column="deduction_percent">{fmt(num(r.deduction_percent))}</td>
                    <td><a href={`/admin/rekap/${r.nip}${qs({ month, unit, name: r.name ?? undefined })}`}>{tp("daysLink")}</a></td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

interface DayView {
  date: string;
  status: string;
  working_day: boolean;
  holiday: string | null;
  roster_mode: string | null;
  leave_type: string | null;
  office: { timezone?: string } | null;
  check_in: { checked_in_at: string; mode: string; late_minutes: number } | null;
  check_out: { checked_out_at: string; early_leave_minutes: number } | null;
}

/** A day status in words; a code this app does not know yet is shown as it is, readably. */
export function statusText(status: string): string {
  return (DAY_STATUSES as readonly string[]).includes(status) ? t(`status.${status}` as MessageKey) : status.replace(/_/g, " ");
}

export function RecapDays({ params }: { params: Record<string, string> }) {
  const query = current.value.query;
  const month = query.get("month") ?? todayIn(DEFAULT_ZONE).slice(0, 7);
  const unit = query.get("unit") ?? "";
  const name = query.get("name") ?? params.nip;
  const days = useAsync(() => api<{ items: DayView[] }>(`${PRESENCE}/employees/${params.nip}/history${qs({ from: `${month}-01`, to: lastDayOfMonth(month), page_size: 31 })}`),
    [params.nip, month]);
  const L = lang.value;
  const back = `/admin/rekap${qs({ unit, month })}`;
  return (
    <Console title={tp("daysTitle", { name, month })} back={back}>
      {days.error ? <LoadError error={days.error} retry={days.reload} /> : !days.data ? <Loading /> : !days.data.items.length ? <p>{tp("noDays")}</p> : (
        <div class="table-wrap">
          <table class="table data" data-testid="recap-days">
            <thead><tr><th>{at("date")}</th><th>{tp("status")}</th><th>{tp("mode")}</th><th>{tp("in")}</th><th>{tp("out")}</th>
              <th class="num">{tp("late")}</th><th class="num">{tp("early")}</th><th class="wrap">{tp("note")}</th></tr></thead>
            <tbody>
              {[...days.data.items].sort((a, b) => a.date.localeCompare(b.date)).map((d) => {
                const tz = d.office?.timezone ?? DEFAULT_ZONE;
                return (
                  <tr key={d.date} data-testid="recap-day" data-status={d.status}>
                    <td>{shortDate(d.date, L)}</td>
                    <td><Tag colour={dayColour(d.status)}>{statusText(d.status)}</Tag></td>
                    <td>{d.check_in?.mode ?? d.roster_mode ?? "—"}</td>
                    <td>{d.check_in ? clock(d.check_in.checked_in_at, tz, L) : "—"}</td>
                    <td>{d.check_out ? clock(d.check_out.checked_out_at, tz, L) : "—"}</td>
                    <td class="num">{d.check_in?.late_minutes ?? "—"}</td>
                    <td class="num">{d.check_out?.early_leave_minutes ?? "—"}</td>
                    <td class="wrap">{d.holiday ?? d.leave_type ?? (d.working_day ? "" : "—")}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <p><a href={back}>{tp("backToRecap")}</a></p>
    </Console>
  );
}
