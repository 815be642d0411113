"""/audit: who changed what, when, from which request (admins only)."""
from flask.views import MethodView
from sipk_shared.web import Blueprint
from marshmallow import RAISE

from .access import page_args, page_of, signed_in, store
from .schemas import AuditPageSchema, AuditQuerySchema

blp = Blueprint("audit", __name__, url_prefix="/api/identity/v1/audit", description="Audit trail of admin writes")


@blp.route("")
class Audit(MethodView):
    @signed_in(admin=True)
    @blp.arguments(AuditQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, AuditPageSchema)
    @blp.doc(security=[{"bearerAuth": []}])
    def get(self, args):
        """Audit entries, newest first (filter by entity and id)"""
        page, size = page_args(args)
        docs, total = store().list_audit(entity=args.get("entity"), entity_id=args.get("id"), page=page,
                                         page_size=size)
        return page_of([{**d, "id": str(d["_id"])} for d in docs], total, page, size)
