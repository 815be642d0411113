"""/employees: the directory of ASN. Admins write; reads follow the hierarchy.

Who may read what: an admin reads everyone; an employee reads their own
record, their direct supervisor's and everyone below them in the hierarchy
(direct and indirect subordinates: a head of unit looks down the whole
chain), and lists the subordinates of themselves or of anyone below them.
Anything else answers 403 (also for an unknown NIP, so the answer does not
reveal who exists). Acting on people (approving, assigning) stays limited
to direct subordinates; that is presence's and performance's rule.
"""
from flask import current_app, g, request
from flask.views import MethodView
from sipk_shared.web import Blueprint, optional_body
from marshmallow import RAISE

from sipk_shared.errors import ApiError
from sipk_shared.i18n import Msg
from sipk_shared.schemas import ApiErrorSchema

from ..domain.csv_import import CsvRejected
from ..domain.hierarchy import MAX_HIERARCHY_DEPTH, subtree
from ..importer import IMPORT_MAX_BYTES, import_employees
from ..store import employee_filter, public_employee
from .access import directory, is_admin, page_args, page_of, signed_in, store
from .schemas import (
    DeactivateSchema,
    EmployeeCreateSchema,
    EmployeeListQuerySchema,
    EmployeeOutSchema,
    EmployeePageSchema,
    EmployeePatchSchema,
    ImportFileSchema,
    ImportResultSchema,
    PasswordResetSchema,
    ReactivateSchema,
    SubordinatesQuerySchema,
)

blp = Blueprint("employees", __name__, url_prefix="/api/identity/v1/employees", description="Employees (ASN)")
SECURITY = [{"bearerAuth": []}]
# The form around the file: boundary lines and part headers.
MULTIPART_OVERHEAD = 64 * 1024


# The gateway lets at most 10 MB through on the import route.
DRAIN_MAX_BYTES = 12_000_000


@blp.before_request
def _import_body_limit():
    if request.endpoint != "employees.EmployeeImport":
        return
    limit = IMPORT_MAX_BYTES + MULTIPART_OVERHEAD
    if (request.content_length or 0) > limit:
        # Read the body before answering: closing the connection while the
        # gateway is still sending it turns our 413 into the gateway's 502.
        stream, left = request.environ["wsgi.input"], min(request.content_length, DRAIN_MAX_BYTES)
        while left > 0 and (chunk := stream.read(min(left, 65536))):
            left -= len(chunk)
        raise ApiError(413, "payload_too_large",
                       Msg("Berkas lebih besar dari {mb} MB; pecah menjadi beberapa berkas.",
                           "The file is larger than {mb} MB; split it into several files.",
                           mb=IMPORT_MAX_BYTES // 1_000_000))
    request.max_content_length = limit


def _forbidden() -> ApiError:
    return ApiError(403, "forbidden", Msg("Anda hanya boleh melihat diri sendiri, atasan Anda dan bawahan Anda.",
                                          "You may see only yourself, your supervisor and your subordinates."))


def _is_below(nip: str, ancestor: str) -> bool:
    """Does ``nip`` report to ``ancestor``, directly or through others? (bounded walk up)"""
    seen: set[str] = set()
    current = store().supervisor_of(nip)
    while current and current not in seen and len(seen) < MAX_HIERARCHY_DEPTH:
        if current == ancestor:
            return True
        seen.add(current)
        current = store().supervisor_of(current)
    return False  # top reached, or corrupt data (a loop): deny


@blp.route("")
class Employees(MethodView):
    @signed_in(admin=True)
    @blp.arguments(EmployeeCreateSchema)
    @blp.response(201, EmployeeOutSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="employee_exists")
    @blp.alt_response(422, schema=ApiErrorSchema,
                      description="invalid_nip, unknown_unit, unknown_supervisor, supervisor_cycle, weak_password")
    @blp.doc(security=SECURITY)
    def post(self, body):
        """Create an employee (admin)"""
        return public_employee(directory().create_employee(body))

    @signed_in(admin=True)
    @blp.arguments(EmployeeListQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, EmployeePageSchema)
    @blp.doc(security=SECURITY)
    def get(self, args):
        """List employees (admin): filter by unit_code, q (name or NIP), active, updated_since

        `updated_since` lets a consumer that missed events rebuild its copy
        (see also `python -m identity.replay`)."""
        page, size = page_args(args)
        unit = args.get("unit_code")
        query = employee_filter(unit_code=unit.strip().upper() if unit else None, q=args.get("q"),
                                active=args.get("active"), updated_since=args.get("updated_since"))
        docs, total = store().list_employees(query, page=page, page_size=size)
        return page_of([public_employee(d) for d in docs], total, page, size)


@blp.route("/import")
class EmployeeImport(MethodView):
    @signed_in(admin=True)
    @blp.arguments(ImportFileSchema, location="files")
    @blp.response(200, ImportResultSchema)
    @blp.alt_response(413, schema=ApiErrorSchema, description="file larger than 5 MB")
    @blp.alt_response(422, schema=ApiErrorSchema, description="csv_rejected: the file as a whole cannot be read")
    @blp.doc(security=SECURITY)
    def post(self, files):
        """Import employees from CSV (admin): nip,name,unit_code,position,supervisor_nip,email

        Creates or updates by NIP. UTF-8 with or without BOM; comma or semicolon.
        Answers {created, updated, unchanged, errors: [{line, message}]}, the
        header being line 1."""
        data = files["file"].read(IMPORT_MAX_BYTES + 1)
        try:
            return import_employees(store(), data, actor=g.me["nip"], request_id=getattr(g, "request_id", None),
                                    timezone=current_app.extensions["identity"].settings.office_timezone)
        except CsvRejected as exc:
            raise ApiError(422, "csv_rejected", Msg(exc.reason_id, exc.reason)) from None


@blp.route("/<string:nip>")
class EmployeeByNip(MethodView):
    @signed_in()
    @blp.response(200, EmployeeOutSchema)
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.doc(security=SECURITY)
    def get(self, nip):
        """One employee"""
        me = g.me
        if is_admin() or nip == me["nip"]:
            return public_employee(directory().employee(nip))
        doc = store().get_employee(nip)
        if doc is None or not (nip == me.get("supervisor_nip") or _is_below(nip, me["nip"])):
            raise _forbidden()
        return public_employee(doc)

    @signed_in(admin=True)
    @blp.arguments(EmployeePatchSchema)
    @blp.response(200, EmployeeOutSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="last_admin, concurrent_update")
    @blp.alt_response(422, schema=ApiErrorSchema, description="unknown_unit, unknown_supervisor, supervisor_cycle")
    @blp.doc(security=SECURITY)
    def patch(self, body, nip):
        """Change an employee (admin)"""
        return public_employee(directory().update_employee(nip, body))


@blp.route("/<string:nip>/deactivate")
class EmployeeDeactivate(MethodView):
    @signed_in(admin=True)
    @blp.response(200, EmployeeOutSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="has_active_subordinates (with their NIPs), last_admin")
    @blp.alt_response(422, schema=ApiErrorSchema, description="invalid_employment_span")
    @blp.doc(security=SECURITY, requestBody={"required": False, "content": {"application/json": {
        "schema": DeactivateSchema}}})
    def post(self, nip):
        """Deactivate an employee (admin): sign-in and refresh tokens stop at once

        Optional body `{active_until}`: their last day (default today); later days are not_employed."""
        body = optional_body(DeactivateSchema)
        return public_employee(directory().deactivate(nip, body.get("active_until")))


@blp.route("/<string:nip>/reactivate")
class EmployeeReactivate(MethodView):
    @signed_in(admin=True)
    @blp.response(200, EmployeeOutSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.alt_response(422, schema=ApiErrorSchema,
                      description="the supervisor is no longer valid; invalid_employment_span")
    @blp.doc(security=SECURITY, requestBody={"required": False, "content": {"application/json": {
        "schema": ReactivateSchema}}})
    def post(self, nip):
        """Reactivate an employee (admin)

        Optional body `{active_from}`: their first day back (default today); the days between the
        spans stay not_employed."""
        body = optional_body(ReactivateSchema)
        return public_employee(directory().reactivate(nip, body.get("active_from")))


@blp.route("/<string:nip>/password-reset")
class EmployeePasswordReset(MethodView):
    @signed_in(admin=True)
    @blp.response(200, PasswordResetSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="employee_inactive")
    @blp.doc(security=SECURITY)
    def post(self, nip):
        """Reset a password (admin): answers a one-time password to change at the next sign-in

        The only answer that ever carries a password, shown once to the admin
        to hand over; it is stored only as an argon2id hash."""
        employee, temporary = directory().reset_password(nip)
        return {"nip": employee["nip"], "temporary_password": temporary, "password_change_required": True}


@blp.route("/<string:nip>/subordinates")
class EmployeeSubordinates(MethodView):
    @signed_in()
    @blp.arguments(SubordinatesQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, EmployeePageSchema)
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.doc(security=SECURITY)
    def get(self, args, nip):
        """Subordinates: direct ones, or the whole subtree with ?depth=all (admin, the employee or someone above)"""
        if not (is_admin() or nip == g.me["nip"] or _is_below(nip, g.me["nip"])):
            raise _forbidden()
        s = store()
        directory().employee(nip)  # 404 for an unknown NIP
        if args["depth"] == "all":
            query = employee_filter(nips=subtree(nip, s.direct_subordinates), active=args.get("active"))
        else:
            query = employee_filter(supervisor_nip=nip, active=args.get("active"))
        page, size = page_args(args)
        docs, total = s.list_employees(query, page=page, page_size=size)
        return page_of([public_employee(d) for d in docs], total, page, size)
