from datetime import timezone

from flask_smorest.fields import Upload
from marshmallow import ValidationError, fields, validate, validates_schema

from sipk_shared.schemas import CHANGE_SOMETHING, PaginationQuerySchema, StrictSchema, Timestamp, page_schema

NIP_FIELD = dict(required=True, validate=validate.Length(min=1, max=32))


class LoginSchema(StrictSchema):
    nip = fields.String(**NIP_FIELD)
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=256))


class RefreshSchema(StrictSchema):
    # Required unless the request asks for cookie transport (X-Token-Transport: cookie); api/auth.py checks.
    refresh_token = fields.String(load_only=True, validate=validate.Length(min=10, max=200),
                                  metadata={"description": "Required, except with `X-Token-Transport: cookie`"})


class TokenPairSchema(StrictSchema):
    access_token = fields.String()
    refresh_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()
    password_change_required = fields.Boolean()


class JwkSchema(StrictSchema):
    kty = fields.String()
    crv = fields.String()
    x = fields.String()
    kid = fields.String()
    alg = fields.String()
    use = fields.String()


class JwksSchema(StrictSchema):
    keys = fields.List(fields.Nested(JwkSchema))


class EmploymentSpanSchema(StrictSchema):
    from_ = fields.String(data_key="from", attribute="from", metadata={"description": "first day (YYYY-MM-DD)"})
    until = fields.String(allow_none=True, metadata={"description": "last day, or null while it lasts"})


class EmployeeSchema(StrictSchema):
    nip = fields.String()
    name = fields.String()
    unit_code = fields.String()
    position = fields.String()
    supervisor_nip = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    roles = fields.List(fields.String())
    active = fields.Boolean()
    password_change_required = fields.Boolean()
    active_from = fields.String(allow_none=True, metadata={
        "description": "TMT: the first day the employee counts for attendance (YYYY-MM-DD)"})
    active_until = fields.String(allow_none=True, metadata={
        "description": "After a deactivation: the last day they counted; null while employed"})
    employment = fields.List(fields.Nested(EmploymentSpanSchema), metadata={
        "description": "Every span of employment, oldest first (a reactivation starts a new one)"})
    created_at = Timestamp()
    updated_at = Timestamp()


# ------------------------------------------------------------------ employees
ROLE_FIELD = fields.String(validate=validate.OneOf(["employee", "admin"]))
TEXT = dict(validate=validate.Length(min=1, max=400))


class EmployeeOutSchema(EmployeeSchema):
    has_password = fields.Boolean()


class EmployeeCreateSchema(StrictSchema):
    nip = fields.String(**NIP_FIELD)
    name = fields.String(required=True, **TEXT)
    unit_code = fields.String(required=True, validate=validate.Length(min=1, max=64))
    position = fields.String(required=True, **TEXT)
    supervisor_nip = fields.String(allow_none=True, validate=validate.Length(max=32))
    email = fields.String(allow_none=True, validate=validate.Length(max=254))
    roles = fields.List(ROLE_FIELD, validate=validate.Length(min=1, max=2))
    password = fields.String(load_only=True, validate=validate.Length(min=1, max=256))
    active_from = fields.Date(metadata={"description": "TMT (default: today): days before it are not_employed"})


class EmployeePatchSchema(StrictSchema):
    name = fields.String(**TEXT)
    unit_code = fields.String(validate=validate.Length(min=1, max=64))
    position = fields.String(**TEXT)
    supervisor_nip = fields.String(allow_none=True, validate=validate.Length(max=32))
    email = fields.String(allow_none=True, validate=validate.Length(max=254))
    roles = fields.List(ROLE_FIELD, validate=validate.Length(min=1, max=2))
    active_from = fields.Date(metadata={"description": "TMT: the first day of the first span of employment"})

    @validates_schema
    def _not_empty(self, data, **kwargs):
        if not data:
            raise ValidationError(CHANGE_SOMETHING, "_schema")


class DeactivateSchema(StrictSchema):
    active_until = fields.Date(metadata={"description": "their last day (default: today)"})


class ReactivateSchema(StrictSchema):
    active_from = fields.Date(metadata={"description": "their first day back (default: today)"})


class EmployeeListQuerySchema(PaginationQuerySchema):
    unit_code = fields.String(validate=validate.Length(min=1, max=64))
    q = fields.String(validate=validate.Length(min=1, max=100))
    active = fields.Boolean()
    updated_since = fields.AwareDateTime(default_timezone=timezone.utc)


class SubordinatesQuerySchema(PaginationQuerySchema):
    depth = fields.String(load_default="direct", validate=validate.OneOf(["direct", "all"]))
    active = fields.Boolean()


class ImportFileSchema(StrictSchema):
    file = Upload(required=True)


class ImportResultSchema(StrictSchema):
    class LineErrorSchema(StrictSchema):
        line = fields.Integer()
        message = fields.String()

    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    errors = fields.List(fields.Nested(LineErrorSchema))


class PasswordResetSchema(StrictSchema):
    nip = fields.String()
    temporary_password = fields.String()
    password_change_required = fields.Boolean()


class PasswordChangeSchema(StrictSchema):
    old_password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=256))
    new_password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=256))


class MeSchema(EmployeeOutSchema):
    is_supervisor = fields.Boolean()


# ----------------------------------------------------------------------- units
class UnitSchema(StrictSchema):
    code = fields.String()
    name = fields.String()
    parent_code = fields.String(allow_none=True)
    created_at = Timestamp()
    updated_at = Timestamp()


class UnitCreateSchema(StrictSchema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=64))
    name = fields.String(required=True, **TEXT)
    parent_code = fields.String(allow_none=True, validate=validate.Length(max=64))


class UnitPatchSchema(StrictSchema):
    name = fields.String(**TEXT)
    parent_code = fields.String(allow_none=True, validate=validate.Length(max=64))

    @validates_schema
    def _not_empty(self, data, **kwargs):
        if not data:
            raise ValidationError(CHANGE_SOMETHING, "_schema")


class UnitListQuerySchema(PaginationQuerySchema):
    parent_code = fields.String(validate=validate.Length(min=1, max=64))
    q = fields.String(validate=validate.Length(min=1, max=100))


# ----------------------------------------------------------------------- audit
class AuditQuerySchema(PaginationQuerySchema):
    entity = fields.String(validate=validate.OneOf(["employee", "unit", "login"]),
                           metadata={"description": "login: sign-in lockouts (identity.throttle)"})
    id = fields.String(validate=validate.Length(min=1, max=64))


class AuditEntrySchema(StrictSchema):
    id = fields.String()
    at = Timestamp()
    actor = fields.String()
    action = fields.String()
    entity = fields.String()
    entity_id = fields.String()
    changes = fields.Dict()
    request_id = fields.String(allow_none=True)


EmployeePageSchema = page_schema(EmployeeOutSchema, "EmployeePage")
UnitPageSchema = page_schema(UnitSchema, "UnitPage")
AuditPageSchema = page_schema(AuditEntrySchema, "AuditPage")
