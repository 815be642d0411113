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

NOT_A_SUPERVISOR = Msg("Anda tidak punya bawahan langsung.", "You have no direct subordinates.")
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
