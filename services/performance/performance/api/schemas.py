"""Marshmallow schemas of the performance API (requests are strict: unknown fields -> 422)."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from flask_smorest.fields import Upload

from sipk_shared.i18n import Msg
from sipk_shared.schemas import CHANGE_SOMETHING, Month, PaginationQuerySchema, StrictSchema, Timestamp, page_schema

from ..domain.dailylog import LOG_STATUSES
from ..domain.tasks import TASK_STATES

NIP = dict(validate=validate.Length(min=1, max=32))
HHMM = validate.Regexp(r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$",
                       error=Msg("Gunakan HH:MM (00:00-24:00).", "Use HH:MM (00:00-24:00)."))


# --- status -------------------------------------------------------------------------
class PresenceViewSchema(Schema):
    date = fields.String()
    mode = fields.String(allow_none=True)
    checked_in_at = Timestamp(allow_none=True)
    checked_out_at = Timestamp(allow_none=True)
    office_code = fields.String(allow_none=True)
    late_minutes = fields.Integer(allow_none=True)
    early_leave_minutes = fields.Integer(allow_none=True)


class MemberStatusSchema(Schema):
    nip = fields.String()
    name = fields.String(allow_none=True)
    state = fields.String(metadata={"enum": ["online", "away", "offline"]})
    last_seen_at = Timestamp(allow_none=True)
    presence = fields.Nested(PresenceViewSchema, allow_none=True)
    open_tasks = fields.Integer()


class TeamStatusSchema(Schema):
    items = fields.List(fields.Nested(MemberStatusSchema))
    total = fields.Integer()
    generated_at = Timestamp()


class StreamQuerySchema(StrictSchema):
    access_token = fields.String(load_only=True, validate=validate.Length(min=10, max=4096),
                                 metadata={"description": "For EventSource, which cannot send headers."})


# --- tasks ---------------------------------------------------------------------------------
class TaskCreateSchema(StrictSchema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    assignee_nip = fields.String(required=True, **NIP)
    due_date = fields.Date(required=True)
    skp_item_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=64))


class TaskListQuerySchema(PaginationQuerySchema):
    scope = fields.String(load_default="mine", validate=validate.OneOf(["mine", "assigned"]))
    status = fields.String(validate=validate.OneOf(TASK_STATES))


class FileMetaSchema(Schema):
    id = fields.String()
    name = fields.String()
    size = fields.Integer()
    content_type = fields.String()
    sha256 = fields.String()


class SubmissionSchema(Schema):
    id = fields.String()
    note = fields.String()
    submitted_at = Timestamp()
    submitted_by = fields.String()
    files = fields.List(fields.Nested(FileMetaSchema))


class HistorySchema(Schema):
    action = fields.String()
    from_status = fields.String(allow_none=True)
    to_status = fields.String()
    by = fields.String()
    at = Timestamp()
    comment = fields.String(allow_none=True)
    rating = fields.Integer(allow_none=True)
    submission_id = fields.String(allow_none=True)


class ReviewSchema(Schema):
    decision = fields.String()
    comment = fields.String(allow_none=True)
    rating = fields.Integer(allow_none=True)
    by = fields.String()
    at = Timestamp()


class TaskSchema(Schema):
    id = fields.String()
    title = fields.String()
    description = fields.String()
    assignee_nip = fields.String()
    assigner_nip = fields.String()
    due_date = fields.String()
    skp_item_id = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": list(TASK_STATES)})
    overdue = fields.Boolean()
    allowed_actions = fields.List(fields.String())
    created_at = Timestamp()
    updated_at = Timestamp()
    last_review = fields.Nested(ReviewSchema, allow_none=True)
    submissions = fields.List(fields.Nested(SubmissionSchema))
    history = fields.List(fields.Nested(HistorySchema))


TaskPageSchema = page_schema(TaskSchema, "TaskPage")


class SubmissionFormSchema(StrictSchema):
    note = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    # Documentation of the multipart body: the uploads arrive as files, never as form values.
    files = fields.List(Upload(), load_default=list, metadata={"description": "up to 5 files, 10 MB each"})


class SubmissionFilesSchema(StrictSchema):
    files = fields.List(Upload(), load_default=list)


class ReviewCreateSchema(StrictSchema):
    decision = fields.String(required=True, validate=validate.OneOf(["approve", "revise"]))
    comment = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000))
    rating = fields.Integer(load_default=None, allow_none=True, strict=True, validate=validate.Range(min=1, max=5))

    @validates_schema
    def _comment_for_revision(self, data, **_):
        if data["decision"] == "revise" and not (data.get("comment") or "").strip():
            raise ValidationError(Msg("Sebutkan apa yang harus direvisi.", "Say what to revise."), field_name="comment")


# --- daily logs ----------------------------------------------------------------------------
class DailyLogCreateSchema(StrictSchema):
    date = fields.Date(required=True)
    activity = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    output = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    started_at = fields.String(required=True, validate=HHMM)
    ended_at = fields.String(required=True, validate=HHMM)
    task_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=64))
    skp_item_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=64))


class DailyLogPatchSchema(StrictSchema):
    activity = fields.String(validate=validate.Length(min=1, max=2000))
    output = fields.String(validate=validate.Length(min=1, max=2000))
    started_at = fields.String(validate=HHMM)
    ended_at = fields.String(validate=HHMM)
    task_id = fields.String(allow_none=True, validate=validate.Length(min=1, max=64))

    @validates_schema
    def _something(self, data, **_):
        if not data:
            raise ValidationError(CHANGE_SOMETHING, field_name="_schema")


class DailyLogDecisionSchema(StrictSchema):
    approved = fields.Boolean(required=True, truthy={True}, falsy={False})
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))

    @validates_schema
    def _note_when_returned(self, data, **_):
        if data["approved"] is False and not (data.get("note") or "").strip():
            raise ValidationError(Msg("Sebutkan mengapa entri dikembalikan.", "Say why the entry is returned."),
                                  field_name="note")


class DecisionViewSchema(Schema):
    approved = fields.Boolean()
    note = fields.String(allow_none=True)
    by = fields.String()
    at = Timestamp()


class DailyLogSchema(Schema):
    id = fields.String()
    nip = fields.String()
    date = fields.String()
    activity = fields.String()
    output = fields.String()
    started_at = fields.String()
    ended_at = fields.String()
    minutes = fields.Integer()
    task_id = fields.String(allow_none=True)
    skp_item_id = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": list(LOG_STATUSES)})
    decision = fields.Nested(DecisionViewSchema, allow_none=True)
    returned = fields.Nested(DecisionViewSchema, allow_none=True, metadata={
        "description": "A resubmitted entry: the return it answers (note, by, at)"})
    resubmitted_at = Timestamp(allow_none=True)
    created_at = Timestamp()


class DailyLogRangeQuerySchema(StrictSchema):
    date_from = fields.Date(data_key="from")
    date_to = fields.Date(data_key="to")


class TeamDailyLogQuerySchema(DailyLogRangeQuerySchema):
    nip = fields.String(required=True, **NIP)


class DailyLogListSchema(Schema):
    items = fields.List(fields.Nested(DailyLogSchema))
    total = fields.Integer()


class SummaryQuerySchema(StrictSchema):
    nip = fields.String(load_default=None, **NIP)
    month = Month(required=True)


class DaySummarySchema(Schema):
    date = fields.String()
    entries = fields.Integer()
    minutes = fields.Integer()
    approved_minutes = fields.Integer()


class MonthlySummarySchema(Schema):
    nip = fields.String()
    name = fields.String(allow_none=True)
    month = fields.String()
    entries = fields.Integer()
    minutes = fields.Integer()
    days = fields.Integer()
    pending_entries = fields.Integer()
    approved_entries = fields.Integer()
    returned_entries = fields.Integer()
    pending_minutes = fields.Integer()
    approved_minutes = fields.Integer()
    returned_minutes = fields.Integer()
    per_day = fields.List(fields.Nested(DaySummarySchema))
