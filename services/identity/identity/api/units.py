"""/units: organisational units (OPD / unit kerja). Admins write, every employee reads."""
from flask.views import MethodView
from sipk_shared.web import Blueprint
from marshmallow import RAISE

from sipk_shared.schemas import ApiErrorSchema

from ..store import public_unit
from .access import directory, page_args, page_of, signed_in, store
from .schemas import UnitCreateSchema, UnitListQuerySchema, UnitPageSchema, UnitPatchSchema, UnitSchema

blp = Blueprint("units", __name__, url_prefix="/api/identity/v1/units", description="Units (OPD / unit kerja)")
SECURITY = [{"bearerAuth": []}]


@blp.route("")
class Units(MethodView):
    @signed_in(admin=True)
    @blp.arguments(UnitCreateSchema)
    @blp.response(201, UnitSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="unit_exists")
    @blp.alt_response(422, schema=ApiErrorSchema, description="invalid_unit_code, unknown_unit, validation_failed")
    @blp.doc(security=SECURITY)
    def post(self, body):
        """Create a unit (admin)"""
        return public_unit(directory().create_unit(body))

    @signed_in()
    @blp.arguments(UnitListQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, UnitPageSchema)
    @blp.doc(security=SECURITY)
    def get(self, args):
        """List units"""
        page, size = page_args(args)
        docs, total = store().list_units(parent_code=args.get("parent_code"), q=args.get("q"),
                                         page=page, page_size=size)
        return page_of([public_unit(d) for d in docs], total, page, size)


@blp.route("/<string:code>")
class UnitByCode(MethodView):
    @signed_in()
    @blp.response(200, UnitSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.doc(security=SECURITY)
    def get(self, code):
        """One unit"""
        return public_unit(directory().unit(code))

    @signed_in(admin=True)
    @blp.arguments(UnitPatchSchema)
    @blp.response(200, UnitSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.alt_response(422, schema=ApiErrorSchema, description="unknown_unit, unit_cycle, validation_failed")
    @blp.doc(security=SECURITY)
    def patch(self, body, code):
        """Rename a unit or move it under another parent (admin)"""
        return public_unit(directory().update_unit(code, body))
