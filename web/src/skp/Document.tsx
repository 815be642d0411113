/** The official forms in the app: the SKP, or the Dokumen Evaluasi Kinerja of a period, drawn from the
 * document's JSON (the same model the server's HTML and PDF are made from), printable (the shell is
 * hidden in print), with the PDF and the server's printable HTML as downloads. The form itself stays in
 * Bahasa Indonesia, as the official one is; the buttons follow the app's language. */
import { Fragment } from "preact";
import { api, download, PERFORMANCE } from "../api/client";
import { Button, ErrorSummary, LoadError, Loading, PageTitle } from "../components/ui";
import { t, translator } from "../i18n";
import { useAsync } from "../lib/useAsync";
import { useForm } from "../lib/useForm";
import { BERAKHLAK, type Item, type Person } from "./common";

const td = translator({
  "print": ["Cetak", "Print"],
  "pdf": ["Unduh PDF", "Download the PDF"],
  "html": ["Unduh versi cetak (HTML)", "Download the printable page (HTML)"],
});

const RATING = { di_atas: "Di Atas Ekspektasi", sesuai: "Sesuai Ekspektasi", di_bawah: "Di Bawah Ekspektasi" } as Record<string, string>;
const ASPECT = { kuantitas: "Kuantitas", kualitas: "Kualitas", waktu: "Waktu" } as Record<string, string>;
const BK_NAMES = ["Berorientasi Pelayanan", "Akuntabel", "Kompeten", "Harmonis", "Loyal", "Adaptif", "Kolaboratif"];
const LEAVE = { izin: "Izin", sakit: "Sakit", cuti: "Cuti", dinas_luar: "Dinas Luar", tugas_belajar: "Tugas Belajar" } as Record<string, string>;

const num = (v: unknown) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : String(v).replace(".", ",")) : "-");

interface SkpDoc { title: string; year: number; revision: number; approved: boolean; status_label: string; employee: Person; rater: Person | null;
  items: Item[]; place_date: string }
interface EvalDoc { title: string; period_label: string; period_from: string; period_to: string; employee: Person; rater: Person | null;
  items: { rhk: string; type: string; parent_rhk: string | null; realization: string | null; links: string[];
    indicators: { description: string; target: number; unit: string; value: number | null; note: string | null; links: string[]; files: { name: string }[] }[];
    automatic_evidence: { kind: string; title?: string; date?: string; activity?: string }[]; feedback: { text: string } | null }[];
  behaviour: { values: Record<string, { rating: string; ekspektasi_khusus: string | null }>; perilaku: string } | null;
  evaluation: { hasil_kerja: string; perilaku: string; predikat: string; note: string | null; response: { text: string } | null } | null;
  attendance: Record<string, number> & { leave_days?: Record<string, number> }; place_date: string }

function Identity({ employee, rater }: { employee: Person; rater: Person | null }) {
  return (
    <table>
      <tbody>
        <tr><th colSpan={2}>Pegawai yang Dinilai</th><th colSpan={2}>Pejabat Penilai Kinerja</th></tr>
        <tr><td>Nama</td><td>{employee.name ?? "-"}</td><td>Nama</td><td>{rater?.name ?? "-"}</td></tr>
        <tr><td>NIP</td><td>{employee.nip}</td><td>NIP</td><td>{rater?.nip ?? "-"}</td></tr>
        <tr><td>Jabatan</td><td>{employee.position ?? "-"}</td><td>Jabatan</td><td>{rater?.position ?? "-"}</td></tr>
        <tr><td>Unit Kerja</td><td>{employee.unit_code ?? "-"}</td><td>Unit Kerja</td><td>{rater?.unit_code ?? "-"}</td></tr>
      </tbody>
    </table>
  );
}

function Signatures({ employee, rater, place }: { employee: Person; rater: Person | null; place: string }) {
  return (
    <div class="sign">
      <div>Pegawai yang Dinilai<div class="space" /><strong>{employee.name ?? "-"}</strong><br />NIP {employee.nip}</div>
      <div>{place}<br />Pejabat Penilai Kinerja<div class="space" /><strong>{rater?.name ?? "-"}</strong><br />NIP {rater?.nip ?? "-"}</div>
    </div>
  );
}

function SkpForm({ doc }: { doc: SkpDoc }) {
  const groups = [["utama", "A. Hasil Kerja Utama"], ["tambahan", "B. Hasil Kerja Tambahan"]] as const;
  let n = 0;
  return (
    <article class="doc" data-testid="skp-document">
      <h2>Sasaran Kinerja Pegawai</h2>
      <p class="sub">Periode Penilaian: 1 Januari s.d. 31 Desember {doc.year} · Revisi {doc.revision}{!doc.approved && ` · status ${doc.status_label}`}</p>
      <Identity employee={doc.employee} rater={doc.rater} />
      <table>
        <thead><tr><th>No</th><th>RHK Atasan yang Diintervensi</th><th>Rencana Hasil Kerja</th><th>Aspek</th><th>Indikator Kinerja Individu</th><th>Target</th></tr></thead>
        <tbody>
          {groups.map(([type, title]) => (
            <Fragment key={type}>
              <tr><td colSpan={6}><strong>{title}</strong></td></tr>
              {doc.items.filter((i) => (i.type === "tambahan") === (type === "tambahan")).flatMap((item) => {
                n += 1;
                return item.indicators.map((d, j) => (
                  <tr key={`${n}-${j}`}>
                    {j === 0 && <td rowSpan={item.indicators.length}>{n}</td>}
                    {j === 0 && <td rowSpan={item.indicators.length}>{item.parent_rhk ?? "-"}</td>}
                    {j === 0 && <td rowSpan={item.indicators.length}>{item.rhk}</td>}
                    <td>{ASPECT[d.aspect] ?? d.aspect}</td><td>{d.description}</td><td>{num(d.target)} {d.unit}</td>
                  </tr>
                ));
              })}
            </Fragment>
          ))}
        </tbody>
      </table>
      <Signatures employee={doc.employee} rater={doc.rater} place={doc.place_date} />
    </article>
  );
}

function EvaluationForm({ doc }: { doc: EvalDoc }) {
  const a = doc.attendance ?? {};
  return (
    <article class="doc" data-testid="evaluation-document">
      <h2>Dokumen Evaluasi Kinerja Pegawai</h2>
      <p class="sub">Periode: {doc.period_label} ({doc.period_from} s.d. {doc.period_to})</p>
      <Identity employee={doc.employee} rater={doc.rater} />
      <table>
        <thead><tr><th>No</th><th>RHK Atasan yang Diintervensi</th><th>Rencana Hasil Kerja</th><th>Indikator</th><th>Target</th><th>Realisasi Berdasarkan Bukti Dukung</th><th>Umpan Balik</th></tr></thead>
        <tbody>
          {doc.items.flatMap((item, i) => item.indicators.map((d, j) => (
            <tr key={`${i}-${j}`}>
              {j === 0 && <td rowSpan={item.indicators.length}>{i + 1}</td>}
              {j === 0 && <td rowSpan={item.indicators.length}>{item.parent_rhk ?? "-"}</td>}
              {j === 0 && <td rowSpan={item.indicators.length}>{item.rhk}{item.realization && <><br /><small>Realisasi: {item.realization}</small></>}</td>}
              <td>{d.description}</td>
              <td>{num(d.target)} {d.unit}</td>
              <td>{d.value === null ? "-" : `${num(d.value)} ${d.unit}`}{d.note && <><br />{d.note}</>}
                {d.links.map((l) => <Fragment key={l}><br /><small>Bukti: {l}</small></Fragment>)}
                {d.files.map((f, k) => <Fragment key={k}><br /><small>Berkas: {f.name}</small></Fragment>)}
                {j === 0 && item.automatic_evidence.map((e, k) => <Fragment key={`a${k}`}><br /><small>{e.kind === "task" ? `Tugas disetujui: ${e.title}` : `Laporan harian ${e.date}: ${e.activity}`}</small></Fragment>)}
              </td>
              {j === 0 && <td rowSpan={item.indicators.length}>{item.feedback?.text ?? "-"}</td>}
            </tr>
          )))}
        </tbody>
      </table>
      <table>
        <thead><tr><th>No</th><th>Perilaku Kerja (BerAKHLAK)</th><th>Ekspektasi Khusus Pimpinan</th><th>Penilaian</th></tr></thead>
        <tbody>
          {BERAKHLAK.map((code, i) => {
            const v = doc.behaviour?.values[code];
            return <tr key={code}><td>{i + 1}</td><td>{BK_NAMES[i]}</td><td>{v?.ekspektasi_khusus ?? "-"}</td><td>{v ? RATING[v.rating] ?? v.rating : "-"}</td></tr>;
          })}
        </tbody>
      </table>
      <table>
        <tbody>
          <tr><th>Rating Hasil Kerja</th><th>Rating Perilaku Kerja</th><th>Predikat Kinerja Pegawai</th></tr>
          <tr>
            <td>{doc.evaluation ? RATING[doc.evaluation.hasil_kerja] : "Belum dievaluasi"}</td>
            <td>{doc.evaluation ? RATING[doc.evaluation.perilaku] : doc.behaviour ? RATING[doc.behaviour.perilaku] : "-"}</td>
            <td><strong class="predikat" data-testid="document-predikat">{doc.evaluation?.predikat ?? "-"}</strong></td>
          </tr>
          {doc.evaluation?.note && <tr><td colSpan={3}>Catatan pejabat penilai: {doc.evaluation.note}</td></tr>}
          {doc.evaluation?.response && <tr><td colSpan={3}>Tanggapan pegawai: {doc.evaluation.response.text}</td></tr>}
        </tbody>
      </table>
      <table>
        <tbody>
          <tr><th colSpan={8}>Kehadiran dan Disiplin</th></tr>
          <tr><th>Hari Kerja</th><th>Hadir</th><th>TL1</th><th>TL2</th><th>TL3</th><th>TL4</th><th>Tanpa Keterangan</th><th>Cuti/Izin/Sakit/DL</th></tr>
          <tr><td>{a.working_days ?? 0}</td><td>{a.present ?? 0}</td><td>{a.tl1 ?? 0}</td><td>{a.tl2 ?? 0}</td><td>{a.tl3 ?? 0}</td><td>{a.tl4 ?? 0}</td>
            <td>{a.tanpa_keterangan ?? 0}</td><td>{Object.values(a.leave_days ?? {}).reduce((x, y) => x + y, 0)}</td></tr>
          <tr><td colSpan={8}>{Object.entries(a.leave_days ?? {}).filter(([, v]) => v).map(([k, v]) => `${LEAVE[k] ?? k}: ${v}`).join(", ") || "-"}</td></tr>
        </tbody>
      </table>
      <Signatures employee={doc.employee} rater={doc.rater} place={doc.place_date} />
    </article>
  );
}

export function SkpDocument({ params }: { params: Record<string, string> }) {
  const { id, period } = params;
  const base = period ? `${PERFORMANCE}/skp/${encodeURIComponent(id)}/periods/${encodeURIComponent(period)}/document` : `${PERFORMANCE}/skp/${encodeURIComponent(id)}/document`;
  const doc = useAsync(() => api<SkpDoc | EvalDoc>(`${base}?format=json`), [base]);
  const form = useForm();
  const back = period ? `/skp/${id}/periode/${period}` : `/skp/${id}`;
  const d = doc.data as (Partial<SkpDoc> & Partial<EvalDoc>) | undefined;
  const title = !d ? t("nav.skpDocument") : period ? `Evaluasi Kinerja ${d.period_label ?? period} · ${d.employee?.name ?? ""}`
    : d.title ?? `SKP ${d.year} · ${d.employee?.name ?? ""}`;
  const name = (period ? `Evaluasi-${d?.year ?? ""}-${period}-${d?.employee?.nip ?? ""}` : `SKP-${d?.year ?? ""}-${d?.employee?.nip ?? ""}`).replace(/[^\w.-]+/g, "-");
  return (
    <>
      <p class="no-print"><a href={back}>{t("app.back")}</a></p>
      <PageTitle>{title}</PageTitle>
      <ErrorSummary items={form.summary} />
      <div class="button-group no-print">
        <Button variant="secondary" class="small" onClick={() => print()}>{td("print")}</Button>
        <Button variant="secondary" class="small" onClick={() => form.submit({}, () => download(`${base}?format=pdf`, `${name}.pdf`))}>{td("pdf")}</Button>
        <Button variant="secondary" class="small" onClick={() => form.submit({}, () => download(`${base}?format=html`, `${name}.html`))}>{td("html")}</Button>
      </div>
      {doc.error ? <LoadError error={doc.error} retry={doc.reload} /> : !doc.data ? <Loading />
        : period ? <EvaluationForm doc={doc.data as EvalDoc} /> : <SkpForm doc={doc.data as SkpDoc} />}
    </>
  );
}
