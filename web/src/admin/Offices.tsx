/** Offices on a map: the list with every office's fence, and one office's form (point by click or drag
 * or typed, radius, GPS accuracy limit, time zone, units housed, WFH home radius). */
import { useState } from "preact/hooks";
import { api, PRESENCE } from "../api/client";
import { Button, ErrorSummary, LinkButton, LoadError, Loading, Notice, Select, TextField } from "../components/ui";
import { t, translator } from "../i18n";
import { errorText } from "../lib/errors";
import { navigateWith } from "../lib/flash";
import { useAsync } from "../lib/useAsync";
import { useForm } from "../lib/useForm";
import { allOffices, allUnits, at, Console, type Office } from "./common";
import { OfficeMap } from "./OfficeMap";

const to = translator({
  "intro": ["Setiap kantor dengan titik dan lingkaran radius presensinya.", "Every office with its point and check-in radius circle."],
  "new": ["Tambah kantor", "Add an office"],
  "units": ["Unit yang berkantor di sini", "Units housed here"],
  "radius": ["Radius presensi (m)", "Check-in radius (m)"],
  "accuracy": ["Batas akurasi GPS (m)", "GPS accuracy limit (m)"],
  "homeRadius": ["Radius rumah untuk WFH (m)", "WFH home radius (m)"],
  "timezone": ["Zona waktu", "Time zone"],
  "schedule": ["Jadwal kerja & jadwal khusus", "Working hours & date-range schedules"],
  "code": ["Kode kantor", "Office code"],
  "codeHint": ["Huruf, angka, - atau _; tidak bisa diubah nanti", "Letters, digits, - or _; cannot be changed later"],
  "name": ["Nama kantor", "Office name"],
  "lat": ["Lintang (latitude)", "Latitude"],
  "lon": ["Bujur (longitude)", "Longitude"],
  "pointHint": ["Klik pada peta, geser penanda, atau ketik koordinatnya.", "Click the map, drag the marker, or type the coordinates."],
  "radiusHint": ["10–1.000 m", "10–1,000 m"],
  "accuracyHint": ["Presensi ditolak bila akurasi GPS lebih buruk dari ini (1–5.000 m)", "Check-ins are refused when the GPS accuracy is worse than this (1–5,000 m)"],
  "homeHint": ["Pagar di sekitar lokasi rumah yang disetujui (10–1.000 m)", "The fence around an approved home location (10–1,000 m)"],
  "unitsHint": ["Satu unit hanya boleh di satu kantor.", "A unit is housed in one office only."],
  "elsewhere": ["(di {office})", "(at {office})"],
  "create": ["Simpan kantor", "Save the office"],
  "created": ["Kantor tersimpan.", "The office is saved."],
  "updated": ["Perubahan kantor tersimpan.", "The office's changes are saved."],
  "deleted": ["Kantor dihapus.", "The office was deleted."],
  "confirmDelete": ["Hapus kantor ini? Presensi lama tetap menyimpan kodenya.", "Delete this office? Past check-ins keep its code."],
  "missingCode": ["Isi kode kantor", "Enter the office code"],
  "missingName": ["Isi nama kantor", "Enter the office name"],
  "missingPoint": ["Tentukan titik kantor di peta atau ketik koordinatnya", "Set the office's point on the map or type its coordinates"],
  "badLat": ["Lintang antara -90 dan 90", "Latitude between -90 and 90"],
  "badLon": ["Bujur antara -180 dan 180", "Longitude between -180 and 180"],
  "badRange": ["Angka antara {min} dan {max}", "A number between {min} and {max}"],
  "colPoint": ["Titik", "Point"],
  "colUnits": ["Unit", "Units"],
  "none": ["Belum ada kantor.", "No office yet."],
});

const ZONES = [
  { value: "Asia/Jakarta", label: "WIB — Asia/Jakarta" },
  { value: "Asia/Makassar", label: "WITA — Asia/Makassar" },
  { value: "Asia/Jayapura", label: "WIT — Asia/Jayapura" },
];

export function Offices() {
  const offices = useAsync(allOffices);
  return (
    <Console title={t("nav.adminOffices")}>
      <p>{to("intro")}</p>
      <LinkButton href="/admin/kantor/baru">{to("new")}</LinkButton>
      {offices.error ? <LoadError error={offices.error} retry={offices.reload} /> : !offices.data ? <Loading /> : (
        <>
          <OfficeMap point={null} radius={0} others={offices.data}
            center={offices.data[0] ? [offices.data[0].latitude, offices.data[0].longitude] : undefined} />
          {!offices.data.length ? <p>{to("none")}</p> : (
            <div class="table-wrap">
              <table class="table data">
                <thead><tr><th>{at("code")}</th><th>{at("name")}</th><th>{to("colPoint")}</th><th class="num">{to("radius")}</th>
                  <th class="num">{to("accuracy")}</th><th>{to("timezone")}</th><th class="wrap">{to("colUnits")}</th></tr></thead>
                <tbody>
                  {offices.data.map((o) => (
                    <tr key={o.code} data-testid="office-row">
                      <td><a href={`/admin/kantor/${encodeURIComponent(o.code)}`}>{o.code}</a></td>
                      <td>{o.name}</td>
                      <td>{o.latitude.toFixed(6)}, {o.longitude.toFixed(6)}</td>
                      <td class="num">{o.radius_m}</td>
                      <td class="num">{o.max_accuracy_m}</td>
                      <td>{o.timezone}</td>
                      <td class="wrap">{o.unit_codes.join(", ") || "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </Console>
  );
}

function numberIn(text: string, min: number, max: number): number | null {
  if (!/^-?\d+([.,]\d+)?$/.test(text.trim())) return null;
  const n = Number(text.trim().replace(",", "."));
  return Number.isFinite(n) && n >= min && n <= max ? n : null;
}

export function OfficeEdit({ params }: { params: Record<string, string> }) {
  const editing = params.code ?? null;
  const data = useAsync(async () => {
    const [offices, units] = await Promise.all([allOffices(), allUnits()]);
    const office = editing ? await api<Office>(`${PRESENCE}/offices/${encodeURIComponent(editing)}`) : null;
    return { offices, units, office };
  }, [editing]);
  if (data.error) return <Console title={editing ?? to("new")} back="/admin/kantor"><LoadError error={data.error} retry={data.reload} /></Console>;
  if (!data.data) return <Console title={editing ?? to("new")} back="/admin/kantor"><Loading /></Console>;
  return <OfficeForm key={editing ?? "new"} {...data.data} />;
}

function OfficeForm({ offices, units, office }: { offices: Office[]; units: { code: string; name: string }[]; office: Office | null }) {
  const [code, setCode] = useState(office?.code ?? "");
  const [name, setName] = useState(office?.name ?? "");
  const [lat, setLat] = useState(office ? String(office.latitude) : "");
  const [lon, setLon] = useState(office ? String(office.longitude) : "");
  const [radius, setRadius] = useState(String(office?.radius_m ?? 50));
  const [accuracy, setAccuracy] = useState(String(office?.max_accuracy_m ?? 100));
  const [homeRadius, setHomeRadius] = useState(String(office?.home_radius_m ?? 100));
  const [zone, setZone] = useState(office?.timezone ?? "Asia/Jakarta");
  const [housed, setHoused] = useState<string[]>(office?.unit_codes ?? []);
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm();
  const { errors, busy } = form;
  const others = offices.filter((o) => o.code !== office?.code);
  const housedElsewhere = new Map(others.flatMap((o) => o.unit_codes.map((u) => [u, o.code] as const)));
  const point = numberIn(lat, -90, 90) !== null && numberIn(lon, -180, 180) !== null ? { lat: Number(lat.replace(",", ".")), lon: Number(lon.replace(",", ".")) } : null;
  const radiusValue = numberIn(radius, 10, 1000) ?? 0;

  async function submit(e: Event) {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!office && !code.trim()) found.code = to("missingCode");
    if (!name.trim()) found.name = to("missingName");
    if (!lat.trim() && !lon.trim()) found.latitude = to("missingPoint");
    else {
      if (numberIn(lat, -90, 90) === null) found.latitude = to("badLat");
      if (numberIn(lon, -180, 180) === null) found.longitude = to("badLon");
    }
    if (numberIn(radius, 10, 1000) === null) found.radius_m = to("badRange", { min: 10, max: 1000 });
    if (numberIn(accuracy, 1, 5000) === null) found.max_accuracy_m = to("badRange", { min: 1, max: 5000 });
    if (numberIn(homeRadius, 10, 1000) === null) found.home_radius_m = to("badRange", { min: 10, max: 1000 });
    await form.submit(found, async () => {
      const body = {
        name: name.trim(), latitude: point!.lat, longitude: point!.lon, radius_m: numberIn(radius, 10, 1000),
        max_accuracy_m: numberIn(accuracy, 1, 5000), home_radius_m: numberIn(homeRadius, 10, 1000), timezone: zone, unit_codes: housed,
      };
      if (office) {
        await api(`${PRESENCE}/offices/${encodeURIComponent(office.code)}`, { method: "PATCH", json: body });
        navigateWith(to("updated"), "/admin/kantor");
      } else {
        const made = await api<Office>(`${PRESENCE}/offices`, { method: "POST", json: { code: code.trim(), ...body } });
        navigateWith(to("created"), `/admin/kantor/${encodeURIComponent(made.code)}`);
      }
    });
  }

  async function remove() {
    if (!office || !confirm(to("confirmDelete"))) return;
    setProblem(null);
    try {
      await api(`${PRESENCE}/offices/${encodeURIComponent(office.code)}`, { method: "DELETE" });
      navigateWith(to("deleted"), "/admin/kantor");
    } catch (err) {
      setProblem(errorText(err));
    }
  }

  function toggle(unit: string, on: boolean) {
    setHoused((list) => (on ? [...list, unit].sort() : list.filter((u) => u !== unit)));
  }

  return (
    <Console title={office ? `${office.name} (${office.code})` : to("new")} back="/admin/kantor">
      {problem && <Notice kind="bad" role="alert"><p>{problem}</p></Notice>}
      <form onSubmit={submit} noValidate>
        <ErrorSummary items={form.summary} />
        <div class="row">
          {!office && <TextField id="code" label={to("code")} hint={to("codeHint")} error={errors.code} value={code} onValue={setCode} maxLength={40} />}
          <TextField id="name" label={to("name")} error={errors.name} value={name} onValue={setName} maxLength={200} />
        </div>
        <OfficeMap point={point} radius={radiusValue} others={others}
          onPoint={(la, lo) => { setLat(String(la)); setLon(String(lo)); }}
          center={point ? [point.lat, point.lon] : others[0] ? [others[0].latitude, others[0].longitude] : undefined} />
        <p class="hint">{to("pointHint")}</p>
        <div class="row">
          <TextField id="latitude" label={to("lat")} inputMode="decimal" error={errors.latitude} value={lat} onValue={setLat} />
          <TextField id="longitude" label={to("lon")} inputMode="decimal" error={errors.longitude} value={lon} onValue={setLon} />
        </div>
        <div class="row">
          <TextField id="radius_m" label={to("radius")} hint={to("radiusHint")} inputMode="numeric" error={errors.radius_m} value={radius} onValue={setRadius} />
          <TextField id="max_accuracy_m" label={to("accuracy")} hint={to("accuracyHint")} inputMode="numeric" error={errors.max_accuracy_m} value={accuracy} onValue={setAccuracy} />
          <TextField id="home_radius_m" label={to("homeRadius")} hint={to("homeHint")} inputMode="numeric" error={errors.home_radius_m} value={homeRadius} onValue={setHomeRadius} />
        </div>
        <Select id="timezone" label={to("timezone")} error={errors.timezone} value={zone} onValue={setZone}
          options={ZONES.some((z) => z.value === zone) ? ZONES : [...ZONES, { value: zone, label: zone }]} />
        <fieldset class={`field${errors.unit_codes ? " has-error" : ""}`} id="unit_codes" tabIndex={-1}>
          <legend>{to("units")}</legend>
          <span class="hint">{to("unitsHint")}</span>
          {errors.unit_codes && <span class="error-message">{errors.unit_codes}</span>}
          <div class="radios">
            {[...units, ...housed.filter((c) => !units.some((u) => u.code === c)).map((c) => ({ code: c, name: "" }))].map((u) => {
              const elsewhere = housedElsewhere.get(u.code);
              return (
                <label class="radio" key={u.code}>
                  <input type="checkbox" checked={housed.includes(u.code)} onChange={(e) => toggle(u.code, (e.target as HTMLInputElement).checked)} />
                  {u.code}{u.name && ` — ${u.name}`} {elsewhere && <span class="muted">{to("elsewhere", { office: elsewhere })}</span>}
                </label>
              );
            })}
          </div>
        </fieldset>
        <div class="button-group">
          <Button type="submit" disabled={busy}>{busy ? at("save") + "…" : to("create")}</Button>
          {office && <LinkButton href={`/admin/kantor/${encodeURIComponent(office.code)}/jadwal`} variant="secondary">{to("schedule")}</LinkButton>}
          {office && <Button variant="warning" onClick={remove}>{at("delete")}</Button>}
        </div>
      </form>
    </Console>
  );
}
