"""The Indonesian side of what the pure domain modules say in English (they cannot import
sipk_shared): registered with ``sipk_shared.i18n`` at start-up, so a domain text reaching an
answer is rendered in the request's language like every other message."""
from __future__ import annotations

from sipk_shared import i18n
from sipk_shared.i18n import Msg

from .domain.skp import ForbiddenAction, InvalidTransition

DOMAIN_TEXTS = {
    "You have no direct supervisor: an RHK cannot cascade from a supervisor's RHK.":
        "Anda tidak punya atasan langsung: RHK tidak dapat diturunkan dari RHK atasan.",
    "An RHK utama must name the RHK of your direct supervisor it supports.":
        "RHK utama harus menyebut RHK atasan langsung Anda yang didukungnya.",
    "Your direct supervisor has no approved SKP for this year yet.":
        "Atasan langsung Anda belum punya SKP yang disetujui untuk tahun ini.",
    "Not an RHK of your direct supervisor's approved SKP of this year.":
        "Bukan RHK pada SKP atasan langsung Anda tahun ini yang sudah disetujui.",
    "Rate every BerAKHLAK value.": "Nilai setiap nilai BerAKHLAK.",
    "Unknown BerAKHLAK value; use {codes}.": "Nilai BerAKHLAK tidak dikenal; gunakan {codes}.",
    "period must be one of {periods}, not {value}": "periode harus salah satu dari {periods}, bukan {value}",
    "unknown period {value}": "periode tidak dikenal {value}",
}
i18n.register(DOMAIN_TEXTS)

# Actions and states of the domain's transitions, as a sentence says them.
_ACTIONS_ID = {"start": "memulai", "submit": "mengajukan", "approve": "menyetujui", "revise": "meminta revisi",
               "return": "mengembalikan", "edit": "mengubah"}
_STATES_ID = {"assigned": "ditugaskan", "in_progress": "sedang dikerjakan", "submitted": "diajukan",
              "revision_requested": "diminta revisi", "approved": "disetujui", "pending": "menunggu keputusan",
              "returned": "dikembalikan", "draft": "draf"}


def transition_text(exc: InvalidTransition) -> Msg:
    """A refused transition in both languages (the domain says it in English only)."""
    action = _ACTIONS_ID.get(str(exc.action), str(exc.action))
    if isinstance(exc, ForbiddenAction):
        return Msg("Peran Anda tidak boleh {a} di sini.", "{en}", a=action, en=exc.reason)
    state = _STATES_ID.get(str(exc.current), str(exc.current))
    return Msg("Tidak dapat {a} karena statusnya {s}.", "{en}", a=action, s=state, en=exc.reason)
