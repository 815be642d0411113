"""The official forms as printable HTML (Jinja2, autoescaped) and as PDF (WeasyPrint).

WeasyPrint renders the same HTML and print CSS with Debian's pango: one layout for
the screen, the printer and the PDF. Every user-written text reaches the page
through Jinja2's autoescaping (``select_autoescape`` on ``.html``), never as markup.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from .domain.skp import BERAKHLAK, BERAKHLAK_CODES

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
RATING_LABELS = {"di_atas": "Di Atas Ekspektasi", "sesuai": "Sesuai Ekspektasi", "di_bawah": "Di Bawah Ekspektasi"}
ASPECT_LABELS = {"kuantitas": "Kuantitas", "kualitas": "Kualitas", "waktu": "Waktu"}
LEAVE_LABELS = {"izin": "Izin", "sakit": "Sakit", "cuti": "Cuti", "dinas_luar": "Dinas Luar",
                "tugas_belajar": "Tugas Belajar"}
STATUS_LABELS = {"draft": "draf", "submitted": "diajukan", "approved": "disetujui", "returned": "dikembalikan"}


def _num(value: Any) -> str:
    """12.0 -> "12", 12.5 -> "12,5" (Indonesian decimal comma)."""
    if value is None:
        return "-"
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{number:g}".replace(".", ",")


_env = Environment(loader=PackageLoader("performance", "templates"), autoescape=select_autoescape(["html"]),
                   undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
_env.filters["num"] = _num


def long_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def skp_model(skp: dict[str, Any], rater: dict[str, Any] | None, today: date) -> dict[str, Any]:
    """What the SKP form shows: the approved version when there is one, else the current draft."""
    approved = skp.get("approved")
    return {"title": f"SKP {skp['year']} - {skp['employee'].get('name') or skp['nip']}", "year": skp["year"],
            "revision": approved["revision"] if approved else skp["revision"], "approved": bool(approved),
            "status": skp["status"], "status_label": STATUS_LABELS.get(skp["status"], skp["status"]),
            "employee": (approved or skp)["employee"], "rater": (approved or {}).get("rater") or rater,
            "items": (approved or skp)["items"], "place_date": long_date(today)}


def evaluation_model(view: dict[str, Any], today: date) -> dict[str, Any]:
    return {**view, "title": f"Evaluasi Kinerja {view['period_label']} - {view['employee'].get('name') or view['nip']}",
            "place_date": long_date(today)}


def render_html(kind: str, model: dict[str, Any]) -> str:
    template = _env.get_template(f"{kind}.html")
    return template.render(**model, ratings=RATING_LABELS, aspects=ASPECT_LABELS, leave_labels=LEAVE_LABELS,
                           berakhlak=list(zip(BERAKHLAK_CODES, BERAKHLAK)))


def _no_fetch(url: str, *args: Any, **kwargs: Any):
    """The forms need no outside resource; nothing a user wrote may make the server fetch a URL."""
    raise ValueError(f"documents fetch nothing ({url[:40]!r})")


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 - heavy import, only when a PDF is asked for

    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()
