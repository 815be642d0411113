"""marshmallow schemas of the trust routes: the review queue, devices, corrections (docs/trust.md)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from sipk_shared.schemas import PaginationQuerySchema, StrictSchema, Timestamp, page_schema

from .schemas import _HHMM, INVALID_NIP, NIP_RE, StrictBoolean, StrictString, _code

REVIEW_STATES = ["pending", "accepted", "rejected"]
DEVICE_STATES = ["bound", "pending", "rejected", "replaced", "unbound"]
CORRECTION_STATES = ["pending", "approved", "rejected"]
HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"


# ---------------------------------------------------------------- the review queue
class FlaggedQuerySchema(PaginationQuerySchema):
    from_ = fields.Date(data_key="from")
    to = fields.Date()
    unit_code = _code(metadata={"description": "admin: one unit's employees (supervisors: filters the team)"})
    status = StrictString(validate=validate.OneOf(REVIEW_STATES),
                          metadata={"description": "one review state (default: all three)"})


class ReviewInSchema(StrictSchema):
    accepted = StrictBoolean(required=True)
    note = StrictString(load_default="", validate=validate.Length(max=1000))


class FlaggedItemSchema(Schema):
    id = fields.String()
    nip = fields.String()
    name = fields.String(allow_none=True)
    date = fields.String()
    mode = fields.String(allow_none=True)
    office_code = fields.String(allow_none=True)
    checked_in_at = Timestamp(allow_none=True)
    checked_out_at = Timestamp(allow_none=True)
    late_minutes = fields.Integer()
    flags = fields.List(fields.String(), metadata={"description": "the check-in's signals"})
    check_out_flags = fields.List(fields.String(), metadata={"description": "the check-out's signals"})
    evidence = fields.Dict(metadata={"description": "{check_in: {...}, check_out: {...}}: accuracy_m, distance_m, "
                                                    "radius_m, inside_fraction, previous {label, at, distance_m, "
                                                    "seconds, speed_kmh}, position_age_s, queued_s, ahead_s, "
                                                    "device {fingerprint, state}, shared_with, repeated_on"})
    review = fields.String(allow_none=True)
    flagged_at = Timestamp(allow_none=True)
    reviewed_by = fields.String(allow_none=True)
    reviewed_at = Timestamp(allow_none=True)
    review_note = fields.String(allow_none=True)
    has_selfie = fields.Boolean()
    corrected = fields.Dict()


FlaggedPageSchema = page_schema(FlaggedItemSchema, "FlaggedPage")


# ---------------------------------------------------------------- devices
class DeviceSchema(Schema):
    id = fields.String()
    nip = fields.String()
    name = fields.String(allow_none=True)
    fingerprint = fields.String(allow_none=True, metadata={"description": "the first 12 hex digits of the SHA-256 "
                                                                         "of the app's device id"})
    label = fields.String(allow_none=True)
    state = fields.String(metadata={"description": " | ".join(DEVICE_STATES)})
    first_seen_at = Timestamp(allow_none=True)
    last_seen_at = Timestamp(allow_none=True)
    decided_by = fields.String(allow_none=True)
    decided_at = Timestamp(allow_none=True)
    note = fields.String(allow_none=True)


class DeviceListSchema(Schema):
    items = fields.List(fields.Nested(DeviceSchema))
    total = fields.Integer()


class DeviceQuerySchema(StrictSchema):
    status = StrictString(validate=validate.OneOf(DEVICE_STATES))
    unit_code = _code()
    nip = StrictString(validate=validate.Regexp(NIP_RE, error=INVALID_NIP),
                       metadata={"description": "one employee's devices (a direct subordinate; admin: anyone)"})


class DecisionInSchema(StrictSchema):
    approved = StrictBoolean(required=True)
    note = StrictString(load_default="", validate=validate.Length(max=1000))


# ---------------------------------------------------------------- corrections
class CorrectionInSchema(StrictSchema):
    date = fields.Date(required=True)
    kind = StrictString(required=True, validate=validate.OneOf(["check_in", "check_out"]))
    time = StrictString(required=True, validate=validate.Regexp(HHMM, error=_HHMM),
                        metadata={"description": "the office's wall-clock time it happened"})
    reason = StrictString(required=True, validate=validate.Length(min=3, max=500))
    photo = StrictString(validate=validate.Length(min=1, max=1_400_000),
                         metadata={"description": "optional evidence: a base64 JPEG or PNG"})


class CorrectionSchema(Schema):
    id = fields.String()
    nip = fields.String()
    name = fields.String(allow_none=True)
    date = fields.String()
    kind = fields.String()
    time = fields.String()
    reason = fields.String()
    state = fields.String()
    has_photo = fields.Boolean()
    created_at = Timestamp(allow_none=True)
    decided_by = fields.String(allow_none=True)
    decided_at = Timestamp(allow_none=True)
    note = fields.String(allow_none=True)
    applied = fields.Boolean(metadata={"description": "an approved correction changed the day"})
    month_used = fields.Integer(metadata={"description": "corrections of that month so far (in the 201 answer)"})
    month_limit = fields.Integer()


class CorrectionListSchema(Schema):
    items = fields.List(fields.Nested(CorrectionSchema))
    total = fields.Integer()


class CorrectionQuerySchema(StrictSchema):
    status = StrictString(validate=validate.OneOf(CORRECTION_STATES))


class TeamCorrectionQuerySchema(CorrectionQuerySchema):
    unit_code = _code()
