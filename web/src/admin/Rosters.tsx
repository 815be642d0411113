/** Rosters (presensi shift): generate a unit's WFO/WFH roster for a range with the WFO ratio, the unit x
 * dates matrix (WFO / WFH / leave, days off greyed), a cell changed by a click, pins, and each day's WFO
 * count against the quota ceil(ratio x staff available that day). */
import { useState } from "preact/hooks";
import { api, PRESENCE } from "../api/client";
import type { ApiFailure } from "../api/failure";
import { Button, ErrorSummary, LoadError, Loading, Notice, Select, Tag, TextField } from "../components/ui";
import { lang, t, translator } from "../i18n";
import { errorText } from "../lib/errors";
import { current, navigate } from "../lib/router";
import { addDays, DEFAULT_ZONE, todayIn } from "../lib/time";
import { useAsync } from "../lib/useAsync";
import { useForm } from "../lib/useForm";
import { allOffices, allUnits, at, Console, qs, unitOptions } from "./common";

const tr = translator({
  "intro": ["Buat jadwal WFO/WFH sebuah unit untuk hari kerja dalam rentang tanggal. Pegawai yang cuti pada suatu hari tidak dijadwalkan; pegawai yang dipatok tetap pada modenya.",
    "Generate a unit's WFO/WFH roster for the working days of a range. Staff on leave that day get no entry; pinned staff keep their mode."],
  "ratio": ["Rasio WFO", "WFO ratio"],
  "ratioHint": ["Bagian pegawai yang WFO tiap hari, lebih dari 0 sampai 1 (mis. 0,3 = 30 %)", "Share of staff in the office each day, above 0 up to 1 (e.g. 0.3 = 30 %)"],
  "generate": ["Buat jadwal", "Generate the roster"],
  "busy": ["Membuat…", "Generating…"],
  "show": ["Tampilkan jadwal", "Show the roster"],
  "generated": ["Jadwal dibuat: {staff} pegawai, {days} hari kerja, {entries} entri ({pinnedWfo} dipatok WFO, {pinnedWfh} dipatok WFH).",
    "Roster generated: {staff} staff, {days} working days, {entries} entries ({pinnedWfo} pinned WFO, {pinnedWfh} pinned WFH)."],
  "unitMissing": ["Pilih unit", "Choose a unit"],
  "dateMissing": ["Isi tanggal", "Enter the date"],
  "endBeforeStart": ["Tanggal akhir tidak boleh sebelum tanggal mulai", "The end cannot be before the start"],
  "ratioBad": ["Rasio antara 0 (tidak termasuk) dan 1, mis. 0,3", "A ratio above 0 up to 1, e.g. 0.3"],
  "matrix": ["Jadwal {unit}", "Roster of {unit}"],
  "legend": ["Klik sel hari kerja untuk menukar WFO ↔ WFH. Abu-abu: bukan hari kerja. Ungu: cuti/izin.", "Click a working day's cell to switch WFO ↔ WFH. Grey: not a working day. Purple: leave."],
  "wfoCount": ["WFO / kuota", "WFO / quota"],
  "quotaTitle": ["{wfo} WFO; kuota {quota} (rasio {ratio} × {available} pegawai tersedia)", "{wfo} WFO; quota {quota} (ratio {ratio} × {available} staff available)"],
  "quotaHeld": ["Kuota terpenuhi setiap hari kerja.", "The quota is held on every working day."],
  "quotaOff": ["Pada {n} hari jumlah WFO berbeda dari kuota (ditandai oranye).", "On {n} days the WFO count differs from the quota (marked orange)."],
  "cellLabel": ["{name}, {date}: {mode}. Klik untuk mengganti.", "{name}, {date}: {mode}. Click to change."],
  "changed": ["{name} pada {date} sekarang {mode}.", "{name} on {date} is now {mode}."],
  "noEntry": ["tanpa jadwal", "no entry"],
  "pins": ["Pegawai yang dipatok", "Pinned staff"],
  "pinsNone": ["Tidak ada pegawai yang dipatok di unit ini.", "Nobody in this unit is pinned."],
  "pinNew": ["Patok pegawai", "Pin an employee"],
  "pinWho": ["Pegawai", "Employee"],
  "pinChoose": ["— pilih pegawai —", "— choose —"],
  "pinMode": ["Selalu", "Always"],
  "pinReason": ["Alasan (mis. layanan depan, kesehatan)", "Reason (e.g. front desk, health)"],
  "pinSave": ["Simpan patokan", "Save the pin"],
  "pinRemove": ["Lepas", "Unpin"],
  "pinSaved": ["Patokan tersimpan; berlaku pada pembuatan jadwal berikutnya.", "The pin is saved; it applies from the next generation."],
  "pinRemoved": ["Patokan dilepas.", "The pin was removed."],
  "pinWhoMissing": ["Pilih pegawai", "Choose the employee"],
  "pinReasonMissing": ["Isi alasan (3–200 karakter)", "Give a reason (3–200 characters)"],
  "pinned": ["dipatok {mode}", "pinned {mode}"],
  "staff": ["Pegawai", "Staff"],
});

interface MatrixRow {
  nip: string;
  name: string | null;
  days: Record<string, string>;
  leave?: Record<string, string>;
}

interface Pin {
  nip: string;
  name: string | null;
  mode: "WFO" | "WFH";
  reason: string;
}

interface Generated {
  staff: number;
  entries: number;
  days: Record<string, { wfo: number; wfh: number }>;
  pinned_wfo: number;
  pinned_wfh: number;
}

const WEEKDAY_KEYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

function dates(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to && out.length < 93; d = addDays(d, 1)) out.push(d);
  return out;
}

function parseRatio(text: string): number | null {
  const n = Number(text.trim().replace(",", "."));
  return text.trim() && Number.isFinite(n) && n > 0 && n <= 1 ? n : null;
}

const rosterTexts = (failure: ApiFailure) => (failure.code === "no_office" ? at("err.no_office_unit") : null);

export function Rosters() {
  const query = current.value.query;
  const today = todayIn(DEFAULT_ZONE);
  const [unit, setUnit] = useState(query.get("unit") ?? "");
  const [from, setFrom] = useState(query.get("from") ?? today);
  const [to, setTo] = useState(query.get("to") ?? addDays(today, 13));
  const [ratio, setRatio] = useState(query.get("ratio") ?? "0,3");
  const [generated, setGenerated] = useState<Generated | null>(null);
  const units = useAsync(allUnits);
  const form = useForm({ ctx: { override: rosterTexts } });
  const { errors, busy } = form;
  const shown = query.get("unit") ? { unit: query.get("unit")!, from: query.get("from") ?? today, to: query.get("to") ?? addDays(today, 13) } : null;

  function check(): Record<string, string> {
    const found: Record<string, string> = {};
    if (!unit) found.unit_code = tr("unitMissing");
    if (!from) found.start_date = tr("dateMissing");
    if (!to) found.end_date = tr("dateMissing");
    else if (from && to < from) found.end_date = tr("endBeforeStart");
    return found;
  }

  function showMatrix(e?: Event) {
    e?.preventDefault();
    const found = check();
    form.submit(found, async () => {
      navigate(`/admin/roster${qs({ unit, from, to, ratio })}`, { replace: true });
    });
  }

  async function generate() {
    const found = check();
    const value = parseRatio(ratio);
    if (value === null) found.wfo_ratio = tr("ratioBad");
    setGenerated(null);
    await form.submit(found, async () => {
      const run = await api<Generated>(`${PRESENCE}/rosters/generate`, {
        method: "POST", json: { unit_code: unit, start_date: from, end_date: to, wfo_ratio: value },
      });
      setGenerated(run);
      navigate(`/admin/roster${qs({ unit, from, to, ratio, run: Date.now() })}`, { replace: true });
    });
  }

  return (
    <Console title={t("nav.adminRosters")}>
      <p>{tr("intro")}</p>
      <form onSubmit={showMatrix} noValidate>
        <ErrorSummary items={form.summary} />
        <div class="filters">
          <Select id="unit_code" label={at("unit")} error={errors.unit_code} value={unit} onValue={setUnit} options={unitOptions(units.data, at("chooseUnit"))} />
          <TextField id="start_date" type="date" label={at("from")} error={errors.start_date} value={from} onValue={setFrom} />
          <TextField id="end_date" type="date" label={at("to")} error={errors.end_date} value={to} onValue={setTo} />
          <TextField id="wfo_ratio" label={tr("ratio")} hint={tr("ratioHint")} inputMode="decimal" error={errors.wfo_ratio} value={ratio} onValue={setRatio} widthClass="width-10" />
        </div>
        <div class="button-group">
          <Button onClick={generate} disabled={busy}>{busy ? tr("busy") : tr("generate")}</Button>
          <Button type="submit" variant="secondary">{tr("show")}</Button>
        </div>
      </form>
      {generated && (
        <Notice kind="ok" role="status"><p data-testid="roster-generated">{tr("generated", {
          staff: generated.staff, days: Object.keys(generated.days).length, entries: generated.entries,
          pinnedWfo: generated.pinned_wfo, pinnedWfh: generated.pinned_wfh,
        })}</p></Notice>
      )}
      {shown && <Matrix key={query.toString()} unit={shown.unit} from={shown.from} to={shown.to} ratio={parseRatio(query.get("ratio") ?? "") ?? parseRatio(ratio)} />}
    </Console>
  );
}

function Matrix({ unit, from, to, ratio }: { unit: string; from: string; to: string; ratio: number | null }) {
  const data = useAsync(async () => {
    const year = Number(from.slice(0, 4));
    const years = [...new Set([year, Number(to.slice(0, 4))])];
    const [matrix, pins, offices, ...holidays] = await Promise.all([
      api<{ items: MatrixRow[] }>(`${PRESENCE}/rosters${qs({ unit_code: unit, from, to })}`),
      api<{ items: Pin[] }>(`${PRESENCE}/rosters/pins${qs({ unit_code: unit })}`),
      allOffices(),
      ...years.map((y) => api<{ items: { date: string; name: string }[] }>(`${PRESENCE}/holidays?year=${y}`)),
    ]);
    const office = offices.find((o) => o.unit_codes.includes(unit)) ?? null;
    const schedule = office ? await api<{ days: Record<string, unknown> }>(`${PRESENCE}/offices/${encodeURIComponent(office.code)}/schedule`) : null;
    return { rows: matrix.items, pins: pins.items, schedule, holidays: new Set(holidays.flatMap((h) => h.items.map((i) => i.date))) };
  }, [unit, from, to]);
  const [rows, setRows] = useState<MatrixRow[] | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  if (data.error) return <LoadError error={data.error} retry={data.reload} />;
  if (!data.data) return <Loading />;
  const current = rows ?? data.data.rows;
  const days = dates(from, to);
  const { schedule, holidays, pins } = data.data;
  const pinOf = new Map(pins.map((p) => [p.nip, p]));
  const L = lang.value;
  const working = (d: string) => {
    if (holidays.has(d)) return false;
    if (current.some((r) => r.days[d])) return true;
    const weekday = WEEKDAY_KEYS[new Date(`${d}T12:00:00Z`).getUTCDay()];
    return schedule ? schedule.days[weekday] !== null && schedule.days[weekday] !== undefined : weekday !== "sat" && weekday !== "sun";
  };
  const quota = (d: string) => {
    const available = current.filter((r) => !r.leave?.[d]).length;
    return { available, quota: ratio === null ? null : Math.ceil(ratio * available - 1e-9), wfo: current.filter((r) => r.days[d] === "WFO").length };
  };
  const workDays = days.filter(working);
  const off = workDays.filter((d) => { const q = quota(d); return q.quota !== null && q.wfo !== q.quota; });

  async function flip(row: MatrixRow, day: string) {
    const next = row.days[day] === "WFO" ? "WFH" : "WFO";
    setMessage(null);
    try {
      await api(`${PRESENCE}/rosters/${row.nip}/${day}`, { method: "PUT", json: { mode: next } });
      setRows(current.map((r) => (r.nip === row.nip ? { ...r, days: { ...r.days, [day]: next } } : r)));
      setMessage({ ok: true, text: tr("changed", { name: row.name ?? row.nip, date: day, mode: next }) });
    } catch (err) {
      setMessage({ ok: false, text: errorText(err) });
    }
  }

  const head = (d: string) => {
    const date = new Date(`${d}T12:00:00Z`);
    return <>{new Intl.DateTimeFormat(L === "en" ? "en-GB" : "id-ID", { weekday: "short", timeZone: "UTC" }).format(date)}<br />{d.slice(8)}.{d.slice(5, 7)}</>;
  };

  return (
    <section aria-labelledby="matrix-title">
      <h2 id="matrix-title">{tr("matrix", { unit })}</h2>
      <p class="hint">{tr("legend")}</p>
      {message && <Notice kind={message.ok ? "ok" : "bad"} role={message.ok ? "status" : "alert"}><p>{message.text}</p></Notice>}
      {ratio !== null && workDays.length > 0 && current.some((r) => Object.keys(r.days).length) && (
        <p data-testid="quota-verdict"><strong>{off.length ? tr("quotaOff", { n: off.length }) : tr("quotaHeld")}</strong></p>
      )}
      <div class="table-wrap">
        <table class="table data matrix" data-testid="roster-matrix">
          <thead>
            <tr><th class="name">{tr("staff")}</th>{days.map((d) => <th key={d} class={`day${working(d) ? "" : " off"}`} scope="col">{head(d)}</th>)}</tr>
          </thead>
          <tbody>
            {current.map((r) => {
              const pin = pinOf.get(r.nip);
              return (
                <tr key={r.nip} data-testid="roster-row" data-nip={r.nip}>
                  <th class="name" scope="row"><a href={`/admin/pegawai/${r.nip}`}>{r.name ?? r.nip}</a>{pin && <> <Tag colour="yellow">{tr("pinned", { mode: pin.mode })}</Tag></>}</th>
                  {days.map((d) => {
                    const leave = r.leave?.[d];
                    const mode = r.days[d];
                    if (leave) return <td key={d} class="cell leave" data-day={d} title={leave}>{leave.slice(0, 2).toUpperCase()}</td>;
                    if (!working(d)) return <td key={d} class="cell off" data-day={d}>–</td>;
                    return (
                      <td key={d} class={`cell ${mode ?? ""}`} data-day={d}>
                        <button type="button" onClick={() => flip(r, d)} aria-label={tr("cellLabel", { name: r.name ?? r.nip, date: d, mode: mode ?? tr("noEntry") })}>{mode ?? "·"}</button>
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr>
              <th class="name" scope="row">{tr("wfoCount")}</th>
              {days.map((d) => {
                if (!working(d)) return <td key={d} class="off" />;
                const q = quota(d);
                const state = q.quota === null ? "" : q.wfo === q.quota ? "held" : "short";
                return (
                  <td key={d} class={state} data-testid="quota" data-day={d} data-wfo={q.wfo} data-quota={q.quota ?? ""}
                    title={q.quota === null ? undefined : tr("quotaTitle", { wfo: q.wfo, quota: q.quota, ratio: ratio ?? "", available: q.available })}>
                    {q.wfo}{q.quota !== null && <> / {q.quota}</>}
                  </td>
                );
              })}
            </tr>
          </tfoot>
        </table>
      </div>
      <Pins rows={current} pins={pins} onChange={data.reload} />
    </section>
  );
}

function Pins({ rows, pins, onChange }: { rows: MatrixRow[]; pins: Pin[]; onChange: () => void }) {
  const [who, setWho] = useState("");
  const [mode, setMode] = useState("WFO");
  const [reason, setReason] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const form = useForm();
  const { errors } = form;

  async function save(e: Event) {
    e.preventDefault();
    setDone(null);
    const found: Record<string, string> = {};
    if (!who) found.pin_nip = tr("pinWhoMissing");
    if (reason.trim().length < 3) found.reason = tr("pinReasonMissing");
    await form.submit(found, async () => {
      await api(`${PRESENCE}/rosters/pins/${who}`, { method: "PUT", json: { mode, reason: reason.trim() } });
      setDone(tr("pinSaved"));
      setWho(""); setReason("");
      onChange();
    });
  }

  async function remove(nip: string) {
    setDone(null);
    await form.submit({}, async () => {
      await api(`${PRESENCE}/rosters/pins/${nip}`, { method: "DELETE" });
      setDone(tr("pinRemoved"));
      onChange();
    });
  }

  return (
    <section aria-labelledby="pins-title">
      <h2 id="pins-title">{tr("pins")}</h2>
      {done && <Notice kind="ok" role="status"><p>{done}</p></Notice>}
      <ErrorSummary items={form.summary} />
      {!pins.length ? <p class="muted">{tr("pinsNone")}</p> : (
        <ul>
          {pins.map((p) => (
            <li key={p.nip} data-testid="pin">
              {p.name ?? p.nip}: <strong>{p.mode}</strong> — {p.reason}{" "}
              <Button variant="secondary" class="small" onClick={() => remove(p.nip)}>{tr("pinRemove")}</Button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={save} noValidate>
        <h3>{tr("pinNew")}</h3>
        <div class="filters">
          <Select id="pin_nip" label={tr("pinWho")} error={errors.pin_nip} value={who} onValue={setWho}
            options={[{ value: "", label: tr("pinChoose") }, ...rows.map((r) => ({ value: r.nip, label: r.name ?? r.nip }))]} />
          <Select id="pin_mode" label={tr("pinMode")} value={mode} onValue={setMode} options={[{ value: "WFO", label: "WFO" }, { value: "WFH", label: "WFH" }]} />
          <div class="grow"><TextField id="reason" label={tr("pinReason")} error={errors.reason} value={reason} onValue={setReason} maxLength={200} /></div>
          <Button type="submit" variant="secondary" class="small">{tr("pinSave")}</Button>
        </div>
      </form>
    </section>
  );
}
