/** One employee: the supervisor chain (up to the top) and the direct subordinates, the edit form
 * (a loop in the chain is refused with the API's reason next to the field), deactivate / reactivate,
 * a password reset whose one-time password is shown once, the office override and the roster pin. */
import { useState } from "preact/hooks";
import { api, IDENTITY, PERFORMANCE, PRESENCE } from "../api/client";
import { ApiFailure } from "../api/failure";
import { Button, ErrorSummary, LoadError, Loading, Notice, Radios, Select, Summary, Tag, TextField } from "../components/ui";
import { t, translator } from "../i18n";
import { errorText } from "../lib/errors";
import { useAsync } from "../lib/useAsync";
import { useForm } from "../lib/useForm";
import { allOffices, allUnits, at, Console, unitOptions, type Office, type Page, type Unit } from "./common";
import { StatusTag } from "../skp/common";
import { te, type Employee } from "./Employees";
import { EmployeeDevices } from "../trust/Devices";

const td = translator({
  "chain": ["Rantai atasan", "Supervisor chain"],
  "chainTop": ["(puncak: tanpa atasan)", "(top: no supervisor)"],
  "subordinates": ["Bawahan langsung", "Direct subordinates"],
  "noSubordinates": ["Tidak ada bawahan langsung.", "No direct subordinates."],
  "edit": ["Ubah data", "Change the record"],
  "saved": ["Perubahan tersimpan.", "The changes are saved."],
  "nothing": ["Tidak ada yang berubah.", "Nothing changed."],
  "account": ["Akun", "Account"],
  "deactivate": ["Nonaktifkan pegawai", "Deactivate"],
  "reactivate": ["Aktifkan kembali", "Reactivate"],
  "deactivated": ["Pegawai dinonaktifkan; semua sesinya berakhir.", "The employee is deactivated; all their sessions ended."],
  "reactivated": ["Pegawai aktif kembali.", "The employee is active again."],
  "confirmDeactivate": ["Nonaktifkan pegawai ini? Ia tidak bisa masuk lagi.", "Deactivate this employee? They can no longer sign in."],
  "reset": ["Reset kata sandi", "Reset the password"],
  "confirmReset": ["Reset kata sandi pegawai ini? Semua sesinya berakhir.", "Reset this employee's password? All their sessions end."],
  "tempTitle": ["Kata sandi sementara", "Temporary password"],
  "tempBody": ["Berikan kepada pegawai secara langsung. Kata sandi ini hanya ditampilkan sekali ini; pegawai wajib menggantinya saat masuk.",
    "Hand it to the employee in person. It is shown this once only; the employee must change it when signing in."],
  "hasPassword": ["Kata sandi", "Password"],
  "pwdSet": ["sudah diatur", "set"],
  "pwdNone": ["belum ada (reset untuk membuatnya)", "none yet (reset to make one)"],
  "pwdChange": ["wajib diganti saat masuk", "must be changed at sign-in"],
  "office": ["Kantor presensi", "Check-in office"],
  "officeNow": ["Sekarang: {office}", "Now: {office}"],
  "officeNone": ["tidak ada kantor (unitnya belum berkantor)", "no office (the unit is not housed anywhere)"],
  "officeOverride": ["Kantor khusus (menggantikan kantor unit)", "Office override (instead of the unit's office)"],
  "officeByUnit": ["— ikut kantor unit —", "— the unit's office —"],
  "officeSave": ["Simpan kantor presensi", "Save the check-in office"],
  "saveEdit": ["Simpan perubahan", "Save the changes"],
  "officeSaved": ["Kantor presensi tersimpan.", "The check-in office is saved."],
  "viaOverride": ["(kantor khusus)", "(override)"],
  "viaUnit": ["(dari unit)", "(from the unit)"],
  "pin": ["Patok jadwal WFO/WFH", "Roster pin"],
  "pinHint": ["Pegawai yang dipatok selalu WFO (mis. layanan depan) atau selalu WFH (mis. alasan kesehatan) di setiap jadwal yang dibuat.",
    "A pinned employee is always WFO (e.g. the front desk) or always WFH (e.g. health reasons) in every generated roster."],
  "pinNone": ["Tidak dipatok.", "Not pinned."],
  "pinNow": ["Dipatok {mode}: {reason}", "Pinned {mode}: {reason}"],
  "pinMode": ["Selalu", "Always"],
  "pinReason": ["Alasan", "Reason"],
  "pinReasonMissing": ["Isi alasan (3–200 karakter)", "Give a reason (3–200 characters)"],
  "pinModeMissing": ["Pilih WFO atau WFH", "Choose WFO or WFH"],
  "pinSave": ["Simpan patokan", "Save the pin"],
  "pinDelete": ["Hapus patokan", "Remove the pin"],
  "pinSaved": ["Patokan tersimpan.", "The pin is saved."],
  "pinDeleted": ["Patokan dihapus.", "The pin was removed."],
  "skp": ["SKP {year}", "SKP {year}"],
  "skpNone": ["Belum ada SKP untuk tahun ini.", "No SKP for this year yet."],
  "skpOpen": ["Buka SKP", "Open the SKP"],
  "skpTop": ["Pegawai ini tidak memiliki atasan langsung: admin yang menyetujui SKP-nya.", "This employee has no direct supervisor: an admin approves their SKP."],
  "presenceUnknown": ["Data pegawai ini belum sampai di layanan presensi; coba lagi sebentar lagi.", "This employee has not reached the attendance service yet; try again shortly."],
});

interface EmployeeOffice {
  nip: string;
  unit_code: string | null;
  office_override: string | null;
  office: Office | null;
}

interface Pin {
  nip: string;
  mode: "WFO" | "WFH";
  reason: string;
}

async function chainOf(employee: Employee): Promise<Employee[]> {
  const chain: Employee[] = [];
  let next = employee.supervisor_nip;
  const seen = new Set([employee.nip]);
  while (next && !seen.has(next) && chain.length < 15) {
    seen.add(next);
    const boss = await api<Employee>(`${IDENTITY}/employees/${next}`);
    chain.push(boss);
    next = boss.supervisor_nip;
  }
  return chain;
}

export function EmployeeDetail({ params }: { params: Record<string, string> }) {
  const nip = params.nip;
  const person = useAsync(async () => {
    const employee = await api<Employee>(`${IDENTITY}/employees/${encodeURIComponent(nip)}`);
    const [chain, subs, units] = await Promise.all([
      chainOf(employee),
      api<Page<Employee>>(`${IDENTITY}/employees/${nip}/subordinates?page_size=200`),
      allUnits(),
    ]);
    return { employee, chain, subs: subs.items, units };
  }, [nip]);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const [temporary, setTemporary] = useState<string | null>(null);

  if (person.error) return <Console title={nip} back="/admin/pegawai"><LoadError error={person.error} retry={person.reload} /></Console>;
  if (!person.data) return <Console title={nip} back="/admin/pegawai"><Loading /></Console>;
  const { employee, chain, subs, units } = person.data;

  async function act(action: () => Promise<void>) {
    setNotice(null);
    try {
      await action();
    } catch (err) {
      setNotice({ ok: false, text: errorText(err) });
    }
  }

  const deactivate = () => act(async () => {
    if (!confirm(td("confirmDeactivate"))) return;
    await api(`${IDENTITY}/employees/${nip}/deactivate`, { method: "POST", json: {} });
    setNotice({ ok: true, text: td("deactivated") });
    person.reload();
  });
  const reactivate = () => act(async () => {
    await api(`${IDENTITY}/employees/${nip}/reactivate`, { method: "POST", json: {} });
    setNotice({ ok: true, text: td("reactivated") });
    person.reload();
  });
  const reset = () => act(async () => {
    if (!confirm(td("confirmReset"))) return;
    const answer = await api<{ temporary_password: string }>(`${IDENTITY}/employees/${nip}/password-reset`, { method: "POST", json: {} });
    setTemporary(answer.temporary_password);
  });

  return (
    <Console title={`${employee.name} (${employee.nip})`} back="/admin/pegawai">
      {notice && <Notice kind={notice.ok ? "ok" : "bad"} role={notice.ok ? "status" : "alert"}><p>{notice.text}</p></Notice>}
      {temporary && (
        <div class="notice ok" role="status" data-testid="temporary-password">
          <h2>{td("tempTitle")}</h2>
          <p><span class="secret">{temporary}</span></p>
          <p>{td("tempBody")}</p>
          <Button variant="secondary" class="small" onClick={() => setTemporary(null)}>{at("close")}</Button>
        </div>
      )}
      <h2>{td("chain")}</h2>
      <ol class="chain" data-testid="supervisor-chain">
        {[...chain].reverse().map((boss) => <li key={boss.nip}><a href={`/admin/pegawai/${boss.nip}`}>{boss.name}</a></li>)}
        <li><strong>{employee.name}</strong></li>
        {!chain.length && <li class="muted">{td("chainTop")}</li>}
      </ol>
      <h3>{td("subordinates")}</h3>
      {!subs.length ? <p class="muted">{td("noSubordinates")}</p> : (
        <ul>{subs.map((s) => <li key={s.nip}><a href={`/admin/pegawai/${s.nip}`}>{s.name}</a> · {s.position} {!s.active && <Tag colour="grey">{at("inactive")}</Tag>}</li>)}</ul>
      )}

      <EditForm key={JSON.stringify(employee)} employee={employee} units={units} onSaved={() => { setNotice({ ok: true, text: td("saved") }); person.reload(); }} />

      <h2>{td("account")}</h2>
      <Summary rows={[
        [te("status"), employee.active ? <Tag colour="green">{at("active")}</Tag> : <Tag colour="grey">{at("inactive")}</Tag>],
        [td("hasPassword"), <>{employee.has_password ? td("pwdSet") : td("pwdNone")}{employee.password_change_required ? ` · ${td("pwdChange")}` : ""}</>],
      ]} />
      <div class="button-group">
        <Button variant="secondary" onClick={reset}>{td("reset")}</Button>
        {employee.active ? <Button variant="warning" onClick={deactivate}>{td("deactivate")}</Button>
          : <Button variant="secondary" onClick={reactivate}>{td("reactivate")}</Button>}
      </div>

      <OfficeOverride nip={nip} />
      <RosterPin nip={nip} unit={employee.unit_code} />
      <SkpOf nip={nip} hasSupervisor={!!employee.supervisor_nip} />
      <EmployeeDevices nip={nip} />
    </Console>
  );
}

function EditForm({ employee, units, onSaved }: { employee: Employee; units: Unit[]; onSaved: () => void }) {
  const [name, setName] = useState(employee.name);
  const [unit, setUnit] = useState(employee.unit_code);
  const [position, setPosition] = useState(employee.position);
  const [supervisor, setSupervisor] = useState(employee.supervisor_nip ?? "");
  const [email, setEmail] = useState(employee.email ?? "");
  const [admin, setAdmin] = useState(employee.roles.includes("admin"));
  const [same, setSame] = useState(false);
  const form = useForm();
  const { errors, busy } = form;

  async function submit(e: Event) {
    e.preventDefault();
    setSame(false);
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = te("missingName");
    if (!position.trim()) found.position = te("missingPosition");
    const sup = supervisor.replace(/\s+/g, "");
    if (sup && !/^\d{18}$/.test(sup)) found.supervisor_nip = te("badSupervisor");
    const roles = admin ? ["employee", "admin"] : ["employee"];
    const changes: Record<string, unknown> = {};
    if (name.trim() !== employee.name) changes.name = name.trim();
    if (unit !== employee.unit_code) changes.unit_code = unit;
    if (position.trim() !== employee.position) changes.position = position.trim();
    if ((sup || null) !== employee.supervisor_nip) changes.supervisor_nip = sup || null;
    if ((email.trim() || null) !== employee.email) changes.email = email.trim() || null;
    if (admin !== employee.roles.includes("admin")) changes.roles = roles;
    await form.submit(found, async () => {
      if (!Object.keys(changes).length) { setSame(true); return; }
      await api(`${IDENTITY}/employees/${employee.nip}`, { method: "PATCH", json: changes });
      onSaved();
    });
  }

  return (
    <form onSubmit={submit} noValidate>
      <h2>{td("edit")}</h2>
      <ErrorSummary items={form.summary} />
      {same && <Notice role="status"><p>{td("nothing")}</p></Notice>}
      <div class="row">
        <TextField id="name" label={at("name")} error={errors.name} value={name} onValue={setName} maxLength={400} />
        <TextField id="position" label={te("position")} error={errors.position} value={position} onValue={setPosition} maxLength={400} />
      </div>
      <div class="row">
        <Select id="unit_code" label={at("unit")} error={errors.unit_code} value={unit} onValue={setUnit}
          options={unitOptions(units.some((u) => u.code === unit) ? units : [...units, { code: unit, name: "?", parent_code: null }], at("chooseUnit"))} />
        <TextField id="supervisor_nip" label={te("supervisor")} hint={te("supervisorHint")} inputMode="numeric" error={errors.supervisor_nip}
          value={supervisor} onValue={setSupervisor} maxLength={32} />
      </div>
      <TextField id="email" label={te("email")} error={errors.email} value={email} onValue={setEmail} maxLength={254} />
      <div class="field"><label class="radio"><input type="checkbox" id="roles" checked={admin} onChange={(e) => setAdmin((e.target as HTMLInputElement).checked)} />{te("admin")}</label></div>
      <Button type="submit" disabled={busy}>{busy ? t("form.saving") : td("saveEdit")}</Button>
    </form>
  );
}

function presenceText(err: unknown): string {
  return err instanceof ApiFailure && err.status === 404 ? td("presenceUnknown") : errorText(err);
}

function OfficeOverride({ nip }: { nip: string }) {
  const data = useAsync(async () => {
    const [where, offices] = await Promise.all([api<EmployeeOffice>(`${PRESENCE}/employees/${nip}/office`), allOffices()]);
    return { where, offices };
  }, [nip]);
  const [choice, setChoice] = useState<string | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  if (data.error) return <><h2>{td("office")}</h2><Notice kind="bad" role="alert"><p>{presenceText(data.error)}</p></Notice></>;
  if (!data.data) return <><h2>{td("office")}</h2><Loading /></>;
  const { where, offices } = data.data;
  const value = choice ?? where.office_override ?? "";

  async function save(e: Event) {
    e.preventDefault();
    setMessage(null);
    try {
      await api(`${PRESENCE}/employees/${nip}/office`, { method: "PUT", json: { office_code: value || null } });
      setMessage({ ok: true, text: td("officeSaved") });
      setChoice(null);
      data.reload();
    } catch (err) {
      setMessage({ ok: false, text: errorText(err) });
    }
  }

  return (
    <form onSubmit={save} noValidate>
      <h2>{td("office")}</h2>
      {message && <Notice kind={message.ok ? "ok" : "bad"} role={message.ok ? "status" : "alert"}><p>{message.text}</p></Notice>}
      <p data-testid="office-now">{td("officeNow", { office: where.office ? `${String(where.office.name)} (${String(where.office.code)}) ${where.office_override ? td("viaOverride") : td("viaUnit")}` : td("officeNone") })}</p>
      <Select id="office_code" label={td("officeOverride")} value={value} onValue={setChoice}
        options={[{ value: "", label: td("officeByUnit") }, ...offices.map((o) => ({ value: o.code, label: `${o.code} — ${o.name}` }))]} />
      <Button type="submit" variant="secondary">{td("officeSave")}</Button>
    </form>
  );
}

function RosterPin({ nip, unit }: { nip: string; unit: string }) {
  const pins = useAsync(() => api<{ items: Pin[] }>(`${PRESENCE}/rosters/pins?unit_code=${encodeURIComponent(unit)}`), [nip, unit]);
  const pin = pins.data?.items.find((p) => p.nip === nip) ?? null;
  const [mode, setMode] = useState<string | null>(null);
  const [reason, setReason] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const form = useForm();
  const { errors } = form;
  const modeValue = mode ?? pin?.mode ?? "";
  const reasonValue = reason ?? pin?.reason ?? "";

  async function save(e: Event) {
    e.preventDefault();
    setMessage(null);
    const found: Record<string, string> = {};
    if (!modeValue) found.mode = td("pinModeMissing");
    if (reasonValue.trim().length < 3) found.reason = td("pinReasonMissing");
    await form.submit(found, async () => {
      await api(`${PRESENCE}/rosters/pins/${nip}`, { method: "PUT", json: { mode: modeValue, reason: reasonValue.trim() } });
      setMessage(td("pinSaved"));
      setMode(null); setReason(null);
      pins.reload();
    });
  }

  async function remove() {
    setMessage(null);
    await form.submit({}, async () => {
      await api(`${PRESENCE}/rosters/pins/${nip}`, { method: "DELETE" });
      setMessage(td("pinDeleted"));
      setMode(null); setReason(null);
      pins.reload();
    });
  }

  return (
    <form onSubmit={save} noValidate>
      <h2>{td("pin")}</h2>
      <p class="hint">{td("pinHint")}</p>
      {message && <Notice kind="ok" role="status"><p>{message}</p></Notice>}
      <ErrorSummary items={form.summary} />
      {pins.error ? <Notice kind="bad" role="alert"><p>{presenceText(pins.error)}</p></Notice> : !pins.data ? <Loading /> : (
        <>
          <p data-testid="pin-now">{pin ? td("pinNow", { mode: pin.mode, reason: pin.reason }) : td("pinNone")}</p>
          <Radios id="mode" legend={td("pinMode")} error={errors.mode} value={modeValue} onValue={setMode}
            options={[{ value: "WFO", label: "WFO" }, { value: "WFH", label: "WFH" }]} />
          <TextField id="reason" label={td("pinReason")} error={errors.reason} value={reasonValue} onValue={setReason} maxLength={200} />
          <div class="button-group">
            <Button type="submit" variant="secondary">{td("pinSave")}</Button>
            {pin && <Button variant="warning" onClick={remove}>{td("pinDelete")}</Button>}
          </div>
        </>
      )}
    </form>
  );
}

interface SkpSummary { id: string; status: string }

/** The employee's plan of this year; a head without supervisor has it approved here, by an admin. */
function SkpOf({ nip, hasSupervisor }: { nip: string; hasSupervisor: boolean }) {
  const year = new Date().getFullYear();
  const plans = useAsync(() => api<{ items: SkpSummary[] }>(`${PERFORMANCE}/skp?year=${year}&nip=${nip}`), [nip]);
  const skp = plans.data?.items[0];
  return (
    <section aria-labelledby="skp-title">
      <h2 id="skp-title">{td("skp", { year })}</h2>
      {!hasSupervisor && <p class="hint">{td("skpTop")}</p>}
      {plans.error ? <Notice kind="bad" role="alert"><p>{errorText(plans.error)}</p></Notice> : !plans.data ? <Loading /> : !skp ? <p class="muted">{td("skpNone")}</p> : (
        <p data-testid="employee-skp"><StatusTag status={skp.status} />{" "}
          <a href={`/skp/${skp.id}`}>{td("skpOpen")}</a></p>
      )}
    </section>
  );
}
