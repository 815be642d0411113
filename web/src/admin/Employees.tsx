/** Employees: the list (search by name or NIP, unit, active), and a new employee. */
import { useState } from "preact/hooks";
import { api, IDENTITY } from "../api/client";
import { Button, ErrorSummary, LinkButton, LoadError, Loading, Select, Tag, TextField } from "../components/ui";
import { t, translator } from "../i18n";
import { navigateWith } from "../lib/flash";
import { current, navigate } from "../lib/router";
import { useAsync } from "../lib/useAsync";
import { useForm } from "../lib/useForm";
import { allUnits, at, Console, Pager, qs, unitOptions, type Page } from "./common";

export interface Employee {
  nip: string;
  name: string;
  unit_code: string;
  position: string;
  supervisor_nip: string | null;
  email: string | null;
  roles: string[];
  active: boolean;
  password_change_required?: boolean;
  has_password?: boolean;
}

export const te = translator({
  "new": ["Tambah pegawai", "Add an employee"],
  "import": ["Impor dari CSV", "Import from CSV"],
  "q": ["Nama atau NIP", "Name or NIP"],
  "status": ["Status", "Status"],
  "position": ["Jabatan", "Position"],
  "supervisor": ["Atasan langsung (NIP)", "Direct supervisor (NIP)"],
  "supervisorHint": ["Kosongkan bila tidak punya atasan (kepala unit tertinggi)", "Leave empty when there is none (the top head)"],
  "email": ["Email (boleh kosong)", "Email (optional)"],
  "admin": ["Admin BKPSDM (boleh mengelola konsol ini)", "BKPSDM admin (may use this console)"],
  "password": ["Kata sandi awal (boleh kosong)", "Initial password (optional)"],
  "passwordHint": ["Tanpa kata sandi, pegawai baru bisa masuk setelah Anda mereset kata sandinya.", "Without one, the employee can sign in once you reset their password."],
  "nipHint": ["18 angka", "18 digits"],
  "create": ["Simpan pegawai", "Save the employee"],
  "created": ["Pegawai tersimpan.", "The employee is saved."],
  "missingNip": ["Isi NIP", "Enter the NIP"],
  "badNip": ["NIP terdiri dari 18 angka", "A NIP has 18 digits"],
  "missingName": ["Isi nama", "Enter the name"],
  "missingUnit": ["Pilih unit kerja", "Choose the unit"],
  "missingPosition": ["Isi jabatan", "Enter the position"],
  "badSupervisor": ["NIP atasan terdiri dari 18 angka", "A supervisor NIP has 18 digits"],
  "adminTag": ["admin", "admin"],
  "onlyActive": ["Hanya yang aktif", "Active only"],
  "onlyInactive": ["Hanya yang nonaktif", "Inactive only"],
});

const PAGE_SIZE = 25;

export function Employees() {
  const query = current.value.query;
  const [q, setQ] = useState(query.get("q") ?? "");
  const [unit, setUnit] = useState(query.get("unit") ?? "");
  const [active, setActive] = useState(query.get("active") ?? "");
  const page = Number(query.get("page") ?? "1") || 1;
  const units = useAsync(allUnits);
  const list = useAsync(() => api<Page<Employee>>(`${IDENTITY}/employees${qs({
    q: query.get("q"), unit_code: query.get("unit"), active: query.get("active"), page, page_size: PAGE_SIZE,
  })}`), [current.value.query.toString()]);

  function show(nextPage = 1, e?: Event) {
    e?.preventDefault();
    navigate(`/admin/pegawai${qs({ q: q.trim(), unit, active, page: nextPage > 1 ? nextPage : undefined })}`, { replace: true });
  }

  return (
    <Console title={t("nav.adminEmployees")}>
      <div class="button-group">
        <LinkButton href="/admin/pegawai/baru">{te("new")}</LinkButton>
        <LinkButton href="/admin/pegawai/impor" variant="secondary">{te("import")}</LinkButton>
      </div>
      <form class="filters" onSubmit={(e) => show(1, e)} role="search">
        <div class="grow"><TextField id="q" label={te("q")} value={q} onValue={setQ} maxLength={100} /></div>
        <Select id="unit" label={at("unit")} value={unit} onValue={setUnit} options={unitOptions(units.data, at("all"))} />
        <Select id="active" label={te("status")} value={active} onValue={setActive}
          options={[{ value: "", label: at("all") }, { value: "true", label: te("onlyActive") }, { value: "false", label: te("onlyInactive") }]} />
        <Button type="submit" class="small">{at("search")}</Button>
      </form>
      {list.error ? <LoadError error={list.error} retry={list.reload} /> : !list.data ? <Loading /> : !list.data.items.length ? <p>{at("none")}</p> : (
        <>
          <div class="table-wrap">
            <table class="table data">
              <thead><tr><th>{at("nip")}</th><th>{at("name")}</th><th>{at("unit")}</th><th class="wrap">{te("position")}</th>
                <th>{te("supervisor")}</th><th>{te("status")}</th></tr></thead>
              <tbody>
                {list.data.items.map((e) => (
                  <tr key={e.nip} data-testid="employee-row">
                    <td><a href={`/admin/pegawai/${e.nip}`}>{e.nip}</a></td>
                    <td>{e.name} {e.roles.includes("admin") && <Tag colour="purple">{te("adminTag")}</Tag>}</td>
                    <td>{e.unit_code}</td>
                    <td class="wrap">{e.position}</td>
                    <td>{e.supervisor_nip ? <a href={`/admin/pegawai/${e.supervisor_nip}`}>{e.supervisor_nip}</a> : "—"}</td>
                    <td>{e.active ? <Tag colour="green">{at("active")}</Tag> : <Tag colour="grey">{at("inactive")}</Tag>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={(p) => show(p)} />
        </>
      )}
    </Console>
  );
}

export function EmployeeNew() {
  const units = useAsync(allUnits);
  const [nip, setNip] = useState("");
  const [name, setName] = useState("");
  const [unit, setUnit] = useState(current.value.query.get("unit") ?? "");
  const [position, setPosition] = useState("");
  const [supervisor, setSupervisor] = useState(current.value.query.get("supervisor") ?? "");
  const [email, setEmail] = useState("");
  const [admin, setAdmin] = useState(false);
  const [password, setPassword] = useState("");
  const form = useForm();
  const { errors, busy } = form;

  async function submit(e: Event) {
    e.preventDefault();
    const found: Record<string, string> = {};
    const cleanNip = nip.replace(/\s+/g, "");
    if (!cleanNip) found.nip = te("missingNip");
    else if (!/^\d{18}$/.test(cleanNip)) found.nip = te("badNip");
    if (!name.trim()) found.name = te("missingName");
    if (!unit) found.unit_code = te("missingUnit");
    if (!position.trim()) found.position = te("missingPosition");
    const sup = supervisor.replace(/\s+/g, "");
    if (sup && !/^\d{18}$/.test(sup)) found.supervisor_nip = te("badSupervisor");
    await form.submit(found, async () => {
      await api(`${IDENTITY}/employees`, {
        method: "POST",
        json: {
          nip: cleanNip, name: name.trim(), unit_code: unit, position: position.trim(), supervisor_nip: sup || null,
          email: email.trim() || null, roles: admin ? ["employee", "admin"] : ["employee"], ...(password ? { password } : {}),
        },
      });
      navigateWith(te("created"), `/admin/pegawai/${cleanNip}`);
    });
  }

  return (
    <Console title={t("nav.adminEmployeeNew")} back="/admin/pegawai">
      <form onSubmit={submit} noValidate>
        <ErrorSummary items={form.summary} />
        <div class="row">
          <TextField id="nip" label={at("nip")} hint={te("nipHint")} inputMode="numeric" error={errors.nip} value={nip} onValue={setNip} maxLength={32} />
          <TextField id="name" label={at("name")} error={errors.name} value={name} onValue={setName} maxLength={400} />
        </div>
        <div class="row">
          <Select id="unit_code" label={at("unit")} error={errors.unit_code} value={unit} onValue={setUnit} options={unitOptions(units.data, at("chooseUnit"))} />
          <TextField id="position" label={te("position")} error={errors.position} value={position} onValue={setPosition} maxLength={400} />
        </div>
        <div class="row">
          <TextField id="supervisor_nip" label={te("supervisor")} hint={te("supervisorHint")} inputMode="numeric" error={errors.supervisor_nip} value={supervisor} onValue={setSupervisor} maxLength={32} />
          <TextField id="email" label={te("email")} error={errors.email} value={email} onValue={setEmail} maxLength={254} />
        </div>
        <div class="field"><label class="radio"><input type="checkbox" id="roles" checked={admin} onChange={(e) => setAdmin((e.target as HTMLInputElement).checked)} />{te("admin")}</label></div>
        <TextField id="password" type="password" label={te("password")} hint={te("passwordHint")} error={errors.password} value={password} onValue={setPassword} autoComplete="new-password" />
        <Button type="submit" disabled={busy}>{busy ? t("form.saving") : te("create")}</Button>
      </form>
    </Console>
  );
}
