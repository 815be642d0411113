/** Units (unit kerja): the list with search and parent filter, a new unit, rename or move one. */
import { useState } from "preact/hooks";
import { api, IDENTITY } from "../api/client";
import { Button, ErrorSummary, LoadError, Loading, Notice, Select, TextField } from "../components/ui";
import { t, translator } from "../i18n";
import { current, navigate } from "../lib/router";
import { useAsync } from "../lib/useAsync";
import { useForm } from "../lib/useForm";
import { allUnits, at, Console, Pager, qs, unitOptions, type Page, type Unit } from "./common";

const tu = translator({
  "q": ["Kode atau nama", "Code or name"],
  "parent": ["Unit induk", "Parent unit"],
  "new": ["Unit baru", "New unit"],
  "code": ["Kode unit", "Unit code"],
  "codeHint": ["Huruf besar, angka, titik, _ atau -; mis. DISDIK", "Capitals, digits, dot, _ or -; e.g. DISDIK"],
  "name": ["Nama unit", "Unit name"],
  "create": ["Simpan unit", "Save the unit"],
  "created": ["Unit tersimpan.", "The unit is saved."],
  "updated": ["Perubahan unit tersimpan.", "The unit's changes are saved."],
  "missingCode": ["Isi kode unit", "Enter the unit code"],
  "missingName": ["Isi nama unit", "Enter the unit name"],
  "editTitle": ["Ubah unit {code}", "Change unit {code}"],
  "employees": ["pegawai", "employees"],
});

const PAGE_SIZE = 25;

export function Units() {
  const query = current.value.query;
  const [q, setQ] = useState(query.get("q") ?? "");
  const [parent, setParent] = useState(query.get("parent") ?? "");
  const page = Number(query.get("page") ?? "1") || 1;
  const units = useAsync(allUnits);
  const list = useAsync(() => api<Page<Unit>>(`${IDENTITY}/units${qs({ q: query.get("q"), parent_code: query.get("parent"), page, page_size: PAGE_SIZE })}`),
    [query.toString()]);
  const [editing, setEditing] = useState<Unit | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  function show(nextPage = 1, e?: Event) {
    e?.preventDefault();
    navigate(`/admin/unit${qs({ q: q.trim(), parent, page: nextPage > 1 ? nextPage : undefined })}`, { replace: true });
  }
  function done(text: string) {
    setSaved(text);
    setEditing(null);
    list.reload();
    units.reload();
  }

  return (
    <Console title={t("nav.adminUnits")}>
      {saved && <Notice kind="ok" role="status"><p>{saved}</p></Notice>}
      <form class="filters" onSubmit={(e) => show(1, e)} role="search">
        <div class="grow"><TextField id="q" label={tu("q")} value={q} onValue={setQ} maxLength={100} /></div>
        <Select id="parent" label={tu("parent")} value={parent} onValue={setParent} options={unitOptions(units.data, at("all"))} />
        <Button type="submit" class="small">{at("search")}</Button>
      </form>
      {list.error ? <LoadError error={list.error} retry={list.reload} /> : !list.data ? <Loading /> : !list.data.items.length ? <p>{at("none")}</p> : (
        <>
          <div class="table-wrap">
            <table class="table data">
              <thead><tr><th>{at("code")}</th><th class="wrap">{at("name")}</th><th>{tu("parent")}</th><th>{at("actions")}</th></tr></thead>
              <tbody>
                {list.data.items.map((u) => (
                  <tr key={u.code} data-testid="unit-row">
                    <td>{u.code}</td>
                    <td class="wrap">{u.name}</td>
                    <td>{u.parent_code ?? "—"}</td>
                    <td>
                      <Button variant="secondary" class="small" onClick={() => setEditing(u)}>{at("edit")}</Button>
                      <a href={`/admin/pegawai?unit=${encodeURIComponent(u.code)}`}>{tu("employees")}</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={(p) => show(p)} />
        </>
      )}
      {editing ? <UnitForm key={editing.code} unit={editing} units={units.data ?? []} onDone={() => done(tu("updated"))} onCancel={() => setEditing(null)} />
        : <UnitForm key="new" unit={null} units={units.data ?? []} onDone={() => done(tu("created"))} />}
    </Console>
  );
}

function UnitForm({ unit, units, onDone, onCancel }: { unit: Unit | null; units: Unit[]; onDone: () => void; onCancel?: () => void }) {
  const [code, setCode] = useState(unit?.code ?? "");
  const [name, setName] = useState(unit?.name ?? "");
  const [parent, setParent] = useState(unit?.parent_code ?? "");
  const form = useForm();
  const { errors, busy } = form;

  async function submit(e: Event) {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!unit && !code.trim()) found.code = tu("missingCode");
    if (!name.trim()) found.name = tu("missingName");
    await form.submit(found, async () => {
      if (unit) {
        const changes: Record<string, unknown> = {};
        if (name.trim() !== unit.name) changes.name = name.trim();
        if ((parent || null) !== unit.parent_code) changes.parent_code = parent || null;
        if (Object.keys(changes).length) await api(`${IDENTITY}/units/${encodeURIComponent(unit.code)}`, { method: "PATCH", json: changes });
      } else {
        await api(`${IDENTITY}/units`, { method: "POST", json: { code: code.trim(), name: name.trim(), parent_code: parent || null } });
        setCode(""); setName(""); setParent("");
      }
      onDone();
    });
  }

  return (
    <form onSubmit={submit} noValidate>
      <h2>{unit ? tu("editTitle", { code: unit.code }) : tu("new")}</h2>
      <ErrorSummary items={form.summary} />
      <div class="row">
        {!unit && <TextField id="code" label={tu("code")} hint={tu("codeHint")} error={errors.code} value={code} onValue={setCode} maxLength={32} />}
        <TextField id="name" label={tu("name")} error={errors.name} value={name} onValue={setName} maxLength={400} />
        <Select id="parent_code" label={tu("parent")} error={errors.parent_code} value={parent} onValue={setParent}
          options={unitOptions(units.filter((u) => u.code !== unit?.code), at("noUnit"))} />
      </div>
      <div class="button-group">
        <Button type="submit" disabled={busy}>{busy ? t("form.saving") : unit ? at("save") : tu("create")}</Button>
        {onCancel && <Button variant="secondary" onClick={onCancel}>{at("cancel")}</Button>}
      </div>
    </form>
  );
}
