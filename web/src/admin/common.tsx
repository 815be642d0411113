/** What the HR console's screens share: the side navigation, a pager, the unit list, the admin error
 * texts (registered when the console's code loads, so the phone's first load does not carry them). */
import type { ComponentChildren } from "preact";
import { api, IDENTITY, PRESENCE } from "../api/client";
import type { ApiFailure } from "../api/failure";
import { Button, PageTitle } from "../components/ui";
import { t, translator, type Lang } from "../i18n";
import type { Office as OfficeSummary } from "../lib/attendance";
import { registerErrorTexts } from "../lib/errors";
import { current } from "../lib/router";
import { ROUTES } from "../routes";
import "../wide.css";

export const at = translator({
  "back": ["Kembali", "Back"],
  "search": ["Cari", "Search"],
  "filter": ["Tampilkan", "Show"],
  "all": ["Semua", "All"],
  "none": ["Tidak ada data.", "Nothing here."],
  "page": ["Halaman {page} dari {pages} · {total} data", "Page {page} of {pages} · {total} items"],
  "prev": ["‹ Sebelumnya", "‹ Previous"],
  "next": ["Berikutnya ›", "Next ›"],
  "save": ["Simpan", "Save"],
  "saved": ["Tersimpan.", "Saved."],
  "delete": ["Hapus", "Delete"],
  "cancel": ["Batal", "Cancel"],
  "close": ["Tutup", "Close"],
  "edit": ["Ubah", "Edit"],
  "unit": ["Unit kerja", "Unit"],
  "chooseUnit": ["— pilih unit —", "— choose a unit —"],
  "noUnit": ["(tanpa induk)", "(no parent)"],
  "yes": ["Ya", "Yes"],
  "no": ["Tidak", "No"],
  "active": ["Aktif", "Active"],
  "inactive": ["Nonaktif", "Inactive"],
  "downloadCsv": ["Unduh CSV", "Download CSV"],
  "downloadXlsx": ["Unduh XLSX (Excel)", "Download XLSX (Excel)"],
  "consoleNav": ["Menu konsol BKPSDM", "BKPSDM console menu"],
  "month": ["Bulan", "Month"],
  "year": ["Tahun", "Year"],
  "date": ["Tanggal", "Date"],
  "from": ["Dari tanggal", "From"],
  "to": ["Sampai tanggal", "To"],
  "name": ["Nama", "Name"],
  "nip": ["NIP", "NIP"],
  "code": ["Kode", "Code"],
  "actions": ["Tindakan", "Actions"],
  "lineCol": ["Baris", "Line"],
  "errorCol": ["Kesalahan", "Error"],
  "err.supervisor_cycle": ["Atasan ini melapor (langsung atau tidak) kepada pegawai tersebut; rantai atasan tidak boleh melingkar.",
    "This supervisor reports (directly or not) to the employee; the supervisor chain must not loop."],
  "err.supervisor_self": ["Pegawai tidak dapat menjadi atasannya sendiri.", "An employee cannot be their own supervisor."],
  "err.unknown_supervisor": ["Tidak ada pegawai dengan NIP atasan ini.", "There is no employee with this supervisor NIP."],
  "err.inactive_supervisor": ["Atasan ini tidak aktif.", "This supervisor is not active."],
  "err.unknown_unit": ["Unit kerja {unit} tidak ada.", "The unit {unit} does not exist."],
  "err.unit_cycle": ["Unit tidak boleh berada di bawah dirinya sendiri atau unit bawahannya.", "A unit cannot sit under itself or one of its own sub-units."],
  "err.unit_exists": ["Kode unit ini sudah dipakai.", "This unit code is taken."],
  "err.employee_exists": ["Sudah ada pegawai dengan NIP ini.", "An employee with this NIP exists already."],
  "err.has_active_subordinates": ["Pegawai ini masih menjadi atasan langsung dari {n} pegawai aktif ({nips}). Pindahkan mereka ke atasan lain dulu.",
    "This employee is still the direct supervisor of {n} active employees ({nips}). Move them to another supervisor first."],
  "err.last_admin": ["Ini admin aktif terakhir; jadikan orang lain admin terlebih dahulu.", "This is the last active admin; make someone else admin first."],
  "err.invalid_nip": ["NIP tidak valid: {reason}", "Not a valid NIP: {reason}"],
  "err.invalid_unit_code": ["Kode unit: 1–32 huruf besar, angka, titik, garis bawah atau tanda hubung.", "Unit code: 1–32 capital letters, digits, dots, underscores or hyphens."],
  "err.csv_rejected": ["Berkas tidak dapat diimpor: {reason}", "The file cannot be imported: {reason}"],
  "err.invalid_csv": ["Berkas CSV tidak dapat dibaca: {reason}", "The CSV file cannot be read: {reason}"],
  "err.employee_not_found": ["Pegawai tidak ditemukan.", "Employee not found."],
  "err.unit_not_found": ["Unit kerja tidak ditemukan.", "Unit not found."],
  "err.office_exists": ["Kode kantor ini sudah dipakai.", "This office code is taken."],
  "err.unit_already_housed": ["Unit ini sudah berkantor di kantor lain: {units}. Satu unit hanya di satu kantor.",
    "These units are already housed in another office: {units}. A unit is housed in one office only."],
  "err.holiday_exists": ["Tanggal ini sudah terdaftar sebagai hari libur.", "This date is a holiday already."],
  "err.no_staff": ["Unit ini tidak memiliki pegawai aktif.", "This unit has no active employees."],
  "err.no_office_unit": ["Unit ini belum berkantor di kantor mana pun, jadi hari kerjanya belum diketahui. Tambahkan unit ke sebuah kantor dulu.",
    "This unit is not housed in any office, so its working days are unknown. Add the unit to an office first."],
  "err.day_not_ended": ["Hari ini belum berakhir di kantor mana pun; tutup hari setelah hari itu selesai.", "This day has not ended in any office yet; close it once it is over."],
  "err.pinned_not_in_staff": ["Pegawai yang dipatok harus pegawai aktif unit ini.", "Pinned employees must be active staff of the unit."],
});

type AT = Parameters<typeof at>[0];

const str = (v: unknown) => (typeof v === "string" ? v : "");

/** The console's error codes in words; null: not one of ours (the general texts apply). */
export function adminErrorText(failure: ApiFailure, lang?: Lang): string | null {
  const d = failure.details;
  const m = (key: AT, params?: Record<string, string | number>) => at(key, params, lang);
  switch (failure.code) {
    case "supervisor_cycle":
      return failure.serverMessage.includes("own supervisor") ? m("err.supervisor_self") : m("err.supervisor_cycle");
    case "unknown_unit":
      return m("err.unknown_unit", { unit: str(d.unit_code) || "?" });
    case "has_active_subordinates": {
      const subs = Array.isArray(d.subordinates) ? d.subordinates.map(String) : [];
      return m("err.has_active_subordinates", { n: subs.length, nips: subs.slice(0, 5).join(", ") + (subs.length > 5 ? ", …" : "") });
    }
    case "invalid_nip":
      return m("err.invalid_nip", { reason: str(d.reason) || failure.serverMessage });
    case "csv_rejected":
    case "invalid_csv":
      return m(`err.${failure.code}`, { reason: failure.serverMessage });
    case "unit_already_housed": {
      const units = d.units && typeof d.units === "object" ? Object.entries(d.units as Record<string, unknown>).map(([u, o]) => `${u} (${String(o)})`).join(", ") : "";
      return m("err.unit_already_housed", { units });
    }
    case "inactive_supervisor": case "unknown_supervisor": case "unit_cycle": case "unit_exists": case "employee_exists":
    case "last_admin": case "invalid_unit_code": case "employee_not_found": case "unit_not_found": case "office_exists":
    case "holiday_exists": case "no_staff": case "day_not_ended": case "pinned_not_in_staff":
      return m(`err.${failure.code}` as AT);
  }
  return null;
}

registerErrorTexts(adminErrorText);

/** The console's frame: its own navigation beside (1280 px) or above (768 px) the screen. */
export function Console({ title, children, back }: { title: ComponentChildren; children: ComponentChildren; back?: string }) {
  const path = current.value.path;
  const items = ROUTES.filter((r) => r.section === "admin" && r.nav === "menu");
  const owner = items.filter((r) => path === r.path || path.startsWith(r.path + "/")).sort((a, b) => b.path.length - a.path.length)[0]?.path;
  return (
    <div class="console">
      <nav class="console-nav" aria-label={at("consoleNav")}>
        <ul>
          <li><a href="/admin" aria-current={path === "/admin" ? "page" : undefined}>{t("nav.adminSection")}</a></li>
          {items.map((r) => <li key={r.path}><a href={r.path} aria-current={owner === r.path ? "page" : undefined}>{t(r.title)}</a></li>)}
        </ul>
      </nav>
      <div class="console-body">
        {back && <p class="no-print"><a href={back}>{at("back")}</a></p>}
        <PageTitle>{title}</PageTitle>
        {children}
      </div>
    </div>
  );
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}

export function Pager({ page, pageSize, total, onPage }: { page: number; pageSize: number; total: number; onPage: (p: number) => void }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <div class="pager">
      <Button variant="secondary" class="small" disabled={page <= 1} onClick={() => onPage(page - 1)}>{at("prev")}</Button>
      <span role="status">{at("page", { page, pages, total })}</span>
      <Button variant="secondary" class="small" disabled={page >= pages} onClick={() => onPage(page + 1)}>{at("next")}</Button>
    </div>
  );
}

export interface Unit {
  code: string;
  name: string;
  parent_code: string | null;
}

/** Every page of a paginated list (units, offices: tens to a few hundred in a regency), for the pickers. */
async function allPages<T>(path: string): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; page <= 50; page++) {
    const answer = await api<Page<T>>(`${path}?page=${page}&page_size=200`);
    out.push(...answer.items);
    if (out.length >= answer.total || !answer.items.length) break;
  }
  return out;
}

export async function allUnits(): Promise<Unit[]> {
  return (await allPages<Unit>(`${IDENTITY}/units`)).sort((a, b) => a.code.localeCompare(b.code));
}

/** An office as the console edits it: the check-in app's view plus the units it houses. */
export interface Office extends OfficeSummary {
  unit_codes: string[];
}

export async function allOffices(): Promise<Office[]> {
  return (await allPages<Office>(`${PRESENCE}/offices`)).sort((a, b) => a.code.localeCompare(b.code));
}

export function unitOptions(units: Unit[] | undefined, empty: string) {
  return [{ value: "", label: empty }, ...(units ?? []).map((u) => ({ value: u.code, label: `${u.code} — ${u.name}` }))];
}

/** Query string from the non-empty values. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** A minimal CSV reader (RFC 4180 quotes, comma or semicolon) for showing the lines of an upload. */
export function parseCsv(text: string): string[][] {
  const body = text.replace(/^\uFEFF/, "");
  const firstLine = body.split(/\r?\n/, 1)[0] ?? "";
  const sep = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ";" : ",";
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) { row.push(cell); cell = ""; }
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && body[i + 1] === "\n") i++;
      row.push(cell); rows.push(row); row = []; cell = "";
    } else cell += c;
  }
  if (cell !== "" || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

export function toCsv(rows: string[][]): string {
  return rows.map((r) => r.map((c) => (/[",;\n\r]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(",")).join("\r\n") + "\r\n";
}
