"""Base marshmallow schemas: unknown fields are errors, never silently stored; dates and numbers stay sane."""
from __future__ import annotations

import re
from datetime import date, datetime

from marshmallow import INCLUDE, RAISE, Schema, ValidationError, fields, post_load, validate

from .i18n import Msg

# Every date an input may carry lies in this window: year 1 or 9999 are typing errors or probes,
# and date arithmetic near the ends of Python's range overflows.
MIN_YEAR = 1970
MAX_YEAR = 2100
_OUT_OF_WINDOW = Msg("Harus antara {lo}-01-01 dan {hi}-12-31.", "Must be between {lo}-01-01 and {hi}-12-31.",
                     lo=MIN_YEAR, hi=MAX_YEAR)


# A PATCH with nothing in it.
CHANGE_SOMETHING = Msg("Kirim paling sedikit satu isian yang diubah.", "Send at least one field to change.")


def in_date_window(value: date | datetime) -> bool:
    return MIN_YEAR <= value.year <= MAX_YEAR


# MongoDB stores integers in 8 bytes: a bigger one (a query's ?year=99999999999999999999) fails in
# the driver, so it is refused at the schema like a bad date.
INT64 = (-2**63, 2**63 - 1)
_OUT_OF_INT64 = Msg("Angkanya terlalu besar.", "The number is too large.")


def _problem(value) -> str | None:
    """Why a loaded value cannot be kept (a date outside the window, an integer beyond 64 bits)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (date, datetime)):
            if not in_date_window(item):
                return _OUT_OF_WINDOW
        elif isinstance(item, int) and not isinstance(item, bool):
            if not INT64[0] <= item <= INT64[1]:
                return _OUT_OF_INT64
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return None


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE
        ordered = True

    @post_load
    def _sane_values(self, data, **_kwargs):
        """Any date or datetime outside MIN_YEAR..MAX_YEAR, or integer beyond 64 bits, at any depth,
        is a 422 on its field."""
        if not isinstance(data, dict):
            return data
        errors = {}
        for name, value in data.items():
            problem = _problem(value)
            if problem:
                field = self.fields.get(name)
                errors[(field.data_key if field is not None and field.data_key else name)] = [problem]
        if errors:
            raise ValidationError(errors)
        return data


_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class Month(fields.String):
    """``YYYY-MM`` with the year in the date window; loads as the string."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        match = _MONTH.match(text)
        if match is None:
            raise ValidationError(Msg("Gunakan YYYY-MM, mis. 2026-03.", "Use YYYY-MM, e.g. 2026-03."))
        if not MIN_YEAR <= int(match.group(1)) <= MAX_YEAR:
            raise ValidationError(Msg("Tahun harus antara {lo} dan {hi}.", "The year must be between {lo} and {hi}.",
                                      lo=MIN_YEAR, hi=MAX_YEAR))
        return text


class Timestamp(fields.DateTime):
    """A timestamp in an answer (``sipk_shared.timestamps``): a datetime as UTC ``Z``; a string (a time
    already written in its office's zone) as it is, a ``+00:00`` offset as ``Z``."""

    def __init__(self, **kwargs):
        metadata = {"description": "ISO 8601 with an offset (UTC as Z)", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        from .timestamps import iso_utc, normalise

        if value is None:
            return None
        if isinstance(value, datetime):
            return iso_utc(value)
        return normalise(str(value))


def error_schema(name: str, **details: fields.Field) -> type[Schema]:
    """The error body with its documented details (an embedded document is a Nested of its own schema,
    so the answer carries only what that schema documents)."""
    return type(name, (ApiErrorSchema,), dict(details))


def dumped(schema: type[Schema], doc: dict | None) -> dict | None:
    """``doc`` as ``schema`` documents it (what an error embeds: no internal field leaves with it)."""
    return None if doc is None else schema().dump(doc)


class Text(fields.String):
    """An answer's text for people: a ``Msg`` is written in the request's language."""

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, Msg):
            from .i18n import request_language

            return value.text(request_language())
        return super()._serialize(value, attr, obj, **kwargs)


class PaginationQuerySchema(StrictSchema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


def page_schema(item_schema: type[Schema], name: str) -> type[Schema]:
    """{"items": [...], "total": N, "page": 1, "page_size": 50}"""
    return type(name, (Schema,), {
        "items": fields.List(fields.Nested(item_schema)),
        "total": fields.Integer(),
        "page": fields.Integer(),
        "page_size": fields.Integer(),
    })


class ApiErrorSchema(Schema):
    """The error body every service and the gateway answer (documentation only).

    Routes add details beside these keys (``distance_m``, ``radius_m``, ``retry_after_s``,
    ``state``, ``check_in``, ...), so the documented object is open (additionalProperties)."""

    class Meta:
        unknown = INCLUDE

    code = fields.Integer(required=True, metadata={"description": "The HTTP status"})
    status = fields.String(required=True, metadata={"description": "Its reason phrase"})
    message = fields.String(required=True, metadata={"description": "What went wrong, for people"})
    error = fields.String(required=True, metadata={"description": "Machine code, e.g. validation_failed"})
    errors = fields.Dict(keys=fields.String(), metadata={"description": "Per field: a list of messages"})
    retry_after_s = fields.Float(metadata={"description": "With 429/503: seconds to wait (also Retry-After)"})
    request_id = fields.String(metadata={"description": "The gateway's request id (errors the gateway answers)"})
