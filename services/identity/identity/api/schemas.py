from marshmallow import fields, validate

from sipk_shared.schemas import StrictSchema

NIP_FIELD = dict(required=True, validate=validate.Length(min=1, max=32))


class LoginSchema(StrictSchema):
    nip = fields.String(**NIP_FIELD)
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=256))


class RefreshSchema(StrictSchema):
    refresh_token = fields.String(required=True, load_only=True, validate=validate.Length(min=10, max=200))


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
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
