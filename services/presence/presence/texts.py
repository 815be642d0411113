"""Messages more than one presence module answers, and the Indonesian side of what the pure domain
modules say in English (they cannot import sipk_shared; registered with ``sipk_shared.i18n`` so a
domain text reaching an answer is rendered in the request's language)."""
from __future__ import annotations

from sipk_shared import i18n
from sipk_shared.errors import ApiError
from sipk_shared.i18n import Msg

DOMAIN_TEXTS = {
    "unknown leave type {value}": "jenis izin/cuti tidak dikenal {value}",
    "start_date must be a date": "start_date harus berupa tanggal",
    "end_date must be a date": "end_date harus berupa tanggal",
    "end_date must not be before start_date": "end_date tidak boleh sebelum start_date",
    "a single {type} request may cover at most {days} days": "satu permohonan {type} paling lama {days} hari",
    "reason is required": "alasan wajib diisi",
    "reason longer than {n} characters": "alasan lebih dari {n} karakter",
    "spt_number must be a string": "spt_number harus berupa teks",
    "spt_number longer than {n} characters": "spt_number lebih dari {n} karakter",
    "dinas_luar requires the SPT (assignment letter) number": "dinas luar memerlukan nomor SPT (surat tugas)",
    "end must be later than start": "end harus lebih lambat dari start",
    "invalid time {value}, expected 'HH:MM' (00:00-23:59)": "jam {value} tidak valid, gunakan 'HH:MM' (00:00-23:59)",
    "unknown weekday key(s): {keys}": "kunci hari tidak dikenal: {keys}",
    "wfo_ratio must be greater than 0 and at most 1": "wfo_ratio harus lebih dari 0 dan paling besar 1",
}
i18n.register(DOMAIN_TEXTS)

NOT_SUBORDINATE = Msg("Pegawai itu bukan bawahan langsung Anda.", "That employee is not a direct subordinate.")
INVALID_NIP = Msg("NIP terdiri dari 18 angka.", "A NIP is 18 digits.")
INVALID_DATE = Msg("Tanggal harus YYYY-MM-DD.", "The date must be YYYY-MM-DD.")
NOT_A_DATE = Msg("Bukan tanggal yang valid.", "Not a valid date.")


def employee_unknown() -> ApiError:
    return ApiError(409, "employee_unknown",
                    Msg("Data kepegawaian Anda belum sampai ke layanan presensi; coba lagi sebentar lagi.",
                        "Your employee record has not reached the presence service yet; try again in a minute."))


def inactive_employee() -> ApiError:
    return ApiError(403, "inactive_employee", Msg("Akun pegawai ini tidak aktif.", "This employee account is not active."))


def checked_out_already(day: str) -> Msg:
    return Msg("Anda sudah presensi pulang pada {d}.", "You have already checked out on {d}.", d=day)


# ------------------------------------------------------------------ why a day counts as it does
_LEAVE_ID = {"izin": "izin", "sakit": "sakit", "cuti": "cuti", "dinas_luar": "dinas luar",
             "tugas_belajar": "tugas belajar"}
_LEAVE_EN = {"izin": "permission (izin)", "sakit": "sick leave", "cuti": "leave (cuti)",
             "dinas_luar": "official travel (dinas luar)", "tugas_belajar": "study leave (tugas belajar)"}
_REASONS = {
    "before_employment": ("Sebelum TMT ({active_from}): hari ini tidak dihitung.",
                          "Before the start of employment ({active_from}): the day is not counted."),
    "after_employment": ("Sesudah hari terakhir bekerja ({active_until}): hari ini tidak dihitung.",
                         "After the last day of employment ({active_until}): the day is not counted."),
    "between_employment": ("Di luar masa kerja (aktif kembali {active_from}): hari ini tidak dihitung.",
                           "Outside employment (active again from {active_from}): the day is not counted."),
    "approved_leave": ("Ada {leave} yang disetujui: tidak ada potongan.",
                       "An approved {leave_en} covers the day: no deduction."),
    "national_holiday": ("Hari libur: {name}.", "Holiday: {name}."),
    "cuti_bersama": ("Cuti bersama: {name}.", "Collective leave (cuti bersama): {name}."),
    "day_off": ("Bukan hari kerja menurut jadwal kantor.", "Not a working day in the office's schedule."),
    "no_check_in_yet": ("Belum presensi masuk hari ini.", "No check-in yet today."),
    "no_check_in": ("Tidak ada presensi masuk: tanpa keterangan, potongan {deduction_percent}%.",
                    "No check-in: absent without reason, {deduction_percent}% deduction."),
    "on_time": ("Masuk tepat waktu.", "Checked in on time."),
    "late": ("Terlambat {minutes} menit: {band}, potongan {deduction_percent}%.",
             "{minutes} minutes late: {band}, {deduction_percent}% deduction."),
    "no_check_out_yet": ("Belum presensi pulang.", "Not checked out yet."),
    "no_check_out": ("Tidak ada presensi pulang: dihitung {band}, potongan {deduction_percent}%.",
                     "No check-out: counts as {band}, {deduction_percent}% deduction."),
    "left_early": ("Pulang {minutes} menit lebih awal: {band}, potongan {deduction_percent}%.",
                   "Left {minutes} minutes early: {band}, {deduction_percent}% deduction."),
    "left_on_time": ("Pulang sesuai jadwal.", "Checked out on time."),
    # trust (docs/trust.md; domain.trust.trust_reasons)
    "pending_review": ("Presensi ditandai ({flags}) dan menunggu pemeriksaan atasan; sementara dihitung hadir.",
                       "Flagged ({flags}) and waiting for the supervisor's review; counted present meanwhile."),
    "check_in_rejected": ("Presensi ditolak atasan: dihitung tanpa keterangan.",
                          "The supervisor rejected the check-in: counted as absent without notice."),
    "review_accepted": ("Tanda pada presensi diperiksa dan diterima atasan.",
                        "The supervisor checked the flag and accepted the check-in."),
    "corrected": ("Dikoreksi ({kind}), disetujui oleh {approved_by}.", "Corrected ({kind}), approved by {approved_by}."),
}


def reason_text(code: str, params: dict) -> Msg:
    """The sentence of a day reason (domain.reasons) in both languages; an unknown code says its code."""
    id_text, en_text = _REASONS.get(code, (code, code))
    values = {k: ("-" if v is None else (f"{v:g}" if isinstance(v, float) else v)) for k, v in params.items()}
    leave = params.get("leave_type")
    values.update(leave=_LEAVE_ID.get(leave, leave), leave_en=_LEAVE_EN.get(leave, leave))
    return Msg(id_text, en_text, **values)
