/** The texts of the trust screens (corrections, devices, the supervisor's review), loaded with them only,
 * and their error codes in words. */
import type { ApiFailure } from "../api/failure";
import { metres, translator, type Lang } from "../i18n";
import { registerErrorTexts } from "../lib/errors";
import { clockWithZone, shortDate } from "../lib/time";

export const tt = translator({
  "corr.title": ["Koreksi presensi", "Attendance corrections"],
  "corr.intro": ["Lupa presensi pulang, HP mati, atau presensi tertahan karena jadwal yang salah? Ajukan koreksi; atasan langsung Anda yang memutuskan. Paling banyak {n} koreksi per bulan.",
    "Forgot to clock out, phone died, or a check-in blocked by a wrong roster? Ask for a correction; your direct supervisor decides. At most {n} corrections a month."],
  "corr.new": ["Ajukan koreksi", "Ask for a correction"],
  "corr.newTitle": ["Ajukan koreksi presensi", "Ask to correct attendance"],
  "corr.none": ["Belum ada pengajuan koreksi.", "No correction requests yet."],
  "corr.date": ["Tanggal", "Date"],
  "corr.kind": ["Yang dikoreksi", "What to correct"],
  "corr.kind.check_in": ["Presensi masuk", "Clock-in"],
  "corr.kind.check_out": ["Presensi pulang", "Clock-out"],
  "corr.time": ["Jam sebenarnya", "The actual time"],
  "corr.timeHint": ["Jam di kantor Anda, misalnya 16:05.", "Your office's time, e.g. 16:05."],
  "corr.reason": ["Alasan", "Reason"],
  "corr.reasonHint": ["Misalnya: lupa presensi pulang, HP mati, jadwal WFH salah.", "E.g. forgot to clock out, phone died, wrong WFH roster."],
  "corr.photo": ["Foto bukti (tidak wajib)", "Photo evidence (optional)"],
  "corr.photoHint": ["Misalnya foto daftar hadir manual. JPG atau PNG.", "E.g. a photo of the paper attendance list. JPG or PNG."],
  "corr.photoReady": ["Foto siap dikirim.", "Photo ready to send."],
  "corr.submit": ["Kirim pengajuan", "Send the request"],
  "corr.sent": ["Pengajuan koreksi terkirim. Atasan Anda akan memutuskannya.", "Correction request sent. Your supervisor will decide it."],
  "corr.dateMissing": ["Pilih tanggalnya.", "Choose the date."],
  "corr.kindMissing": ["Pilih yang dikoreksi.", "Choose what to correct."],
  "corr.timeMissing": ["Isi jamnya (JJ:MM).", "Enter the time (HH:MM)."],
  "corr.reasonMissing": ["Tulis alasannya (minimal 3 huruf).", "Write the reason (at least 3 letters)."],
  "corr.line": ["{kind} pukul {time}", "{kind} at {time}"],
  "corr.decisionNote": ["Catatan atasan: {note}", "Supervisor's note: {note}"],
  "corr.used": ["Koreksi bulan {month}: {used} dari {limit}.", "Corrections for {month}: {used} of {limit}."],
  "state.pending": ["Menunggu keputusan", "Pending"],
  "state.approved": ["Disetujui", "Approved"],
  "state.rejected": ["Ditolak", "Rejected"],
  "dev.title": ["Perangkat saya", "My devices"],
  "dev.intro": ["Presensi dikirim dari perangkat yang terikat dengan akun Anda. Perangkat pertama langsung terikat; presensi dari perangkat lain tetap tercatat tetapi ditandai sampai atasan menyetujui perangkat baru itu (perangkat lama lalu diganti). HP hilang? Minta BKPSDM melepas ikatannya.",
    "Check-ins are sent from the device bound to your account. The first device is bound at once; check-ins from another one are recorded but flagged until your supervisor approves the new device (which then replaces the old one). Lost your phone? Ask BKPSDM to unbind it."],
  "dev.none": ["Belum ada perangkat; perangkat ini akan terikat pada presensi pertama Anda.", "No device yet; this one is bound with your first check-in."],
  "dev.this": ["Perangkat ini", "This device"],
  "dev.noneYet": ["Belum ada perangkat.", "No devices yet."],
  "dev.unbind": ["Lepas ikatan", "Unbind"],
  "dev.unbound": ["Ikatan perangkat dilepas. Perangkat berikutnya yang dipakai pegawai ini akan terikat.", "The device is unbound. The next device this employee uses is bound."],
  "dev.confirmUnbind": ["Lepas ikatan perangkat ini (mis. HP hilang)?", "Unbind this device (e.g. a lost phone)?"],
  "dev.code": ["Kode perangkat", "Device code"],
  "dev.firstSeen": ["Pertama dipakai", "First used"],
  "dev.lastSeen": ["Terakhir dipakai", "Last used"],
  "dev.state.bound": ["Terikat", "Bound"],
  "dev.state.pending": ["Menunggu persetujuan atasan", "Waiting for your supervisor"],
  "dev.state.rejected": ["Ditolak", "Rejected"],
  "dev.state.replaced": ["Diganti perangkat baru", "Replaced by a new device"],
  "dev.state.unbound": ["Dilepas", "Unbound"],
  "rev.flagged": ["Presensi yang ditandai", "Flagged check-ins"],
  "rev.devices": ["Perangkat baru", "New devices"],
  "rev.corrections": ["Koreksi presensi", "Attendance corrections"],
  "rev.reasons": ["Alasan ditandai", "Why it was flagged"],
  "rev.evidence": ["Bukti", "Evidence"],
  "rev.onIn": ["Saat masuk", "At clock-in"],
  "rev.onOut": ["Saat pulang", "At clock-out"],
  "rev.accept": ["Terima (hadir)", "Accept (present)"],
  "rev.reject": ["Tolak (tanpa keterangan)", "Reject (absent)"],
  "rev.approveDevice": ["Setujui perangkat ini (mengganti yang lama)", "Approve this device (replaces the old one)"],
  "rev.rejectDevice": ["Tolak perangkat ini", "Reject this device"],
  "rev.selfie": ["Swafoto saat presensi masuk", "Selfie taken at clock-in"],
  "rev.selfieAlt": ["Swafoto {name} saat presensi masuk", "{name}'s selfie at clock-in"],
  "rev.photo": ["Foto bukti", "Photo evidence"],
  "rev.photoAlt": ["Foto bukti koreksi {name}", "{name}'s correction evidence"],
  "rev.approveCorrection": ["Setujui koreksi", "Approve the correction"],
  "rev.rejectCorrection": ["Tolak koreksi", "Reject the correction"],
  "rev.ev.distance": ["{d} m dari pusat kantor (radius {r} m)", "{d} m from the office centre (radius {r} m)"],
  "rev.ev.accuracy": ["akurasi GPS ±{a} m", "GPS accuracy ±{a} m"],
  "rev.ev.fraction": ["{p} % lingkaran akurasi di dalam radius", "{p} % of the accuracy circle inside the radius"],
  "rev.ev.previous": ["posisi sebelumnya ({what}, {when}): {d} dalam {t} → {v} km/jam", "previous position ({what}, {when}): {d} in {t} → {v} km/h"],
  "rev.ev.prevIn": ["masuk", "clock-in"],
  "rev.ev.prevOut": ["pulang", "clock-out"],
  "rev.ev.age": ["umur posisi saat dikirim: {s} detik", "age of the position when sent: {s} s"],
  "rev.ev.queued": ["tiba {m} menit setelah direkam di HP", "arrived {m} minutes after it was recorded on the phone"],
  "rev.ev.ahead": ["waktu HP {s} detik lebih maju dari server", "the phone's time {s} s ahead of the server"],
  "rev.ev.device": ["perangkat {code}: {state}", "device {code}: {state}"],
  "rev.ev.dev.bound": ["perangkat terikat", "the bound device"],
  "rev.ev.dev.first": ["perangkat pertama (baru saja terikat)", "first device (bound just now)"],
  "rev.ev.dev.other": ["bukan perangkat yang terikat", "not the bound device"],
  "rev.ev.dev.rejected": ["perangkat yang pernah ditolak", "a device rejected before"],
  "rev.ev.dev.elsewhere": ["terikat pada pegawai lain", "bound to another employee"],
  "rev.ev.dev.missing": ["tidak ada kode perangkat", "no device code sent"],
  "rev.ev.shared": ["perangkat yang sama dipakai {n} pegawai lain hari ini", "the same device was used by {n} other employee(s) today"],
  "rev.ev.repeated": ["titik persis sama dengan presensi tanggal {date}", "exactly the same point as on {date}"],
  "err.correction_limit": ["Batas {limit} koreksi per bulan untuk {month} sudah terpakai.", "The limit of {limit} corrections a month is used up for {month}."],
  "err.correction_exists": ["Sudah ada koreksi yang sama untuk tanggal itu (menunggu atau disetujui).", "There is already such a correction for that date (pending or approved)."],
  "err.leave_day": ["Tanggal itu tertutup izin/cuti yang disetujui; tidak perlu dikoreksi.", "That date is covered by approved leave; there is nothing to correct."],
  "err.check_in_rejected": ["Presensi tanggal itu ditolak atasan; hari itu tidak dapat dikoreksi.", "The check-in of that date was rejected; the day cannot be corrected."],
  "err.not_flagged": ["Presensi ini tidak ditandai.", "This check-in was not flagged."],
  "err.future_time": ["Jam itu belum terjadi.", "That time has not come yet."],
  "err.too_old": ["Tanggal itu terlalu lama untuk dikoreksi.", "That date is too long ago to correct."],
  "err.not_a_working_day": ["Tanggal itu bukan hari kerja di kantor Anda.", "That date is not a working day at your office."],
  "err.before_check_in": ["Jam pulang harus setelah jam masuk.", "The clock-out time must be after the clock-in."],
  "err.after_check_out": ["Jam masuk harus sebelum jam pulang.", "The clock-in time must be before the clock-out."],
  "err.not_checked_in": ["Belum ada presensi masuk pada tanggal itu; ajukan atau putuskan koreksi presensi masuk dahulu.",
    "There is no clock-in on that date; ask for (or decide) the clock-in correction first."],
});

export type TT = Parameters<typeof tt>[0];

const CODES: Record<string, true> = Object.fromEntries(["correction_limit", "correction_exists", "leave_day", "check_in_rejected",
  "not_flagged", "future_time", "too_old", "not_a_working_day", "before_check_in", "after_check_out"].map((c) => [c, true]));

registerErrorTexts((failure: ApiFailure, lang?: Lang) => {
  const d = failure.details;
  if (failure.code === "correction_limit") {
    return tt("err.correction_limit", { limit: String(d.limit ?? "?"), month: String(d.month ?? "") }, lang);
  }
  return CODES[failure.code] ? tt(`err.${failure.code}` as TT, {}, lang) : null;
});

export interface Evidence {
  accuracy_m?: number;
  distance_m?: number;
  radius_m?: number;
  inside_fraction?: number;
  previous?: { label?: string | null; at?: string; distance_m?: number; seconds?: number; speed_kmh?: number };
  position_age_s?: number | null;
  queued_s?: number;
  ahead_s?: number;
  device?: { fingerprint?: string | null; state?: string };
  shared_with?: number;
  repeated_on?: string;
}

const num = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

function span(seconds: number, L: Lang): string {
  if (seconds < 120) return L === "en" ? `${Math.round(seconds)} s` : `${Math.round(seconds)} detik`;
  if (seconds < 7200) return L === "en" ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds / 60)} menit`;
  return L === "en" ? `${(seconds / 3600).toFixed(1)} h` : `${(seconds / 3600).toFixed(1).replace(".", ",")} jam`;
}

function distance(m: number, L: Lang): string {
  return m >= 1000 ? `${(m / 1000).toFixed(1)} km` : `${metres(m, L)} m`;
}

/** The evidence of a flagged record as short sentences (never JSON). */
export function evidenceLines(e: Evidence, tz: string, L: Lang): string[] {
  const out: string[] = [];
  if (num(e.distance_m) && num(e.radius_m)) out.push(tt("rev.ev.distance", { d: metres(e.distance_m, L), r: metres(e.radius_m, L) }, L));
  if (num(e.accuracy_m)) {  // a decimal below 10 m: an implausible 0.4 m must not read as 0 or 1
    const a = new Intl.NumberFormat(L === "en" ? "en-GB" : "id-ID", { maximumFractionDigits: e.accuracy_m < 10 ? 1 : 0 });
    out.push(tt("rev.ev.accuracy", { a: a.format(e.accuracy_m) }, L));
  }
  if (num(e.inside_fraction) && e.inside_fraction < 1) out.push(tt("rev.ev.fraction", { p: Math.round(e.inside_fraction * 100) }, L));
  const p = e.previous;
  if (p && num(p.distance_m) && num(p.seconds) && num(p.speed_kmh)) {
    const [kind, day] = (p.label ?? "").split(" ");
    const what = tt(kind === "check_out" ? "rev.ev.prevOut" : "rev.ev.prevIn", {}, L);
    const when = p.at ? `${day ? shortDate(day, L) + " " : ""}${clockWithZone(p.at, tz, L)}` : "—";
    out.push(tt("rev.ev.previous", { what, when, d: distance(p.distance_m, L), t: span(p.seconds, L), v: Math.round(p.speed_kmh) }, L));
  }
  if (num(e.position_age_s)) out.push(tt("rev.ev.age", { s: Math.round(e.position_age_s) }, L));
  if (num(e.queued_s) && e.queued_s >= 60) out.push(tt("rev.ev.queued", { m: Math.round(e.queued_s / 60) }, L));
  if (num(e.ahead_s) && e.ahead_s > 0) out.push(tt("rev.ev.ahead", { s: Math.round(e.ahead_s) }, L));
  if (e.device?.state) {
    const key = `rev.ev.dev.${e.device.state}` as TT;
    out.push(tt("rev.ev.device", { code: e.device.fingerprint ?? "—", state: key in DEVICE_STATES ? tt(key, {}, L) : e.device.state }, L));
  }
  if (num(e.shared_with) && e.shared_with > 0) out.push(tt("rev.ev.shared", { n: e.shared_with }, L));
  if (e.repeated_on) out.push(tt("rev.ev.repeated", { date: shortDate(e.repeated_on, L) }, L));
  return out;
}

const DEVICE_STATES: Record<string, true> = Object.fromEntries(["bound", "first", "other", "rejected", "elsewhere", "missing"]
  .map((s) => [`rev.ev.dev.${s}`, true]));
