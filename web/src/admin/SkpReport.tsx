/** A unit's predikat distribution for a year (or a period) against the caps of the unit's own rating:
 * reported, not enforced (docs/domain-rules.md); CSV download. */
import { useState } from "preact/hooks";
import { api, download, PERFORMANCE } from "../api/client";
import { Button, ErrorSummary, LoadError, Loading, Select, Tag } from "../components/ui";
import { lang, t, translator } from "../i18n";
import { current, navigate } from "../lib/router";
import { useAsync } from "../lib/useAsync";
import { useForm } from "../lib/useForm";
import { allUnits, at, Console, qs, unitOptions } from "./common";

const tk = translator({
  "intro": ["Sebaran predikat kinerja pegawai aktif sebuah unit, dibandingkan dengan batas sebaran menurut predikat unit (hanya dilaporkan, tidak dipaksakan).",
    "The predikat distribution of a unit's active employees, against the caps for the unit's own rating (reported, not enforced)."],
  "period": ["Periode", "Period"],
  "annual": ["Tahunan (akhir)", "Annual (final)"],
  "unitRating": ["Predikat unit (boleh kosong)", "The unit's rating (optional)"],
  "none": ["— tidak diisi —", "— none —"],
  "show": ["Tampilkan", "Show"],
  "unitMissing": ["Pilih unit", "Choose a unit"],
  "predikat": ["Predikat", "Predikat"],
  "count": ["Jumlah pegawai", "Employees"],
  "percent": ["Persentase", "Share"],
  "summary": ["{evaluated} dari {employees} pegawai sudah dievaluasi; {not} belum.", "{evaluated} of {employees} employees evaluated; {not} not yet."],
  "caps": ["Batas sebaran", "Caps"],
  "capsUnknown": ["Tidak ada aturan batas untuk predikat unit ini.", "No cap rule is known for this unit rating."],
  "within": ["Dalam batas", "Within the caps"],
  "outside": ["Melewati batas", "Outside the caps"],
  "employees": ["Pegawai", "Employees"],
  "position": ["Jabatan", "Position"],
  "skpStatus": ["Status SKP", "SKP status"],
  "notEvaluated": ["belum dievaluasi", "not evaluated"],
});

const PREDIKATS = ["Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang"];

interface Report {
  unit_code: string; year: number; period: string; employees: number; evaluated: number; not_evaluated: number;
  counts: Record<string, number>; percent: Record<string, number>;
  caps: { unit_rating: string | null; known: boolean; within: boolean | null; checks: { rule: string; predikat: string; limit: number; actual: number; ok: boolean }[] };
  employees_list: { nip: string; name: string | null; position: string | null; skp_status: string | null; predikat: string | null }[];
}

export function SkpReport() {
  const query = current.value.query;
  const year = new Date().getFullYear();
  const [unit, setUnit] = useState(query.get("unit") ?? "");
  const [y, setY] = useState(query.get("year") ?? String(year));
  const [period, setPeriod] = useState(query.get("period") ?? "annual");
  const [rating, setRating] = useState(query.get("rating") ?? "");
  const units = useAsync(allUnits);
  const form = useForm();
  const shown = query.get("unit") ? { unit_code: query.get("unit")!, year: query.get("year") ?? String(year), period: query.get("period") ?? "annual", unit_rating: query.get("rating") ?? undefined } : null;

  function show(e: Event) {
    e.preventDefault();
    form.submit(unit ? {} : { unit_code: tk("unitMissing") }, async () => navigate(`/admin/skp${qs({ unit, year: y, period, rating })}`, { replace: true }));
  }

  const periods = ["annual", "Q1", "Q2", "Q3", "Q4", ...Array.from({ length: 12 }, (_, i) => `M${String(i + 1).padStart(2, "0")}`)];
  return (
    <Console title={t("nav.adminSkp")}>
      <p>{tk("intro")}</p>
      <form onSubmit={show} noValidate>
        <ErrorSummary items={form.summary} />
        <div class="filters">
          <Select id="unit_code" label={at("unit")} error={form.errors.unit_code} value={unit} onValue={setUnit} options={unitOptions(units.data, at("chooseUnit"))} />
          <Select id="year" label={at("year")} value={y} onValue={setY} options={[year - 1, year, year + 1].map((v) => ({ value: String(v), label: String(v) }))} />
          <Select id="period" label={tk("period")} value={period} onValue={setPeriod} options={periods.map((p) => ({ value: p, label: p === "annual" ? tk("annual") : p }))} />
          <Select id="unit_rating" label={tk("unitRating")} value={rating} onValue={setRating} options={[{ value: "", label: tk("none") }, ...PREDIKATS.map((p) => ({ value: p, label: p }))]} />
          <Button type="submit" class="small">{tk("show")}</Button>
        </div>
      </form>
      {shown && <ReportView key={JSON.stringify(shown)} params={shown} />}
    </Console>
  );
}

function ReportView({ params }: { params: Record<string, string | undefined> }) {
  const report = useAsync(() => api<Report>(`${PERFORMANCE}/skp/reports/distribution${qs(params)}`), []);
  const form = useForm();
  const fmt = (n: number) => new Intl.NumberFormat(lang.value === "en" ? "en-GB" : "id-ID", { maximumFractionDigits: 2 }).format(n);
  if (report.error) return <LoadError error={report.error} retry={report.reload} />;
  if (!report.data) return <Loading />;
  const r = report.data;
  return (
    <section>
      <p>{tk("summary", { evaluated: r.evaluated, employees: r.employees, not: r.not_evaluated })}</p>
      <ErrorSummary items={form.summary} />
      <Button variant="secondary" class="small" onClick={() => form.submit({}, () => download(`${PERFORMANCE}/skp/reports/distribution${qs({ ...params, format: "csv" })}`,
        `predikat-${r.unit_code}-${r.year}-${r.period}.csv`))}>{at("downloadCsv")}</Button>
      <div class="table-wrap">
        <table class="table data" data-testid="distribution">
          <thead><tr><th>{tk("predikat")}</th><th class="num">{tk("count")}</th><th class="num">{tk("percent")}</th></tr></thead>
          <tbody>
            {PREDIKATS.map((p) => (
              <tr key={p} data-predikat={p}><td>{p}</td><td class="num" data-column="count">{r.counts[p] ?? 0}</td><td class="num">{fmt(r.percent[p] ?? 0)} %</td></tr>
            ))}
          </tbody>
        </table>
      </div>
      {r.caps.unit_rating && (
        <>
          <h2>{tk("caps")}</h2>
          {!r.caps.known ? <p>{tk("capsUnknown")}</p> : (
            <>
              <p><Tag colour={r.caps.within ? "green" : "red"}>{r.caps.within ? tk("within") : tk("outside")}</Tag></p>
              <ul>{r.caps.checks.map((c, i) => <li key={i}>{c.rule}: {fmt(c.actual)} / {fmt(c.limit)} {c.ok ? "✓" : "✗"}</li>)}</ul>
            </>
          )}
        </>
      )}
      <h2>{tk("employees")}</h2>
      <div class="table-wrap">
        <table class="table data">
          <thead><tr><th>{at("nip")}</th><th>{at("name")}</th><th class="wrap">{tk("position")}</th><th>{tk("skpStatus")}</th><th>{tk("predikat")}</th></tr></thead>
          <tbody>
            {r.employees_list.map((e) => (
              <tr key={e.nip} data-testid="report-employee"><td>{e.nip}</td><td>{e.name ?? "—"}</td><td class="wrap">{e.position ?? "—"}</td><td>{e.skp_status ?? "—"}</td>
                <td>{e.predikat ?? <span class="muted">{tk("notEvaluated")}</span>}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
