"""/whoami: proves this service verifies identity's tokens."""
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields

from sipk_shared.auth import auth_required, current_principal
from sipk_shared.schemas import ErrorSchema, StrictSchema

blp = Blueprint("whoami", __name__, url_prefix="/api/presence/v1/whoami", description="Token check")


class WhoAmISchema(StrictSchema):
    nip = fields.String()
    name = fields.String()
    unit = fields.String(allow_none=True)
    roles = fields.List(fields.String())


@blp.route("")
class WhoAmI(MethodView):
    @auth_required()
    @blp.response(200, WhoAmISchema)
    @blp.alt_response(401, schema=ErrorSchema)
    @blp.doc(security=[{"bearerAuth": []}])
    def get(self):
        """Who the access token says I am"""
        p = current_principal()
        return {"nip": p.nip, "name": p.name, "unit": p.unit, "roles": list(p.roles)}
