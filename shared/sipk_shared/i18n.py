"""Human texts in Bahasa Indonesia by default, English when the request prefers it.

One mechanism for every service (docs/platform.md, "Language of messages"):

* A text meant for people is a ``Msg``: both languages side by side where the error is raised,
  formatted there with its numbers::

      raise ApiError(403, "outside_geofence",
                     Msg("Anda berada {d} m dari kantor {office}; presensi hanya dalam radius {r} m.",
                         "You are {d} m from office {office}; check-in is allowed within {r} m.",
                         d=80, office="BKPSDM", r=50),
                     distance_m=80, ...)

  Why both texts at the raise site rather than a catalogue keyed by the error code: one code has
  several sentences (``validation_failed``, ``forbidden``, ``invalid_transition`` say different
  things in different places), the sentence is read beside the rule that raises it, and services
  adding messages never edit a shared table.
* ``Msg`` is a ``str`` (its value is the Indonesian text), so it goes wherever a string goes —
  marshmallow's ``ValidationError``, webargs, a dict — and anything that does not know about
  languages shows Indonesian, the default. The error handler (``sipk_shared.errors``) renders
  every ``Msg`` of the body in the request's language (``localize``).
* marshmallow's and webargs' own English field messages ("Missing data for required field.",
  "Unknown field.", "Longer than maximum length 100.", "Must be one of: WFO, WFH.") are translated
  when the body is rendered, by their templates (``FIELD_MESSAGES``), so a per-field message is
  Indonesian too without touching every schema.
* The language: ``Accept-Language`` with its q-values (werkzeug's parser; ``en-US`` counts as
  ``en``, ``q=0`` refuses a language, a tie or no preference goes to Indonesian). The machine
  ``error`` codes never change with the language.

No Flask import at module level: the pure parts (``Msg``, ``negotiate``, ``translate_field``) are
usable anywhere; ``request_language`` reads the current request when there is one.
"""
from __future__ import annotations

import re
from typing import Any

from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

SUPPORTED = ("id", "en")
DEFAULT = "id"


class Msg(str):
    """A text in both languages; its ``str`` value is the Indonesian one."""

    en: str

    def __new__(cls, id_text: str, en_text: str, /, **params: Any) -> "Msg":
        if params:
            id_text = id_text.format(**params)
            en_text = en_text.format(**params)
        obj = super().__new__(cls, id_text)
        obj.en = en_text
        return obj

    @property
    def id(self) -> str:
        return str.__str__(self)

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.id

    def __getnewargs__(self):  # copy / pickle keep both texts
        return (self.id, self.en)

    def __repr__(self) -> str:
        return f"Msg({self.id!r}, {self.en!r})"


def negotiate(header: str | None) -> str:
    """``id`` or ``en`` for an ``Accept-Language`` header (q-values honoured; default ``id``)."""
    if not header:
        return DEFAULT
    accept = parse_accept_header(header, LanguageAccept)
    return accept.best_match(list(SUPPORTED), default=DEFAULT) or DEFAULT


def request_language() -> str:
    """The current request's language (``id`` outside a request)."""
    from flask import g, has_request_context, request

    if not has_request_context():
        return DEFAULT
    lang = getattr(g, "sipk_lang", None)
    if lang is None:
        lang = g.sipk_lang = negotiate(request.headers.get("Accept-Language"))
    return lang


# ------------------------------------------------------------------ marshmallow's / webargs' texts
# English template (as the library formats it) -> Indonesian. ``{name}`` is any text.
FIELD_MESSAGES: dict[str, str] = {
    "Missing data for required field.": "Wajib diisi.",
    "Field may not be null.": "Tidak boleh kosong (null).",
    "Invalid value.": "Nilai tidak valid.",
    "Invalid type.": "Jenis data tidak valid.",
    "Invalid input type.": "Jenis masukan tidak valid.",
    "Invalid input.": "Masukan tidak valid.",
    "Unknown field.": "Isian tidak dikenal.",
    "Not a valid list.": "Bukan daftar (list) yang valid.",
    "Not a valid tuple.": "Bukan tuple yang valid.",
    "Not a valid string.": "Bukan teks yang valid.",
    "Not a valid utf-8 string.": "Bukan teks UTF-8 yang valid.",
    "Not a valid URL.": "Bukan URL yang valid.",
    "Not a valid email address.": "Bukan alamat email yang valid.",
    "Not a valid UUID.": "Bukan UUID yang valid.",
    "Not a valid number.": "Bukan angka yang valid.",
    "Number too large.": "Angka terlalu besar.",
    "Not a valid integer.": "Bukan bilangan bulat yang valid.",
    "Special numeric values (nan or infinity) are not permitted.": "Nilai NaN atau tak hingga tidak diizinkan.",
    "Not a valid boolean.": "Bukan nilai boolean (true/false) yang valid.",
    "Not a valid date.": "Bukan tanggal yang valid.",
    "Not a valid datetime.": "Bukan waktu (tanggal dan jam) yang valid.",
    "Not a valid time.": "Bukan jam yang valid.",
    "Not a valid {awareness} datetime.": "Bukan waktu {awareness} yang valid.",
    '"{input}" cannot be formatted as a date.': '"{input}" tidak dapat dibaca sebagai tanggal.',
    '"{input}" cannot be formatted as a datetime.': '"{input}" tidak dapat dibaca sebagai waktu.',
    "Not a valid mapping type.": "Bukan objek (mapping) yang valid.",
    "Must be one of: {choices}.": "Harus salah satu dari: {choices}.",
    "Must be equal to {other}.": "Harus sama dengan {other}.",
    "String does not match expected pattern.": "Teks tidak sesuai format yang diharapkan.",
    "One or more of the choices you made was not in: {choices}.": "Ada pilihan yang tidak termasuk: {choices}.",
    "One or more of the choices you made was in: {values}.": "Ada pilihan yang termasuk yang dilarang: {values}.",
    "Length must be between {min} and {max}.": "Panjang harus antara {min} dan {max}.",
    "Length must be {equal}.": "Panjang harus {equal}.",
    "Longer than maximum length {max}.": "Lebih panjang dari batas {max}.",
    "Shorter than minimum length {min}.": "Lebih pendek dari batas minimal {min}.",
    "Must be greater than or equal to {min} and less than or equal to {max}.":
        "Harus lebih besar dari atau sama dengan {min} dan lebih kecil dari atau sama dengan {max}.",
    "Must be greater than {min} and less than or equal to {max}.":
        "Harus lebih besar dari {min} dan lebih kecil dari atau sama dengan {max}.",
    "Must be greater than or equal to {min} and less than {max}.":
        "Harus lebih besar dari atau sama dengan {min} dan lebih kecil dari {max}.",
    "Must be greater than {min} and less than {max}.": "Harus lebih besar dari {min} dan lebih kecil dari {max}.",
    "Must be greater than or equal to {min}.": "Harus lebih besar dari atau sama dengan {min}.",
    "Must be greater than {min}.": "Harus lebih besar dari {min}.",
    "Must be less than or equal to {max}.": "Harus lebih kecil dari atau sama dengan {max}.",
    "Must be less than {max}.": "Harus lebih kecil dari {max}.",
    "Invalid JSON body.": "Isi permintaan bukan JSON yang valid.",
}


def _compile(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{\w+\})", template)
    pattern = "".join(f"(?P<{p[1:-1]}>.*?)" if re.fullmatch(r"\{\w+\}", p) else re.escape(p) for p in parts)
    return re.compile(f"^{pattern}$", re.DOTALL)


_PATTERNS = [(_compile(en), id_) for en, id_ in FIELD_MESSAGES.items()]


def register(templates: dict[str, str]) -> None:
    """Add English -> Indonesian templates: the texts of a service's pure domain modules (which
    cannot import this package) are English and translated like the libraries' messages."""
    for en, id_ in templates.items():
        if en not in FIELD_MESSAGES:
            _PATTERNS.append((_compile(en), id_))
        FIELD_MESSAGES[en] = id_


def from_english(text: str) -> Msg:
    """A domain module's English text as a ``Msg`` (Indonesian from the registered templates)."""
    if isinstance(text, Msg):
        return text
    return Msg(translate_field(text, "id"), text)


def translate_field(text: str, lang: str) -> str:
    """A library's English message in ``lang`` (unknown texts stay as they are)."""
    if isinstance(text, Msg):
        return text.text(lang)
    if lang == "en" or not isinstance(text, str):
        return text
    exact = FIELD_MESSAGES.get(text)
    if exact is not None:
        return exact
    for pattern, template in _PATTERNS:
        match = pattern.match(text)
        if match:
            return template.format(**match.groupdict())
    return text


def localize(value: Any, lang: str | None = None, *, field_messages: bool = False) -> Any:
    """``value`` with every ``Msg`` in it rendered in ``lang`` (default: the request's), at any
    depth; with ``field_messages`` plain strings are library field messages to translate too."""
    lang = lang or request_language()
    if isinstance(value, Msg):
        return value.text(lang)
    if isinstance(value, str):
        return translate_field(value, lang) if field_messages else value
    if isinstance(value, dict):
        return {key: localize(item, lang, field_messages=field_messages) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [localize(item, lang, field_messages=field_messages) for item in value]
    return value
