"""GET /api/<service>/v1/whoami: what the access token says, verified by this service."""
from flask.views import MethodView
from .web import Blueprint
from marshmallow import fields

from .auth import auth_required, current_principal
from .schemas import ApiErrorSchema, StrictSchema


class WhoAmISchema(StrictSchema):
    nip = fields.String()
    name = fields.String()
    unit = fields.String(allow_none=True)
    roles = fields.List(fields.String())


def whoami_blueprint(service: str) -> Blueprint:
    blp = Blueprint("whoami", __name__, url_prefix=f"/api/{service}/v1/whoami", description="Token check")

    @blp.route("")
    class WhoAmI(MethodView):
        @auth_required()
        @blp.response(200, WhoAmISchema)
        @blp.alt_response(401, schema=ApiErrorSchema)
        @blp.doc(security=[{"bearerAuth": []}])
        def get(self):
            """Who the access token says I am"""
            p = current_principal()
            return {"nip": p.nip, "name": p.name, "unit": p.unit, "roles": list(p.roles)}

    return blp
