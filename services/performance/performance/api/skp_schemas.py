"""Marshmallow schemas of the SKP routes (requests are strict: unknown fields -> 422)."""
from marshmallow import Schema, fields, validate

from sipk_shared.schemas import StrictSchema, Timestamp

from ..domain import attendance as attendance_rules
from ..domain.skp import ASPECTS, PERIOD_SCHEMES, PREDIKATS, RATINGS, RHK_TYPES, SKP_STATUSES
from .schemas import FileMetaSchema

ID = dict(validate=validate.Length(min=1, max=64))
PERIOD = fields.String(required=True, validate=validate.Length(min=1, max=10),
                       metadata={"description": "Q1..Q4 (quarterly) or M01..M12 (monthly); `annual` where allowed"})
RATING = dict(validate=validate.OneOf(RATINGS))


def text(max_len: int, **kw):
    return fields.String(validate=validate.Length(min=1, max=max_len), **kw)


# --- requests ---------------------------------------------------------------------------------
class IndicatorInSchema(StrictSchema):
    id = fields.String(load_default=None, **ID)
    description = text(1000, required=True)
    target = fields.Float(required=True, allow_nan=False, validate=validate.Range(min=0, max=1e12))
    unit = text(50, required=True)
    aspect = fields.String(load_default="kuantitas", validate=validate.OneOf(ASPECTS))


class ItemInSchema(StrictSchema):
    id = fields.String(load_default=None, **ID)
    type = fields.String(load_default="utama", validate=validate.OneOf(RHK_TYPES))
    rhk = text(2000, required=True)
    parent_item_id = fields.String(load_default=None, allow_none=True, **ID)
    indicators = fields.List(fields.Nested(IndicatorInSchema), required=True, validate=validate.Length(min=1, max=20))


class SkpCreateSchema(StrictSchema):
    year = fields.Integer(required=True, strict=True)
    items = fields.List(fields.Nested(ItemInSchema), required=True, validate=validate.Length(min=1, max=50))


class SkpEditSchema(StrictSchema):
    items = fields.List(fields.Nested(ItemInSchema), required=True, validate=validate.Length(min=1, max=50))


class SubmitSchema(StrictSchema):
    """No fields: the plan is submitted as it stands."""


class ApproveSchema(StrictSchema):
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class ReturnSchema(StrictSchema):
    note = text(2000, required=True)


class ReviseSchema(StrictSchema):
    reason = text(2000, required=True)


class IndicatorRealizationSchema(StrictSchema):
    indicator_id = fields.String(required=True, **ID)
    value = fields.Float(required=True, allow_nan=False, validate=validate.Range(min=0, max=1e12))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    links = fields.List(fields.Url(schemes={"http", "https"}, validate=validate.Length(max=2000)),
                        load_default=list, validate=validate.Length(max=10))


class ItemRealizationSchema(StrictSchema):
    item_id = fields.String(required=True, **ID)
    realization = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000))
    evidence = fields.List(fields.Url(schemes={"http", "https"}, validate=validate.Length(max=2000)),
                           load_default=list, validate=validate.Length(max=10),
                           metadata={"description": "links to evidence of the whole RHK (bukti dukung)"})
    indicators = fields.List(fields.Nested(IndicatorRealizationSchema), load_default=list,
                             validate=validate.Length(max=20))


class RealizationInSchema(StrictSchema):
    period = PERIOD
    items = fields.List(fields.Nested(ItemRealizationSchema), required=True, validate=validate.Length(min=1, max=50))


class EvidenceFormSchema(StrictSchema):
    item_id = fields.String(required=True, **ID)
    indicator_id = fields.String(required=True, **ID)


class FeedbackItemSchema(StrictSchema):
    item_id = fields.String(required=True, **ID)
    feedback = text(2000, required=True)


class FeedbackInSchema(StrictSchema):
    period = PERIOD
    items = fields.List(fields.Nested(FeedbackItemSchema), required=True, validate=validate.Length(min=1, max=50))


class ValueRatingSchema(StrictSchema):
    rating = fields.String(required=True, **RATING)
    ekspektasi_khusus = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000),
                                      metadata={"description": "ekspektasi khusus pimpinan"})


class BehaviourInSchema(StrictSchema):
    period = PERIOD
    values = fields.Dict(keys=fields.String(validate=validate.Length(max=40)), values=fields.Nested(ValueRatingSchema),
                         required=True, metadata={"description": "the 7 BerAKHLAK values by code"})
    perilaku = fields.String(required=True, **RATING)


class EvaluationInSchema(StrictSchema):
    period = PERIOD
    hasil_kerja = fields.String(required=True, **RATING)
    perilaku = fields.String(load_default=None, **RATING,
                             metadata={"description": "default: the period's behaviour rating"})
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000))


class ResponseInSchema(StrictSchema):
    response = text(5000, required=True)


class SettingInSchema(StrictSchema):
    period_scheme = fields.String(required=True, validate=validate.OneOf(PERIOD_SCHEMES))


class SkpListQuerySchema(StrictSchema):
    year = fields.Integer()
    nip = fields.String(validate=validate.Length(min=1, max=32))


class CascadeQuerySchema(StrictSchema):
    year = fields.Integer(required=True)
    nip = fields.String(validate=validate.Length(min=1, max=32))


class DocumentQuerySchema(StrictSchema):
    format = fields.String(load_default="html", validate=validate.OneOf(["html", "pdf", "json"]))


class ReportQuerySchema(StrictSchema):
    unit_code = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9._-]{1,40}$"))
    year = fields.Integer(required=True)
    period = fields.String(load_default="annual", validate=validate.Length(min=1, max=10))
    unit_rating = fields.String(validate=validate.OneOf(PREDIKATS),
                                metadata={"description": "the unit's own rating: its caps are checked"})
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv"]))


# --- answers ----------------------------------------------------------------------------------
class IndicatorSchema(Schema):
    id = fields.String()
    description = fields.String()
    target = fields.Float()
    unit = fields.String()
    aspect = fields.String()


class ItemSchema(Schema):
    id = fields.String()
    type = fields.String()
    rhk = fields.String()
    parent_item_id = fields.String(allow_none=True)
    parent_rhk = fields.String(allow_none=True, metadata={"description": "RHK atasan yang diintervensi"})
    indicators = fields.List(fields.Nested(IndicatorSchema))


class PersonSchema(Schema):
    nip = fields.String()
    name = fields.String(allow_none=True)
    position = fields.String(allow_none=True)
    unit_code = fields.String(allow_none=True)


class SkpHistorySchema(Schema):
    action = fields.String()
    from_status = fields.String(allow_none=True)
    to_status = fields.String()
    by = fields.String()
    at = Timestamp()
    revision = fields.Integer()
    note = fields.String(allow_none=True)


class ChangeSchema(Schema):
    change = fields.String()
    item_id = fields.String()
    indicator_id = fields.String()
    field = fields.String()
    old = fields.Raw(allow_none=True)
    new = fields.Raw(allow_none=True)


class RevisionSchema(Schema):
    revision = fields.Integer()
    opened_by = fields.String()
    opened_at = Timestamp()
    reason = fields.String(allow_none=True)
    approved_by = fields.String(allow_none=True)
    approved_at = Timestamp(allow_none=True)
    changes = fields.List(fields.Nested(ChangeSchema))


class ApprovedSchema(Schema):
    revision = fields.Integer()
    items = fields.List(fields.Nested(ItemSchema))
    approved_by = fields.String()
    approved_at = Timestamp()
    rater = fields.Nested(PersonSchema)
    employee = fields.Nested(PersonSchema)


class SkpSchema(Schema):
    id = fields.String()
    nip = fields.String()
    year = fields.Integer()
    status = fields.String(metadata={"enum": list(SKP_STATUSES)})
    revision = fields.Integer()
    period_scheme = fields.String()
    unit_code = fields.String(allow_none=True)
    employee = fields.Nested(PersonSchema)
    items = fields.List(fields.Nested(ItemSchema))
    approved = fields.Nested(ApprovedSchema, allow_none=True)
    return_note = fields.String(allow_none=True)
    created_at = Timestamp()
    updated_at = Timestamp()
    history = fields.List(fields.Nested(SkpHistorySchema))
    revisions = fields.List(fields.Nested(RevisionSchema))


class SkpListSchema(Schema):
    items = fields.List(fields.Nested(SkpSchema))
    total = fields.Integer()


class EvidenceFileSchema(FileMetaSchema):
    uploaded_at = Timestamp()
    uploaded_by = fields.String()


class EvidenceUploadSchema(Schema):
    files = fields.List(fields.Nested(EvidenceFileSchema))


class IndicatorPeriodSchema(IndicatorSchema):
    value = fields.Float(allow_none=True)
    note = fields.String(allow_none=True)
    links = fields.List(fields.String())
    files = fields.List(fields.Nested(EvidenceFileSchema))


class AutomaticEvidenceSchema(Schema):
    kind = fields.String(metadata={"enum": ["task", "daily_log"]})
    task_id = fields.String()
    title = fields.String()
    approved_at = Timestamp()
    rating = fields.Integer(allow_none=True)
    submissions = fields.Integer()
    log_id = fields.String()
    date = fields.String()
    activity = fields.String()
    output = fields.String()
    minutes = fields.Integer()


class FeedbackSchema(Schema):
    text = fields.String()
    by = fields.String()
    at = Timestamp()


class ItemPeriodSchema(Schema):
    item_id = fields.String()
    type = fields.String()
    rhk = fields.String()
    parent_item_id = fields.String(allow_none=True)
    parent_rhk = fields.String(allow_none=True)
    realization = fields.String(allow_none=True)
    links = fields.List(fields.String())
    indicators = fields.List(fields.Nested(IndicatorPeriodSchema))
    automatic_evidence = fields.List(fields.Nested(AutomaticEvidenceSchema))
    feedback = fields.Nested(FeedbackSchema, allow_none=True)


class BehaviourValueSchema(Schema):
    rating = fields.String()
    ekspektasi_khusus = fields.String(allow_none=True)


class BehaviourSchema(Schema):
    values = fields.Dict(keys=fields.String(), values=fields.Nested(BehaviourValueSchema))
    perilaku = fields.String()
    by = fields.String()
    at = Timestamp()


class ResponseSchema(Schema):
    text = fields.String()
    at = Timestamp()


class EvaluationSchema(Schema):
    version = fields.Integer()
    period = fields.String()
    hasil_kerja = fields.String()
    perilaku = fields.String()
    predikat = fields.String(metadata={"enum": list(PREDIKATS)})
    note = fields.String(allow_none=True)
    by = fields.String()
    rater = fields.Nested(PersonSchema)
    at = Timestamp()
    response = fields.Nested(ResponseSchema, allow_none=True)
    replaced_at = Timestamp()
    replaced_by = fields.String()


AttendanceSchema = type("AttendanceSchema", (Schema,), {
    **{name: fields.Integer() for name in attendance_rules.SUMMARY_FIELDS},
    "leave_days": fields.Dict(keys=fields.String(), values=fields.Integer()),
    "settled_days": fields.Integer(),
    "from": fields.String(),
    "to": fields.String(),
})


class PeriodSchema(Schema):
    skp_id = fields.String()
    nip = fields.String()
    year = fields.Integer()
    period = fields.String()
    period_label = fields.String()
    period_from = fields.String()
    period_to = fields.String()
    employee = fields.Nested(PersonSchema)
    rater = fields.Nested(PersonSchema, allow_none=True)
    revision = fields.Integer()
    items = fields.List(fields.Nested(ItemPeriodSchema))
    behaviour = fields.Nested(BehaviourSchema, allow_none=True)
    evaluation = fields.Nested(EvaluationSchema, allow_none=True)
    evaluation_history = fields.List(fields.Nested(EvaluationSchema))
    attendance = fields.Nested(AttendanceSchema)


class EvaluationResultSchema(PeriodSchema):
    predikat = fields.String(metadata={"enum": list(PREDIKATS)})


class SkpDocumentSchema(Schema):
    """?format=json of the SKP form: what the printed form shows."""
    title = fields.String()
    year = fields.Integer()
    revision = fields.Integer()
    approved = fields.Boolean(metadata={"description": "the form shows the approved version"})
    status = fields.String(metadata={"enum": list(SKP_STATUSES)})
    status_label = fields.String()
    employee = fields.Nested(PersonSchema)
    rater = fields.Nested(PersonSchema, allow_none=True)
    items = fields.List(fields.Nested(ItemSchema))
    place_date = fields.String(metadata={"description": "the date line of the form, in Indonesian"})


class EvaluationDocumentSchema(PeriodSchema):
    """?format=json of the Dokumen Evaluasi Kinerja: the period view and the form's date line."""
    place_date = fields.String()


class SettingSchema(Schema):
    year = fields.Integer()
    period_scheme = fields.String()
    periods = fields.List(fields.String())
    source = fields.String(metadata={"enum": ["setting", "default"]})


class CascadeChildSchema(Schema):
    nip = fields.String()
    name = fields.String(allow_none=True)
    skp_id = fields.String()
    status = fields.String()
    item_id = fields.String()
    rhk = fields.String()
    type = fields.String()


class CascadeItemSchema(Schema):
    item_id = fields.String()
    rhk = fields.String()
    type = fields.String()
    cascaded_to = fields.List(fields.Nested(CascadeChildSchema))


class WithoutPlanSchema(Schema):
    nip = fields.String()
    name = fields.String(allow_none=True)
    status = fields.String(allow_none=True)
    skp_id = fields.String(allow_none=True)


class CascadeSchema(Schema):
    nip = fields.String()
    year = fields.Integer()
    skp_id = fields.String(allow_none=True)
    status = fields.String(allow_none=True)
    items = fields.List(fields.Nested(CascadeItemSchema))
    subordinates_without_approved_plan = fields.List(fields.Nested(WithoutPlanSchema))


class CapCheckSchema(Schema):
    rule = fields.String()
    predikat = fields.String()
    limit = fields.Float()
    actual = fields.Float()
    ok = fields.Boolean()


class CapsSchema(Schema):
    unit_rating = fields.String(allow_none=True)
    known = fields.Boolean()
    within = fields.Boolean(allow_none=True)
    checks = fields.List(fields.Nested(CapCheckSchema))


class ReportRowSchema(Schema):
    nip = fields.String()
    name = fields.String(allow_none=True)
    position = fields.String(allow_none=True)
    skp_status = fields.String(allow_none=True)
    predikat = fields.String(allow_none=True)


class UnitReportSchema(Schema):
    unit_code = fields.String()
    year = fields.Integer()
    period = fields.String()
    employees = fields.Integer()
    evaluated = fields.Integer()
    not_evaluated = fields.Integer()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    percent = fields.Dict(keys=fields.String(), values=fields.Float())
    caps = fields.Nested(CapsSchema)
    employees_list = fields.List(fields.Nested(ReportRowSchema))
