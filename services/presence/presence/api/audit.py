"""/audit (admin): who changed which office, schedule, holiday, roster, pin or assignment, and when."""
from __future__ import annotations

from flask.views import MethodView
from sipk_shared.web import Blueprint
from marshmallow import RAISE

from sipk_shared.auth import auth_required

from .common import SECURITY, ctx
from .schemas import AuditPageSchema, AuditQuerySchema

blp = Blueprint("audit", __name__, url_prefix="/api/presence/v1/audit", description="Audit trail of admin writes")

# A home location's coordinates are personal data: the trail says that it was registered, not where.
PERSONAL = {"home_location": ("latitude", "longitude")}

FILTERS = {"entity": "entity", "id": "entity_id", "actor": "actor", "action": "action"}


def _public(doc: dict) -> dict:
    hidden = PERSONAL.get(doc.get("entity"), ())
    changes = {k: v for k, v in (doc.get("changes") or {}).items() if k not in hidden}
    return {**{k: v for k, v in doc.items() if k != "_id"}, "id": str(doc["_id"]), "changes": changes}


@blp.route("")
class Audit(MethodView):
    @auth_required(roles=["admin"])
    @blp.arguments(AuditQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, AuditPageSchema)
    @blp.doc(security=SECURITY)
    def get(self, query):
        """Audit entries, newest first (admin): filter by entity and id, actor, action"""
        page, size = query["page"], query["page_size"]
        match = {field: query[name] for name, field in FILTERS.items() if name in query}
        docs, total = ctx().store.page_audit(match, (page - 1) * size, size)
        return {"items": [_public(d) for d in docs], "total": total, "page": page, "page_size": size}
