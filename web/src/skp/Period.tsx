/** One period of an approved SKP (or the year): the employee reports the realisation per indicator with
 * evidence (a link or a file); the direct supervisor (or an admin) gives feedback per RHK, rates the
 * seven BerAKHLAK values and evaluates - the predikat as the official matrix gives it; the employee may
 * respond; the attendance summary of the period stands beside it. */
import { useState } from "preact/hooks";
import { api, download, IDENTITY, PERFORMANCE } from "../api/client";
import { Button, ErrorSummary, LoadError, Loading, Notice, PageTitle, Select, Summary, TextArea, TextField } from "../components/ui";
import { lang, t, translator } from "../i18n";
import { errorText } from "../lib/errors";
import { shortDate } from "../lib/time";
import { useAsync } from "../lib/useAsync";
import { useForm } from "../lib/useForm";
import { BERAKHLAK, periodText, predikatOf, RATINGS, ratingText, ts, type Person } from "./common";

const tq = translator({
  "title": ["{period} · SKP {year}", "{period} · SKP {year}"],
  "range": ["{from} s.d. {to}", "{from} to {to}"],
  "realisation": ["Realisasi", "Realisation"],
  "realisationIntro": ["Isi realisasi setiap indikator dan lampirkan bukti dukung (tautan atau berkas).", "Give each indicator's realised value and attach evidence (a link or a file)."],
  "itemRealisation": ["Uraian realisasi RHK (boleh kosong)", "Realisation of the RHK in words (optional)"],
  "value": ["Realisasi ({unit}); target {target}", "Realised ({unit}); target {target}"],
  "valueBad": ["Isi realisasi berupa angka 0 atau lebih", "Give the realised value, a number 0 or more"],
  "noteInd": ["Keterangan (boleh kosong)", "Note (optional)"],
  "link": ["Tautan bukti dukung (boleh kosong)", "Evidence link (optional)"],
  "linkHint": ["Alamat yang diawali https://", "An address starting with https://"],
  "linkBad": ["Tautan harus diawali http:// atau https://", "A link starts with http:// or https://"],
  "saveRealisation": ["Simpan realisasi", "Save the realisation"],
  "realisationSaved": ["Realisasi tersimpan.", "The realisation is saved."],
  "file": ["Berkas bukti dukung", "Evidence file"],
  "fileHint": ["PDF, JPG, PNG, DOCX atau XLSX; maks. 10 MB", "PDF, JPG, PNG, DOCX or XLSX; at most 10 MB"],
  "upload": ["Unggah berkas", "Upload the file"],
  "uploaded": ["Berkas bukti tersimpan.", "The evidence file is saved."],
  "fileMissing": ["Pilih berkas", "Choose a file"],
  "evidence": ["Bukti dukung", "Evidence"],
  "auto": ["Bukti otomatis", "Automatic evidence"],
  "autoTask": ["Tugas disetujui: {title}", "Approved task: {title}"],
  "autoLog": ["Laporan harian {date}: {activity}", "Daily log {date}: {activity}"],
  "feedback": ["Umpan balik atasan", "Supervisor's feedback"],
  "feedbackFor": ["Umpan balik untuk RHK {n}", "Feedback on RHK {n}"],
  "sendFeedback": ["Kirim umpan balik", "Send the feedback"],
  "feedbackSaved": ["Umpan balik tersimpan.", "The feedback is saved."],
  "feedbackMissing": ["Tulis umpan balik untuk sedikitnya satu RHK", "Write feedback on at least one RHK"],
  "behaviour": ["Perilaku kerja (BerAKHLAK)", "Work behaviour (BerAKHLAK)"],
  "expectation": ["Ekspektasi khusus pimpinan (boleh kosong)", "The leader's specific expectation (optional)"],
  "choose": ["— pilih —", "— choose —"],
  "rateMissing": ["Pilih penilaian", "Choose a rating"],
  "saveBehaviour": ["Simpan penilaian perilaku", "Save the behaviour rating"],
  "behaviourSaved": ["Penilaian perilaku tersimpan.", "The behaviour rating is saved."],
  "evaluation": ["Evaluasi", "Evaluation"],
  "evaluate": ["Simpan evaluasi", "Save the evaluation"],
  "evaluated": ["Evaluasi tersimpan: predikat {predikat}.", "The evaluation is saved: predikat {predikat}."],
  "matrixSays": ["Menurut matriks predikat: {predikat}", "The predikat matrix gives: {predikat}"],
  "evalNote": ["Catatan pejabat penilai (boleh kosong)", "The rater's note (optional)"],
  "notYet": ["Belum dievaluasi.", "Not evaluated yet."],
  "response": ["Tanggapan pegawai", "The employee's response"],
  "respond": ["Kirim tanggapan", "Send the response"],
  "responseMissing": ["Tulis tanggapan Anda", "Write your response"],
  "responded": ["Tanggapan tersimpan.", "The response is saved."],
  "attendance": ["Kehadiran dan disiplin periode ini", "Attendance and discipline in this period"],
  "att.working_days": ["Hari kerja", "Working days"],
  "att.present": ["Hadir", "Present"],
  "att.tanpa_keterangan": ["Tanpa keterangan", "Absent"],
  "att.leave": ["Izin/sakit/cuti/DL", "Leave/travel"],
  "att.settled": ["Hari yang sudah ditutup: {n}", "Days closed so far: {n}"],
  "document": ["Buka Dokumen Evaluasi Kinerja", "Open the performance evaluation document"],
  "rater": ["Pejabat penilai", "Rater"],
  "history": ["Evaluasi sebelumnya", "Earlier evaluations"],
});

interface IndicatorView { id: string; description: string; target: number; unit: string; aspect: string; value: number | null; note: string | null;
  links: string[]; files: { id: string; name: string }[] }
interface ItemView { item_id: string; type: string; rhk: string; parent_rhk: string | null; realization: string | null; links: string[];
  indicators: IndicatorView[]; automatic_evidence: { kind: string; title?: string; date?: string; activity?: string }[];
  feedback: { text: string; by: string; at: string } | null }
interface Evaluation { version: number; hasil_kerja: string; perilaku: string; predikat: string; note: string | null; by: string; at: string;
  rater?: Person; response: { text: string; at: string } | null }
interface PeriodView {
  skp_id: string; nip: string; year: number; period: string; period_label: string; period_from: string; period_to: string;
  employee: Person; rater: Person | null; items: ItemView[];
  behaviour: { values: Record<string, { rating: string; ekspektasi_khusus: string | null }>; perilaku: string } | null;
  evaluation: Evaluation | null; evaluation_history: Evaluation[];
  attendance: Record<string, unknown> & { leave_days?: Record<string, number> };
}

export function SkpPeriod({ params }: { params: Record<string, string> }) {
  const { id, period } = params;
  const data = useAsync(async () => {
    const [view, me] = await Promise.all([
      api<PeriodView>(`${PERFORMANCE}/skp/${encodeURIComponent(id)}/periods/${encodeURIComponent(period)}`),
      api<{ nip: string }>(`${IDENTITY}/me`),
    ]);
    return { view, mine: view.nip === me.nip };
  }, [id, period]);
  const [notice, setNotice] = useState<string | null>(null);
  const L = lang.value;
  const back = <p><a href={`/skp/${id}`}>{t("app.back")}</a></p>;
  if (data.error) return <>{back}<PageTitle>{t("nav.skpPeriod")}</PageTitle><LoadError error={data.error} retry={data.reload} /></>;
  if (!data.data) return <>{back}<PageTitle>{t("nav.skpPeriod")}</PageTitle><Loading /></>;
  const { view, mine } = data.data;
  const done = (text: string) => { setNotice(text); data.reload(); };
  const canReport = mine && period !== "annual" && !view.evaluation;

  return (
    <>
      {back}
      <PageTitle>{tq("title", { period: periodText(period, view.period_label), year: view.year })}</PageTitle>
      <p class="muted">{view.employee?.name} ({view.nip}) · {tq("range", { from: shortDate(view.period_from, L), to: shortDate(view.period_to, L) })}</p>
      {notice && <Notice kind="ok" role="status"><p>{notice}</p></Notice>}
      <EvaluationBox view={view} />
      {canReport ? <Realisation view={view} onDone={done} /> : <RealisationView view={view} />}
      {!mine && <Feedback view={view} onDone={done} />}
      {!mine && <Behaviour view={view} onDone={done} />}
      {!mine && <Evaluate view={view} onDone={done} />}
      {mine && view.evaluation && !view.evaluation.response && <Respond view={view} onDone={done} />}
      <Attendance view={view} />
      <p><a href={`/skp/${id}/periode/${period}/dokumen`} data-testid="evaluation-document-link">{tq("document")}</a></p>
    </>
  );
}

function EvaluationBox({ view }: { view: PeriodView }) {
  const e = view.evaluation;
  return (
    <section aria-labelledby="evaluation-title" data-testid="evaluation">
      <h2 id="evaluation-title">{tq("evaluation")}</h2>
      {!e ? <p>{tq("notYet")}</p> : (
        <>
          <Summary rows={[
            [ts("hasilKerja"), ratingText(e.hasil_kerja)],
            [ts("perilaku"), ratingText(e.perilaku)],
            [ts("predikat"), <span class="predikat" data-testid="predikat">{e.predikat}</span>],
            ...(e.note ? [[tq("evalNote"), e.note] as [string, string]] : []),
            ...(e.response ? [[tq("response"), e.response.text] as [string, string]] : []),
          ]} />
        </>
      )}
      {view.evaluation_history.length > 0 && (
        <details><summary>{tq("history")}</summary>
          <ul>{view.evaluation_history.map((h) => <li key={h.version}>{h.predikat} ({ratingText(h.hasil_kerja)} / {ratingText(h.perilaku)})</li>)}</ul>
        </details>
      )}
    </section>
  );
}

function Evidence({ skpId, item, indicator }: { skpId: string; item?: ItemView; indicator: IndicatorView }) {
  return (
    <>
      {indicator.links.map((l) => <p key={l} class="small">{tq("evidence")}: <a href={l} target="_blank" rel="noopener noreferrer">{l}</a></p>)}
      {indicator.files.map((f) => (
        <p key={f.id} class="small">{tq("evidence")}: <button type="button" class="link-button" onClick={() => download(`${PERFORMANCE}/skp/${skpId}/files/${f.id}`, f.name)}>{f.name}</button></p>
      ))}
      {item?.automatic_evidence.map((a, i) => (
        <p key={i} class="small muted">{tq("auto")}: {a.kind === "task" ? tq("autoTask", { title: a.title ?? "" }) : tq("autoLog", { date: a.date ?? "", activity: a.activity ?? "" })}</p>
      ))}
    </>
  );
}

function RealisationView({ view }: { view: PeriodView }) {
  return (
    <section aria-labelledby="realisation-title">
      <h2 id="realisation-title">{tq("realisation")}</h2>
      {view.items.map((item, i) => (
        <div class="rhk" key={item.item_id} data-testid="rhk-period">
          <h3>{i + 1}. {item.rhk}</h3>
          {item.parent_rhk && <p class="muted small">{ts("parentRhk")}: {item.parent_rhk}</p>}
          {item.realization && <p>{item.realization}</p>}
          {item.indicators.map((d, j) => (
            <div class="indicator" key={d.id}>
              <p><strong>{d.description}</strong> — {ts("target")} {d.target} {d.unit}: {d.value === null ? "—" : `${d.value} ${d.unit}`}</p>
              {d.note && <p class="small">{d.note}</p>}
              <Evidence skpId={view.skp_id} item={j === 0 ? item : undefined} indicator={d} />
            </div>
          ))}
          {item.feedback && <p><strong>{tq("feedback")}:</strong> {item.feedback.text}</p>}
        </div>
      ))}
    </section>
  );
}

function Realisation({ view, onDone }: { view: PeriodView; onDone: (text: string) => void }) {
  const [texts, setTexts] = useState<Record<string, string>>(() => Object.fromEntries(view.items.map((i) => [i.item_id, i.realization ?? ""])));
  const [values, setValues] = useState<Record<string, { value: string; note: string; link: string }>>(() => Object.fromEntries(
    view.items.flatMap((i) => i.indicators.map((d) => [d.id, { value: d.value === null ? "" : String(d.value), note: d.note ?? "", link: "" }]))));
  const form = useForm();
  const { errors, busy } = form;

  async function save(e: Event) {
    e.preventDefault();
    const found: Record<string, string> = {};
    view.items.forEach((item, i) => item.indicators.forEach((d, j) => {
      const v = values[d.id];
      const n = Number(v.value.trim().replace(",", "."));
      if (!v.value.trim() || !Number.isFinite(n) || n < 0) found[`items.${i}.indicators.${j}.value`] = tq("valueBad");
      if (v.link.trim() && !/^https?:\/\/\S+$/.test(v.link.trim())) found[`items.${i}.indicators.${j}.links`] = tq("linkBad");
    }));
    await form.submit(found, async () => {
      await api(`${PERFORMANCE}/skp/${view.skp_id}/realizations`, {
        method: "POST",
        json: {
          period: view.period,
          items: view.items.map((item) => ({
            item_id: item.item_id, realization: texts[item.item_id]?.trim() || null,
            indicators: item.indicators.map((d) => ({
              indicator_id: d.id, value: Number(values[d.id].value.trim().replace(",", ".")), note: values[d.id].note.trim() || null,
              links: [...d.links, ...(values[d.id].link.trim() ? [values[d.id].link.trim()] : [])],
            })),
          })),
        },
      });
      onDone(tq("realisationSaved"));
    });
  }

  const set = (id: string, patch: Partial<{ value: string; note: string; link: string }>) => setValues((all) => ({ ...all, [id]: { ...all[id], ...patch } }));
  return (
    <section aria-labelledby="realisation-title">
      <h2 id="realisation-title">{tq("realisation")}</h2>
      <p>{tq("realisationIntro")}</p>
      <form onSubmit={save} noValidate>
        <ErrorSummary items={form.summary} />
        {view.items.map((item, i) => (
          <div class="rhk" key={item.item_id} data-testid="rhk-period">
            <h3>{i + 1}. {item.rhk}</h3>
            {item.parent_rhk && <p class="muted small">{ts("parentRhk")}: {item.parent_rhk}</p>}
            <TextArea id={`items.${i}.realization`} label={tq("itemRealisation")} rows={2} maxLength={5000} error={errors[`items.${i}.realization`]}
              value={texts[item.item_id] ?? ""} onValue={(v) => setTexts({ ...texts, [item.item_id]: v })} />
            {item.indicators.map((d, j) => {
              const at = `items.${i}.indicators.${j}`;
              return (
                <div class="indicator" key={d.id}>
                  <p><strong>{d.description}</strong></p>
                  <div class="row">
                    <TextField id={`${at}.value`} label={tq("value", { unit: d.unit, target: d.target })} inputMode="decimal" error={errors[`${at}.value`]}
                      value={values[d.id].value} onValue={(v) => set(d.id, { value: v })} />
                    <TextField id={`${at}.note`} label={tq("noteInd")} maxLength={2000} error={errors[`${at}.note`]} value={values[d.id].note} onValue={(v) => set(d.id, { note: v })} />
                  </div>
                  <TextField id={`${at}.links`} label={tq("link")} hint={tq("linkHint")} error={errors[`${at}.links`] ?? errors[`${at}.links.0`]} value={values[d.id].link}
                    onValue={(v) => set(d.id, { link: v })} maxLength={2000} />
                  <Evidence skpId={view.skp_id} item={j === 0 ? item : undefined} indicator={d} />
                  <EvidenceFile view={view} itemId={item.item_id} indicatorId={d.id} at={at} onDone={onDone} />
                </div>
              );
            })}
            {item.feedback && <p><strong>{tq("feedback")}:</strong> {item.feedback.text}</p>}
          </div>
        ))}
        <Button type="submit" disabled={busy}>{busy ? t("form.saving") : tq("saveRealisation")}</Button>
      </form>
    </section>
  );
}

function EvidenceFile({ view, itemId, indicatorId, at, onDone }: { view: PeriodView; itemId: string; indicatorId: string; at: string; onDone: (text: string) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function upload() {
    setProblem(null);
    if (!file) { setProblem(tq("fileMissing")); return; }
    setBusy(true);
    try {
      const body = new FormData();
      body.append("item_id", itemId);
      body.append("indicator_id", indicatorId);
      body.append("files", file, file.name);
      await api(`${PERFORMANCE}/skp/${view.skp_id}/realizations/${view.period}/files`, { method: "POST", form: body });
      onDone(tq("uploaded"));
    } catch (err) {
      setProblem(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  const id = `${at}.files`;
  return (
    <div class={`field${problem ? " has-error" : ""}`}>
      <label for={id}>{tq("file")}</label>
      <span class="hint">{tq("fileHint")}</span>
      {problem && <span class="error-message" role="alert" id={`${id}-error`}>{problem}</span>}
      <input type="file" id={id} accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx,application/pdf,image/jpeg,image/png"
        onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)} />
      <Button variant="secondary" class="small" onClick={upload} disabled={busy}>{tq("upload")}</Button>
    </div>
  );
}

function Feedback({ view, onDone }: { view: PeriodView; onDone: (text: string) => void }) {
  const [texts, setTexts] = useState<Record<string, string>>(() => Object.fromEntries(view.items.map((i) => [i.item_id, i.feedback?.text ?? ""])));
  const form = useForm();
  async function send(e: Event) {
    e.preventDefault();
    const items = view.items.filter((i) => texts[i.item_id]?.trim()).map((i) => ({ item_id: i.item_id, feedback: texts[i.item_id].trim() }));
    await form.submit(items.length ? {} : { [`feedback.${view.items[0]?.item_id}`]: tq("feedbackMissing") }, async () => {
      await api(`${PERFORMANCE}/skp/${view.skp_id}/feedback`, { method: "POST", json: { period: view.period, items } });
      onDone(tq("feedbackSaved"));
    });
  }
  return (
    <form onSubmit={send} noValidate aria-labelledby="feedback-title">
      <h2 id="feedback-title">{tq("feedback")}</h2>
      <ErrorSummary items={form.summary} />
      {view.items.map((item, i) => (
        <TextArea key={item.item_id} id={`feedback.${item.item_id}`} label={tq("feedbackFor", { n: i + 1 })} hint={item.rhk} rows={2} maxLength={2000}
          error={form.errors[`feedback.${item.item_id}`] ?? form.errors[`items.${i}.feedback`]} value={texts[item.item_id] ?? ""}
          onValue={(v) => setTexts({ ...texts, [item.item_id]: v })} />
      ))}
      <Button type="submit" variant="secondary" disabled={form.busy}>{tq("sendFeedback")}</Button>
    </form>
  );
}

const ratingOptions = () => [{ value: "", label: tq("choose") }, ...RATINGS.map((r) => ({ value: r, label: ratingText(r) }))];

function Behaviour({ view, onDone }: { view: PeriodView; onDone: (text: string) => void }) {
  const [values, setValues] = useState<Record<string, { rating: string; ekspektasi_khusus: string }>>(() => Object.fromEntries(
    BERAKHLAK.map((c) => [c, { rating: view.behaviour?.values[c]?.rating ?? "", ekspektasi_khusus: view.behaviour?.values[c]?.ekspektasi_khusus ?? "" }])));
  const [perilaku, setPerilaku] = useState(view.behaviour?.perilaku ?? "");
  const form = useForm();
  const { errors } = form;
  async function save(e: Event) {
    e.preventDefault();
    const found: Record<string, string> = {};
    for (const c of BERAKHLAK) if (!values[c].rating) found[`values.${c}.rating`] = tq("rateMissing");
    if (!perilaku) found.perilaku = tq("rateMissing");
    await form.submit(found, async () => {
      await api(`${PERFORMANCE}/skp/${view.skp_id}/behaviour`, {
        method: "POST",
        json: { period: view.period, perilaku, values: Object.fromEntries(BERAKHLAK.map((c) => [c, { rating: values[c].rating, ekspektasi_khusus: values[c].ekspektasi_khusus.trim() || null }])) },
      });
      onDone(tq("behaviourSaved"));
    });
  }
  return (
    <form onSubmit={save} noValidate aria-labelledby="behaviour-title">
      <h2 id="behaviour-title">{tq("behaviour")}</h2>
      <ErrorSummary items={form.summary} />
      {BERAKHLAK.map((c) => (
        <div class="row" key={c} data-testid="berakhlak">
          <Select id={`values.${c}.rating`} label={ts(`bk.${c}`)} error={errors[`values.${c}.rating`]} value={values[c].rating}
            onValue={(v) => setValues({ ...values, [c]: { ...values[c], rating: v } })} options={ratingOptions()} />
          <TextField id={`values.${c}.ekspektasi_khusus`} label={tq("expectation")} maxLength={2000} value={values[c].ekspektasi_khusus}
            onValue={(v) => setValues({ ...values, [c]: { ...values[c], ekspektasi_khusus: v } })} />
        </div>
      ))}
      <Select id="perilaku" label={ts("perilaku")} error={errors.perilaku} value={perilaku} onValue={setPerilaku} options={ratingOptions()} />
      <Button type="submit" variant="secondary" disabled={form.busy}>{tq("saveBehaviour")}</Button>
    </form>
  );
}

function Evaluate({ view, onDone }: { view: PeriodView; onDone: (text: string) => void }) {
  // Until chosen here, the ratings follow the data (the behaviour rating just saved gives perilaku).
  const [hasilChoice, setHasil] = useState<string | null>(null);
  const [perilakuChoice, setPerilaku] = useState<string | null>(null);
  const hasil = hasilChoice ?? view.evaluation?.hasil_kerja ?? "";
  const perilaku = perilakuChoice ?? view.behaviour?.perilaku ?? view.evaluation?.perilaku ?? "";
  const [note, setNote] = useState("");
  const form = useForm();
  const { errors } = form;
  const preview = predikatOf(hasil, perilaku);
  async function save(e: Event) {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!hasil) found.hasil_kerja = tq("rateMissing");
    if (!perilaku) found.perilaku = tq("rateMissing");
    await form.submit(found, async () => {
      const answer = await api<{ predikat: string }>(`${PERFORMANCE}/skp/${view.skp_id}/evaluations`, {
        method: "POST", json: { period: view.period, hasil_kerja: hasil, perilaku, note: note.trim() || null },
      });
      onDone(tq("evaluated", { predikat: answer.predikat }));
    });
  }
  return (
    <form onSubmit={save} noValidate aria-labelledby="evaluate-title">
      <h2 id="evaluate-title">{tq("evaluate")}</h2>
      <ErrorSummary items={form.summary} />
      <div class="row">
        <Select id="hasil_kerja" label={ts("hasilKerja")} error={errors.hasil_kerja} value={hasil} onValue={setHasil} options={ratingOptions()} />
        <Select id="eval_perilaku" label={ts("perilaku")} error={errors.perilaku} value={perilaku} onValue={setPerilaku} options={ratingOptions()} />
      </div>
      {preview && <p role="status" data-testid="predikat-preview">{tq("matrixSays", { predikat: preview })}</p>}
      <TextArea id="note" label={tq("evalNote")} rows={2} maxLength={5000} error={errors.note} value={note} onValue={setNote} />
      <Button type="submit" disabled={form.busy}>{tq("evaluate")}</Button>
    </form>
  );
}

function Respond({ view, onDone }: { view: PeriodView; onDone: (text: string) => void }) {
  const [text, setText] = useState("");
  const form = useForm();
  async function send(e: Event) {
    e.preventDefault();
    await form.submit(text.trim() ? {} : { response: tq("responseMissing") }, async () => {
      await api(`${PERFORMANCE}/skp/${view.skp_id}/evaluations/${view.period}/response`, { method: "POST", json: { response: text.trim() } });
      onDone(tq("responded"));
    });
  }
  return (
    <form onSubmit={send} noValidate>
      <h2>{tq("response")}</h2>
      <ErrorSummary items={form.summary} />
      <TextArea id="response" label={tq("response")} error={form.errors.response} value={text} onValue={setText} maxLength={5000} />
      <Button type="submit" variant="secondary" disabled={form.busy}>{tq("respond")}</Button>
    </form>
  );
}

function Attendance({ view }: { view: PeriodView }) {
  const a = view.attendance ?? {};
  const n = (k: string) => (typeof a[k] === "number" ? (a[k] as number) : 0);
  const leave = Object.values(a.leave_days ?? {}).reduce((x, y) => x + y, 0);
  return (
    <section aria-labelledby="attendance-title">
      <h2 id="attendance-title">{tq("attendance")}</h2>
      <div class="table-wrap">
        <table class="table data">
          <thead><tr><th class="num">{tq("att.working_days")}</th><th class="num">{tq("att.present")}</th>
            {["tl1", "tl2", "tl3", "tl4", "psw1", "psw2", "psw3", "psw4"].map((k) => <th key={k} class="num">{k.toUpperCase()}</th>)}
            <th class="num">{tq("att.tanpa_keterangan")}</th><th class="num">{tq("att.leave")}</th></tr></thead>
          <tbody><tr><td class="num">{n("working_days")}</td><td class="num">{n("present")}</td>
            {["tl1", "tl2", "tl3", "tl4", "psw1", "psw2", "psw3", "psw4"].map((k) => <td key={k} class="num">{n(k)}</td>)}
            <td class="num">{n("tanpa_keterangan")}</td><td class="num">{leave}</td></tr></tbody>
        </table>
      </div>
      <p class="muted small">{tq("att.settled", { n: n("settled_days") })}</p>
    </section>
  );
}
