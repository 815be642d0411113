/** The audit log: who changed what and when, from identity (units, employees, imports, password
 * resets) and presence (offices, schedules, holidays, rosters, pins, overrides, the close), filterable. */
import { useState } from "preact/hooks";
import { api, IDENTITY, PRESENCE } from "../api/client";
import { Button, LoadError, Loading, Select, TextField } from "../components/ui";
import { lang, t, translator } from "../i18n";
import { current, navigate } from "../lib/router";
import { DEFAULT_ZONE } from "../lib/time";
import { useAsync } from "../lib/useAsync";
import { at, Console, Pager, qs, type Page } from "./common";

const ta = translator({
  "source": ["Sumber", "Source"],
  "identity": ["Kepegawaian (unit, pegawai, impor, kata sandi)", "Staff records (units, employees, imports, passwords)"],
  "presence": ["Presensi (kantor, jadwal, libur, roster, tutup hari)", "Attendance (offices, schedules, holidays, rosters, daily close)"],
  "entity": ["Jenis data", "Kind"],
  "entityId": ["Kode/NIP data", "Id"],
  "actor": ["Oleh (NIP admin)", "By (admin NIP)"],
  "action": ["Tindakan", "Action"],
  "when": ["Waktu", "When"],
  "changes": ["Perubahan", "Changes"],
  "request": ["ID permintaan", "Request id"],
  "onlyPresence": ["Hanya untuk sumber presensi", "Attendance source only"],
});

interface Entry { id: string; at: string; actor: string; action: string; entity: string; entity_id: string; changes: Record<string, unknown>; request_id: string | null }

const PAGE_SIZE = 25;
const ENTITIES = { identity: ["employee", "unit"], presence: ["office", "holiday", "employee", "roster", "leave_request", "home_location", "day"] } as Record<string, string[]>;

/** A value of an audit entry as words: lists joined, nested values as name=value, never JSON. */
export function plain(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (Array.isArray(value)) return value.map(plain).join(", ") || "—";
  if (typeof value === "object") return Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}=${plain(v)}`).join("; ");
  return String(value);
}

export function changeLines(changes: Record<string, unknown>): string[] {
  return Object.entries(changes ?? {}).map(([field, value]) => {
    if (value && typeof value === "object" && !Array.isArray(value) && "from" in value && "to" in value) {
      const v = value as { from: unknown; to: unknown };
      return `${field}: ${plain(v.from)} → ${plain(v.to)}`;
    }
    return `${field}: ${plain(value)}`;
  });
}

export function AuditLog() {
  const query = current.value.query;
  const source = query.get("source") === "presence" ? "presence" : "identity";
  const [src, setSrc] = useState(source);
  const [entity, setEntity] = useState(query.get("entity") ?? "");
  const [id, setId] = useState(query.get("id") ?? "");
  const [actor, setActor] = useState(query.get("actor") ?? "");
  const [action, setAction] = useState(query.get("action") ?? "");
  const page = Number(query.get("page") ?? "1") || 1;
  const list = useAsync(() => {
    const base = source === "presence" ? PRESENCE : IDENTITY;
    const filters = source === "presence" ? { actor: query.get("actor"), action: query.get("action") } : {};
    return api<Page<Entry>>(`${base}/audit${qs({ entity: query.get("entity"), id: query.get("id"), ...filters, page, page_size: PAGE_SIZE })}`);
  }, [query.toString()]);

  function show(nextPage = 1, e?: Event) {
    e?.preventDefault();
    navigate(`/admin/audit${qs({ source: src, entity, id: id.trim(), actor: src === "presence" ? actor.trim() : "", action: src === "presence" ? action.trim() : "", page: nextPage > 1 ? nextPage : undefined })}`, { replace: true });
  }
  const when = (iso: string) => new Intl.DateTimeFormat(lang.value === "en" ? "en-GB" : "id-ID", { dateStyle: "medium", timeStyle: "medium", timeZone: DEFAULT_ZONE }).format(new Date(iso));

  return (
    <Console title={t("nav.adminAudit")}>
      <form class="filters" onSubmit={(e) => show(1, e)} role="search">
        <Select id="source" label={ta("source")} value={src} onValue={(v) => { setSrc(v); setEntity(""); }}
          options={[{ value: "identity", label: ta("identity") }, { value: "presence", label: ta("presence") }]} />
        <Select id="entity" label={ta("entity")} value={entity} onValue={setEntity}
          options={[{ value: "", label: at("all") }, ...ENTITIES[src].map((e) => ({ value: e, label: e }))]} />
        <TextField id="entity_id" label={ta("entityId")} value={id} onValue={setId} maxLength={100} />
        {src === "presence" && <TextField id="actor" label={ta("actor")} hint={ta("onlyPresence")} inputMode="numeric" value={actor} onValue={setActor} maxLength={18} />}
        {src === "presence" && <TextField id="action" label={ta("action")} hint={ta("onlyPresence")} value={action} onValue={setAction} maxLength={40} />}
        <Button type="submit" class="small">{at("filter")}</Button>
      </form>
      {list.error ? <LoadError error={list.error} retry={list.reload} /> : !list.data ? <Loading /> : !list.data.items.length ? <p>{at("none")}</p> : (
        <>
          <div class="table-wrap">
            <table class="table data" data-testid="audit">
              <thead><tr><th>{ta("when")}</th><th>{ta("actor")}</th><th>{ta("action")}</th><th>{ta("entity")}</th><th>{ta("entityId")}</th><th class="wrap">{ta("changes")}</th></tr></thead>
              <tbody>
                {list.data.items.map((e) => (
                  <tr key={e.id} data-testid="audit-entry">
                    <td>{when(e.at)}</td>
                    <td><a href={`/admin/pegawai/${e.actor}`}>{e.actor}</a></td>
                    <td>{e.action}</td>
                    <td>{e.entity}</td>
                    <td>{e.entity === "employee" && /^\d{18}$/.test(e.entity_id) ? <a href={`/admin/pegawai/${e.entity_id}`}>{e.entity_id}</a> : e.entity_id}</td>
                    <td class="wrap">{changeLines(e.changes).map((l, i) => <div key={i} class="small">{l}</div>)}
                      {e.request_id && <div class="small muted">{ta("request")}: {e.request_id}</div>}</td>
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
