"""marshmallow schemas of the presence API: strict in (unknown fields -> 422), plain out."""
from __future__ import annotations

import math
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from sipk_shared.i18n import Msg, from_english
from sipk_shared.schemas import (CHANGE_SOMETHING, Month, PaginationQuerySchema, StrictSchema, Text, Timestamp,
                                 page_schema)

from ..domain.clock import is_valid_timezone
from ..domain.schedule import MAX_GRACE_MINUTES, WEEKDAYS, WeekSchedule
from ..texts import INVALID_NIP

_HHMM = Msg("Gunakan HH:MM.", "Use HH:MM.")

CODE_RE = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$"
NIP_RE = r"^\d{18}$"


class StrictFloat(fields.Float):
    """A JSON number only: strings ("50"), booleans, NaN and Infinity are refused."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.make_error("invalid", input=value)
        if isinstance(value, float) and not math.isfinite(value):
            raise self.make_error("special")
        return super()._deserialize(value, attr, data, **kwargs)


class StrictInteger(fields.Integer):
    """A JSON integer only: strings, booleans and 1.5 are refused."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid", input=value)
        return super()._deserialize(value, attr, data, **kwargs)


class StrictString(fields.String):
    """A string only (marshmallow already refuses dicts/lists); trims spaces."""

    def _deserialize(self, value, attr, data, **kwargs):
        result = super()._deserialize(value, attr, data, **kwargs)
        return result.strip() if isinstance(result, str) else result


def _code(**kwargs) -> StrictString:
    return StrictString(validate=validate.Regexp(CODE_RE, error=Msg("Gunakan 1-40 huruf, angka, '_' atau '-'.",
                                                                     "Use 1-40 letters, digits, '_' or '-'.")), **kwargs)


def _tz_validator(value: str) -> None:
    if not is_valid_timezone(value):
        raise ValidationError(Msg("Bukan nama zona waktu IANA (mis. Asia/Jakarta, Asia/Makassar, Asia/Jayapura).",
                                  "Not an IANA time zone name (e.g. Asia/Jakarta, Asia/Makassar, Asia/Jayapura)."))


LATITUDE = dict(validate=validate.Range(min=-90, max=90))
SELFIE_MODES = ["off", "optional", "required"]
LONGITUDE = dict(validate=validate.Range(min=-180, max=180))


# ---------------------------------------------------------------- schedules
class DayHoursSchema(StrictSchema):
    start = StrictString(required=True, validate=validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error=_HHMM))
    end = StrictString(required=True, validate=validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error=_HHMM))

    @validates_schema
    def _order(self, data, **_kwargs):
        if "start" in data and "end" in data and data["end"] <= data["start"]:
            raise ValidationError(Msg("end harus lebih lambat dari start.", "end must be later than start."), "end")


def _week_fields() -> dict:
    return {day: fields.Nested(DayHoursSchema, allow_none=True, load_default=None) for day in WEEKDAYS}


DaysSchema = type("DaysSchema", (StrictSchema,), _week_fields())


class WeekScheduleSchema(StrictSchema):
    days = fields.Nested(DaysSchema, required=True)
    grace_minutes = StrictInteger(load_default=0, validate=validate.Range(min=0, max=MAX_GRACE_MINUTES))

    @validates_schema
    def _domain(self, data, **_kwargs):
        if "days" in data:
            try:
                WeekSchedule.from_dict(data["days"], data.get("grace_minutes", 0))
            except ValueError as exc:
                raise ValidationError(from_english(str(exc)), "days") from None


class ScheduleOutSchema(Schema):
    days = fields.Dict()
    grace_minutes = fields.Integer()


class OverrideInSchema(WeekScheduleSchema):
    name = StrictString(required=True, validate=validate.Length(min=1, max=200))
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)

    @validates_schema
    def _range(self, data, **_kwargs):
        if "start_date" in data and "end_date" in data:
            if data["end_date"] < data["start_date"]:
                raise ValidationError(Msg("end_date tidak boleh sebelum start_date.",
                                          "end_date must not be before start_date."), "end_date")
            if (data["end_date"] - data["start_date"]).days > 366:
                raise ValidationError(Msg("Jadwal khusus paling lama 367 hari.", "An override covers at most 367 days."),
                                      "end_date")


class OverrideOutSchema(Schema):
    id = fields.String()
    office_code = fields.String()
    name = fields.String()
    start_date = fields.String()
    end_date = fields.String()
    days = fields.Dict()
    grace_minutes = fields.Integer()


class OverrideListSchema(Schema):
    items = fields.List(fields.Nested(OverrideOutSchema))
    total = fields.Integer()


# ---------------------------------------------------------------- offices
class OfficeCreateSchema(StrictSchema):
    code = _code(required=True)
    name = StrictString(required=True, validate=validate.Length(min=1, max=200))
    latitude = StrictFloat(required=True, **LATITUDE)
    longitude = StrictFloat(required=True, **LONGITUDE)
    radius_m = StrictFloat(load_default=50.0, validate=validate.Range(min=10, max=1000))
    home_radius_m = StrictFloat(load_default=100.0, validate=validate.Range(min=10, max=1000),
                                metadata={"description": "WFH fence around an approved home location (m)."})
    timezone = StrictString(load_default="Asia/Jakarta", validate=_tz_validator)
    unit_codes = fields.List(_code(), load_default=list, validate=validate.Length(max=200))
    max_accuracy_m = StrictFloat(load_default=100.0, validate=validate.Range(min=1, max=5000))
    selfie = StrictString(load_default="off", validate=validate.OneOf(SELFIE_MODES),
                          metadata={"description": "A photo with the check-in: off | optional | required"})
    schedule = fields.Nested(WeekScheduleSchema, load_default=None, allow_none=True,
                             metadata={"description": "Optional: the weekly schedule (default Mon-Thu 07:30-16:00, "
                                                      "Fri 07:30-16:30)."})


class OfficePatchSchema(StrictSchema):
    name = StrictString(validate=validate.Length(min=1, max=200))
    latitude = StrictFloat(**LATITUDE)
    longitude = StrictFloat(**LONGITUDE)
    radius_m = StrictFloat(validate=validate.Range(min=10, max=1000))
    home_radius_m = StrictFloat(validate=validate.Range(min=10, max=1000))
    timezone = StrictString(validate=_tz_validator)
    unit_codes = fields.List(_code(), validate=validate.Length(max=200))
    max_accuracy_m = StrictFloat(validate=validate.Range(min=1, max=5000))
    selfie = StrictString(validate=validate.OneOf(SELFIE_MODES))

    @validates_schema
    def _not_empty(self, data, **_kwargs):
        if not data:
            raise ValidationError(CHANGE_SOMETHING, "_schema")


class OfficeSchema(Schema):
    code = fields.String()
    name = fields.String()
    latitude = fields.Float()
    longitude = fields.Float()
    radius_m = fields.Float()
    home_radius_m = fields.Float()
    timezone = fields.String()
    unit_codes = fields.List(fields.String())
    max_accuracy_m = fields.Float()
    selfie = fields.String()
    schedule = fields.Nested(ScheduleOutSchema)
    created_at = Timestamp()
    updated_at = Timestamp()


OfficePageSchema = page_schema(OfficeSchema, "OfficePage")


class EmployeeOfficeInSchema(StrictSchema):
    office_code = _code(required=True, allow_none=True)


class EmployeeOfficeSchema(Schema):
    nip = fields.String()
    unit_code = fields.String(allow_none=True)
    office_override = fields.String(allow_none=True)
    office = fields.Dict(allow_none=True)


# ---------------------------------------------------------------- holidays
HOLIDAY_KINDS = ("national", "cuti_bersama")


class HolidayInSchema(StrictSchema):
    date = fields.Date(required=True)
    name = StrictString(required=True, validate=validate.Length(min=1, max=200))
    kind = StrictString(load_default="national", validate=validate.OneOf(HOLIDAY_KINDS), metadata={
        "description": "national (a national or regional holiday) or cuti_bersama (collective leave by decree)"})


class HolidaySchema(Schema):
    date = fields.String()
    name = fields.String()
    kind = fields.String(metadata={"description": "national or cuti_bersama"})
    source = fields.String(metadata={"description": "admin (entered or imported from CSV) or national_calendar"})


class NationalImportQuerySchema(StrictSchema):
    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    cuti_bersama = fields.Boolean(load_default=True, metadata={
        "description": "also the year's cuti bersama days the calendar knows (kind cuti_bersama)"})


class NationalImportResultSchema(Schema):
    year = fields.Integer()
    created = fields.List(fields.Nested(HolidaySchema), metadata={"description": "the days added"})
    kept = fields.List(fields.String(), metadata={
        "description": "dates that were a holiday already: the admin's entry is kept"})
    calendar = fields.String(metadata={"description": "the library and version the days come from"})


class HolidayQuerySchema(StrictSchema):
    year = fields.Integer(validate=validate.Range(min=2000, max=2100))  # a query string: "2026" is fine


class HolidayListSchema(Schema):
    items = fields.List(fields.Nested(HolidaySchema))
    total = fields.Integer()
    year = fields.Integer()


class ImportLineErrorSchema(Schema):
    line = fields.Integer()
    message = Text()


class HolidayImportResultSchema(Schema):
    created = fields.Integer()
    updated = fields.Integer()
    errors = fields.List(fields.Nested(ImportLineErrorSchema))


class HolidayDateArgSchema(StrictSchema):
    day = fields.Date(required=True)


# ---------------------------------------------------------------- check-in/out
class CheckOutInSchema(StrictSchema):
    latitude = StrictFloat(required=True, **LATITUDE)
    longitude = StrictFloat(required=True, **LONGITUDE)
    accuracy_m = StrictFloat(required=True, validate=validate.Range(min=0, max=100_000))
    # trust (docs/trust.md): what the app sends besides the position
    device_id = StrictString(validate=[validate.Length(min=8, max=100),
                                       validate.Regexp(r"^[\x21-\x7e]+$", error=Msg("Huruf ASCII yang tercetak, tanpa spasi.",
                                                                                  "Printable ASCII, no spaces."))],
                             metadata={"description": "The app's id of this device (made on first use); hashed at once"})
    position_timestamp = fields.AwareDateTime(
        format="iso", metadata={"description": "The GPS fix's own time (ISO 8601 with offset), the phone's clock"})
    attempted_at = fields.AwareDateTime(
        format="iso", metadata={"description": "When the app recorded this attempt (the phone's clock); an offline "
                                               "retry sends the first attempt's time"})


class CheckInInSchema(CheckOutInSchema):
    mode = StrictString(load_default="WFO", validate=validate.OneOf(["WFO", "WFH", "DL"]))
    selfie = StrictString(validate=validate.Length(min=1, max=1_400_000),
                          metadata={"description": "A photo taken at check-in (base64 JPEG or PNG) where the office "
                                                   "uses selfies"})


class CheckInSchema(Schema):
    id = fields.String()
    nip = fields.String()
    date = fields.String()
    mode = fields.String()
    checked_in_at = fields.String(metadata={"description": "ISO 8601 with the office's offset"})
    office_code = fields.String()
    distance_m = fields.Float(allow_none=True, metadata={
        "description": "Metres to the employee's office (the WFO fence's measure), whatever the mode"})
    distance_to_office_m = fields.Float(allow_none=True, metadata={"description": "Metres to the office (= distance_m)"})
    distance_to_home_m = fields.Float(allow_none=True, metadata={
        "description": "WFH: metres to the approved home location (the WFH fence); null without an approved one "
                       "and for other modes"})
    late_minutes = fields.Integer()
    non_working_day = fields.Boolean()
    holiday = fields.String(allow_none=True)
    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)
    accuracy_m = fields.Float(allow_none=True)
    home_unverified = fields.Boolean(metadata={"description": "WFH without an approved home location"})
    # trust (docs/trust.md)
    flags = fields.List(fields.String(), metadata={"description": "Trust signals of the check-in"})
    review = fields.String(allow_none=True, metadata={"description": "pending | accepted | rejected | null"})
    review_note = fields.String(allow_none=True)
    reviewed_at = fields.String(allow_none=True)
    reviewed_by = fields.String(allow_none=True)
    corrected = fields.Dict(metadata={"description": "An approved correction's mark: who, when, why"})


# ---------------------------------------------------------------- views
class DayScheduleSchema(Schema):
    start = fields.String()
    end = fields.String()
    grace_minutes = fields.Integer()


class DayCheckOutSchema(Schema):
    checked_out_at = fields.String()
    distance_m = fields.Float(allow_none=True)
    early_leave_minutes = fields.Integer()
    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)
    accuracy_m = fields.Float(allow_none=True)
    flags = fields.List(fields.String(), metadata={"description": "Trust signals of the check-out"})
    corrected = fields.Dict(metadata={"description": "An approved correction's mark: who, when, why"})


class CheckOutSchema(DayCheckOutSchema):
    """The check-out answer: the day's check-out plus which check-in it closes."""
    review = fields.String(allow_none=True, metadata={"description": "The day's review: pending | accepted | rejected"})
    id = fields.String()
    nip = fields.String()
    date = fields.String()
    mode = fields.String()
    office_code = fields.String()
    checked_in_at = fields.String()


class OfficeSummarySchema(Schema):
    code = fields.String()
    name = fields.String()
    latitude = fields.Float()
    longitude = fields.Float()
    radius_m = fields.Float()
    home_radius_m = fields.Float()
    timezone = fields.String()
    max_accuracy_m = fields.Float()
    selfie = fields.String()


class DayReasonSchema(Schema):
    code = fields.String(metadata={"description": "e.g. late, no_check_out, no_check_in, approved_leave, "
                                                  "before_employment, cuti_bersama (the list grows)"})
    text = Text(metadata={"description": "The reason in words, in the request's language"})
    params = fields.Dict(metadata={"description": "Its numbers: minutes, band (TL1..TL4, PSW1..PSW4), "
                                                  "deduction_percent, leave_type, name, active_from, ..."})


class DayViewSchema(Schema):
    date = fields.String()
    nip = fields.String()
    name = fields.String(allow_none=True)
    unit_code = fields.String(allow_none=True)
    position = fields.String(allow_none=True)
    office = fields.Nested(OfficeSummarySchema, allow_none=True)
    schedule = fields.Nested(DayScheduleSchema, allow_none=True)
    working_day = fields.Boolean()
    holiday = fields.String(allow_none=True)
    roster_mode = fields.String(allow_none=True)
    leave_type = fields.String(allow_none=True)
    check_in = fields.Nested(CheckInSchema, allow_none=True)
    check_out = fields.Nested(DayCheckOutSchema, allow_none=True)
    status = fields.String(metadata={"description": "hadir, terlambat, pulang_cepat, no_checkout, belum_hadir, "
                                                    "tanpa_keterangan, libur, not_employed or a leave type"})
    holiday_kind = fields.String(allow_none=True, metadata={"description": "national or cuti_bersama"})
    reasons = fields.List(fields.Nested(DayReasonSchema), metadata={
        "description": "Why the day counts as it does, in order (an open list of codes: see docs/domain-rules.md)"})


DayViewPageSchema = page_schema(DayViewSchema, "DayViewPage")


class HistoryQuerySchema(PaginationQuerySchema):
    from_ = fields.Date(data_key="from")
    to = fields.Date()


class TeamQuerySchema(PaginationQuerySchema):
    supervisor_nip = StrictString(validate=validate.Regexp(NIP_RE, error=INVALID_NIP))


class TeamHistoryQuerySchema(HistoryQuerySchema):
    supervisor_nip = StrictString(validate=validate.Regexp(NIP_RE, error=INVALID_NIP))
    nip = StrictString(validate=validate.Regexp(NIP_RE, error=INVALID_NIP))


class TeamRecordSchema(CheckInSchema):
    name = fields.String(allow_none=True)
    check_out = fields.Nested(DayCheckOutSchema, allow_none=True)


TeamHistoryPageSchema = page_schema(TeamRecordSchema, "TeamHistoryPage")


class AttendanceQuerySchema(PaginationQuerySchema):
    unit_code = _code(required=True)
    date = fields.Date()



# ---------------------------------------------------------------- leave requests
class StrictBoolean(fields.Boolean):
    """A JSON true/false only ("true", 1 are refused)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


LEAVE_TYPES = ["izin", "sakit", "cuti", "dinas_luar", "tugas_belajar"]
LEAVE_STATES = ["pending", "approved", "rejected", "cancelled"]


class LeaveRequestInSchema(StrictSchema):
    type = StrictString(required=True, validate=validate.OneOf(LEAVE_TYPES))
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    reason = StrictString(required=True, validate=validate.Length(min=1, max=1000))
    spt_number = StrictString(load_default=None, allow_none=True, validate=validate.Length(max=100),
                              metadata={"description": "Assignment letter (SPT) number; required for dinas_luar."})


class LeaveDecisionInSchema(StrictSchema):
    approved = StrictBoolean(required=True)
    note = StrictString(load_default="", validate=validate.Length(max=1000))


class LeaveAttachmentSchema(Schema):
    id = fields.String()
    name = fields.String(metadata={"description": "a safe download name (the type's extension)"})
    size = fields.Integer()
    content_type = fields.String()
    sha256 = fields.String()
    uploaded_at = Timestamp()


class LeaveBalanceQuerySchema(StrictSchema):
    year = fields.Integer(validate=validate.Range(min=2000, max=2100))


class LeaveBalanceSchema(Schema):
    year = fields.Integer()
    entitlement = fields.Integer(metadata={"description": "working days a year (setting ANNUAL_LEAVE_DAYS)"})
    carried_over = fields.Integer(metadata={"description": "unused days of the year before, at most carry_over_max"})
    available = fields.Integer(metadata={"description": "entitlement + carried_over"})
    taken = fields.Integer(metadata={"description": "working days of approved cuti requests"})
    pending = fields.Integer(metadata={"description": "working days held by cuti requests waiting for the decision"})
    remaining = fields.Integer(metadata={"description": "available - taken - pending"})
    carry_over_max = fields.Integer()


class LeaveRequestSchema(Schema):
    id = fields.String()
    nip = fields.String()
    name = fields.String(allow_none=True)
    type = fields.String()
    start_date = fields.String()
    end_date = fields.String()
    days = fields.Integer()
    reason = fields.String()
    spt_number = fields.String(allow_none=True)
    state = fields.String()
    supervisor_nip = fields.String(allow_none=True)
    created_at = Timestamp()
    decided_by = fields.String(allow_none=True)
    decided_at = Timestamp(allow_none=True)
    decision_note = fields.String(allow_none=True)
    cancelled_at = Timestamp(allow_none=True)
    annual_days = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={
        "description": "cuti: the working days it takes from each year's annual leave, {year: days}"})
    attachment = fields.Nested(LeaveAttachmentSchema, allow_none=True, metadata={
        "description": "The attached file (PUT/GET /leave-requests/{id}/attachment)"})


class LeaveListSchema(Schema):
    items = fields.List(fields.Nested(LeaveRequestSchema))
    total = fields.Integer()


class MyLeaveQuerySchema(StrictSchema):
    status = StrictString(validate=validate.OneOf(LEAVE_STATES))


class TeamLeaveQuerySchema(MyLeaveQuerySchema):
    nip = StrictString(validate=validate.Regexp(NIP_RE, error=INVALID_NIP))


# ---------------------------------------------------------------- rosters
class RosterGenerateInSchema(StrictSchema):
    unit_code = _code(required=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    wfo_ratio = StrictFloat(required=True, validate=validate.Range(min=0, max=1, min_inclusive=False,
                                                                   error=Msg("wfo_ratio harus dalam (0, 1].",
                                                                             "wfo_ratio must be in (0, 1].")))


class RosterEntryInSchema(StrictSchema):
    mode = StrictString(required=True, validate=validate.OneOf(["WFO", "WFH"]))


class RosterQuerySchema(StrictSchema):
    unit_code = _code(required=True)
    from_ = fields.Date(data_key="from", required=True)
    to = fields.Date(required=True)


class MyRosterQuerySchema(StrictSchema):
    from_ = fields.Date(data_key="from")
    to = fields.Date()


class TeamRosterQuerySchema(MyRosterQuerySchema):
    supervisor_nip = StrictString(validate=validate.Regexp(NIP_RE, error=INVALID_NIP))


class RosterEntrySchema(Schema):
    nip = fields.String()
    date = fields.String()
    mode = fields.String()
    unit_code = fields.String(allow_none=True)


class RosterGenerateSchema(Schema):
    id = fields.String()
    unit_code = fields.String()
    office_code = fields.String()
    start_date = fields.String()
    end_date = fields.String()
    wfo_ratio = fields.Float()
    staff = fields.Integer()
    entries = fields.Integer()
    days = fields.Dict(metadata={"description": "{date: {wfo: n, wfh: n}} for every working day in range"})


class RosterMatrixRowSchema(Schema):
    nip = fields.String()
    name = fields.String(allow_none=True)
    days = fields.Dict(metadata={"description": "{date: WFO|WFH}"})
    leave = fields.Dict(metadata={"description": "{date: leave type} of the approved leave days in the range "
                                                "(a working day without a roster entry)"})


class RosterMatrixSchema(Schema):
    unit_code = fields.String()
    from_ = fields.String(data_key="from")
    to = fields.String()
    items = fields.List(fields.Nested(RosterMatrixRowSchema))


class TeamRosterSchema(Schema):
    supervisor_nip = fields.String()
    from_ = fields.String(data_key="from")
    to = fields.String()
    items = fields.List(fields.Nested(RosterMatrixRowSchema))


class MyRosterSchema(Schema):
    nip = fields.String()
    from_ = fields.String(data_key="from")
    to = fields.String()
    items = fields.List(fields.Nested(RosterEntrySchema))



# ---------------------------------------------------------------- roster pins
ROSTER_MODES = ["WFO", "WFH"]
_NIP = dict(validate=validate.Regexp(NIP_RE, error=INVALID_NIP))


class RosterPinInSchema(StrictSchema):
    mode = StrictString(required=True, validate=validate.OneOf(ROSTER_MODES))
    reason = StrictString(required=True, validate=validate.Length(min=3, max=200),
                          metadata={"description": "Why (front desk, health reasons); 3-200 characters"})


class RosterPinSchema(Schema):
    nip = fields.String()
    name = fields.String(allow_none=True)
    unit_code = fields.String(allow_none=True)
    mode = fields.String()
    reason = fields.String()
    set_by = fields.String()
    set_at = Timestamp()


class RosterPinQuerySchema(StrictSchema):
    unit_code = _code(metadata={"description": "Only the pins of this unit's active employees"})


class RosterPinListSchema(Schema):
    items = fields.List(fields.Nested(RosterPinSchema))


class RosterGenerateWithPinsInSchema(RosterGenerateInSchema):
    """The generate body plus optional one-off pins (NIPs of the unit's staff); they win over stored pins."""
    pinned_wfo = fields.List(StrictString(**_NIP), load_default=list, validate=validate.Length(max=1000))
    pinned_wfh = fields.List(StrictString(**_NIP), load_default=list, validate=validate.Length(max=1000))


class RosterGeneratePinnedSchema(RosterGenerateSchema):
    pinned_wfo = fields.Integer(metadata={"description": "Staff always WFO in this run (stored + one-off pins)"})
    pinned_wfh = fields.Integer(metadata={"description": "Staff always WFH in this run (stored + one-off pins)"})

# ---------------------------------------------------------------- daily close and recap
class CloseResultSchema(Schema):
    date = fields.String()
    closed = fields.Integer()
    absent = fields.Integer()
    no_checkout = fields.Integer()
    offices = fields.Integer()
    skipped_offices = fields.Integer()


class RecapQuerySchema(StrictSchema):
    month = Month(required=True)
    unit_code = _code()
    supervisor_nip = StrictString(validate=validate.Regexp(NIP_RE, error=INVALID_NIP))
    format = StrictString(load_default="json", validate=validate.OneOf(["json", "csv", "xlsx"]))


class RecapSchema(Schema):
    nip = fields.String()
    name = fields.String(allow_none=True)
    unit_code = fields.String(allow_none=True)
    month = fields.String()
    working_days = fields.Integer()
    present = fields.Integer()
    late_days = fields.Integer()
    late_minutes = fields.Integer()
    tl1 = fields.Integer()
    tl2 = fields.Integer()
    tl3 = fields.Integer()
    tl4 = fields.Integer()
    early_leave_days = fields.Integer()
    early_leave_minutes = fields.Integer()
    psw1 = fields.Integer()
    psw2 = fields.Integer()
    psw3 = fields.Integer()
    psw4 = fields.Integer()
    no_checkin_days = fields.Integer()
    no_checkout_days = fields.Integer()
    absent = fields.Integer()
    pending = fields.Integer()
    wfo_days = fields.Integer()
    wfh_days = fields.Integer()
    dl_days = fields.Integer()
    leave_days = fields.Dict(keys=fields.String(), values=fields.Integer())
    deduction_percent = fields.Float()
    not_employed_days = fields.Integer(metadata={
        "description": "Working days of the month outside the employment span (before the TMT, after the last "
                       "day): not counted anywhere"})
    national_holidays = fields.Integer(metadata={"description": "Weekdays of the office's week that are holidays"})
    cuti_bersama_days = fields.Integer(metadata={"description": "Weekdays of the office's week that are cuti bersama"})


class RecapListSchema(Schema):
    month = fields.String()
    unit_code = fields.String(allow_none=True)
    supervisor_nip = fields.String(allow_none=True)
    items = fields.List(fields.Nested(RecapSchema))
    total = fields.Integer()


# ---------------------------------------------------------------- WFH home locations
HOME_LOCATION_STATES = ["pending", "approved", "rejected"]


class HomeLocationInSchema(StrictSchema):
    latitude = StrictFloat(required=True, **LATITUDE)
    longitude = StrictFloat(required=True, **LONGITUDE)


class HomeLocationDecisionInSchema(StrictSchema):
    approved = StrictBoolean(required=True)
    note = StrictString(load_default="", validate=validate.Length(max=1000))


class HomeLocationSchema(Schema):
    nip = fields.String()
    name = fields.String(allow_none=True)
    latitude = fields.Float()
    longitude = fields.Float()
    status = fields.String()
    requested_at = Timestamp()
    decided_by = fields.String(allow_none=True)
    decided_at = Timestamp(allow_none=True)
    note = fields.String(allow_none=True)


class HomeLocationListSchema(Schema):
    items = fields.List(fields.Nested(HomeLocationSchema))
    total = fields.Integer()


class HomeLocationQuerySchema(StrictSchema):
    status = StrictString(validate=validate.OneOf(HOME_LOCATION_STATES))


# --- audit (admin) -------------------------------------------------------------------------
class AuditQuerySchema(PaginationQuerySchema):
    entity = StrictString(validate=validate.Length(min=1, max=40))
    id = StrictString(validate=validate.Length(min=1, max=100), metadata={"description": "the entity's id"})
    actor = StrictString(validate=validate.Regexp(NIP_RE, error=INVALID_NIP))
    action = StrictString(validate=validate.Length(min=1, max=40))


class AuditEntrySchema(Schema):
    id = fields.String()
    at = Timestamp()
    actor = fields.String()
    action = fields.String()
    entity = fields.String()
    entity_id = fields.String()
    changes = fields.Dict()
    request_id = fields.String(allow_none=True)


AuditPageSchema = page_schema(AuditEntrySchema, "PresenceAuditPage")
