"""/skp: the annual plan (SKP), its cascade, realisation, feedback, behaviour, evaluation, documents."""
from __future__ import annotations

import csv
import io

from flask import Response, jsonify
from flask.views import MethodView
from marshmallow import RAISE
from sipk_shared.web import Blueprint

from sipk_shared.auth import auth_required, current_principal
from sipk_shared.errors import ApiError
from sipk_shared.i18n import Msg
from sipk_shared.schemas import ApiErrorSchema

from .. import documents
from ..domain.skp import PREDIKATS
from sipk_shared.uploads import content_disposition
from ..skp_service import PERIOD_EVALUATED, SkpService
from ..store import new_id
from .common import ctx, now, request_id, store
from .files import checked_uploads, file_response, stored_uploads
from .schemas import SubmissionFilesSchema
from .skp_schemas import (
    ApproveSchema,
    BehaviourInSchema,
    CascadeQuerySchema,
    CascadeSchema,
    DocumentQuerySchema,
    EvaluationDocumentSchema,
    EvaluationInSchema,
    EvaluationResultSchema,
    EvidenceFormSchema,
    EvidenceUploadSchema,
    FeedbackInSchema,
    PeriodSchema,
    RealizationInSchema,
    ReportQuerySchema,
    ResponseInSchema,
    ReturnSchema,
    ReviseSchema,
    SettingInSchema,
    SettingSchema,
    SkpCreateSchema,
    SkpDocumentSchema,
    SkpEditSchema,
    SkpListQuerySchema,
    SkpListSchema,
    SkpSchema,
    SubmitSchema,
    UnitReportSchema,
)

blp = Blueprint("skp", __name__, url_prefix="/api/performance/v1",
                description="Annual plan (SKP): RHK and cascade, realisation, behaviour, evaluation, documents")

SECURITY = [{"bearerAuth": []}]
CSV_HEADERS = ("Predikat", "Jumlah Pegawai", "Persentase (%)")
CSV_EMPLOYEE_HEADERS = ("NIP", "Nama", "Jabatan", "Status SKP", "Predikat")


def service() -> SkpService:
    return SkpService(store(), ctx().settings, request_id=request_id())


def document_doc(json_schema) -> dict:
    """The documents answer HTML (default), PDF, or their model as JSON through its schema."""
    return {"responses": {"200": {"description": "text/html (default), application/pdf or JSON", "content": {
        "text/html": {"schema": {"type": "string"}},
        "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        "application/json": {"schema": json_schema}}}}}


def document_response(kind: str, model: dict, fmt: str, filename: str, schema):
    if fmt == "json":
        return jsonify(schema().dump(model))
    html = documents.render_html(kind, model)
    if fmt == "pdf":
        response = Response(documents.render_pdf(html), mimetype="application/pdf")
        response.headers["Content-Disposition"] = content_disposition(f"{filename}.pdf")
    else:
        response = Response(html, mimetype="text/html")
        response.headers["Content-Disposition"] = content_disposition(f"{filename}.html", "inline")
    # the page is ours alone: no script at all, nothing fetched from elsewhere, only its own inline style
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# ------------------------------------------------------------------ the plan
@blp.route("/skp")
class Skps(MethodView):
    @auth_required()
    @blp.arguments(SkpCreateSchema)
    @blp.response(201, SkpSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="skp_exists / employee_unknown")
    @blp.alt_response(422, schema=ApiErrorSchema, description="validation_failed / cascade_invalid")
    @blp.doc(security=SECURITY)
    def post(self, body):
        """Draft my SKP for a year: RHK items with indicators, each RHK utama cascading from my supervisor's"""
        return service().create(current_principal(), body["year"], body["items"])

    @auth_required()
    @blp.arguments(SkpListQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, SkpListSchema)
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.doc(security=SECURITY)
    def get(self, query):
        """SKPs of an employee (`nip`, default me; my direct subordinates, my supervisor, admins: anyone)"""
        items = service().list_for(current_principal(), query.get("nip"), query.get("year"))
        return {"items": items, "total": len(items)}


@blp.route("/skp/cascade")
class Cascade(MethodView):
    @auth_required()
    @blp.arguments(CascadeQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, CascadeSchema)
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.alt_response(422, schema=ApiErrorSchema)
    @blp.doc(security=SECURITY)
    def get(self, query):
        """For each RHK of my approved SKP: my direct subordinates' RHK cascading from it; who has no approved plan"""
        return service().cascade(current_principal(), query["year"], query.get("nip"))


@blp.route("/skp/reports/distribution")
class Distribution(MethodView):
    @auth_required()
    @blp.arguments(ReportQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, UnitReportSchema)
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.alt_response(422, schema=ApiErrorSchema)
    @blp.doc(security=SECURITY)
    def get(self, query):
        """A unit's predikat distribution for a year (admin), against the caps of the unit's own rating;
        `format=csv` for a spreadsheet"""
        period = query["period"]
        report = service().unit_report(current_principal(), query["unit_code"], query["year"], period,
                                       query.get("unit_rating"))
        if query["format"] == "json":
            return report
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_HEADERS)
        for name in PREDIKATS:
            writer.writerow((name, report["counts"][name], report["percent"][name]))
        writer.writerow(("Belum dievaluasi", report["not_evaluated"], ""))
        writer.writerow(())
        writer.writerow(CSV_EMPLOYEE_HEADERS)
        for row in report["employees_list"]:
            writer.writerow([_cell(row[k]) for k in ("nip", "name", "position", "skp_status", "predikat")])
        response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
        response.headers["Content-Disposition"] = content_disposition(
            f"distribusi-predikat-{query['unit_code']}-{query['year']}-{period}.csv")
        return response


def _cell(value) -> str:
    """CSV cells never start a formula in a spreadsheet (=, +, -, @)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@blp.route("/skp/<string:skp_id>")
class SkpById(MethodView):
    @auth_required()
    @blp.response(200, SkpSchema)
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.doc(security=SECURITY)
    def get(self, skp_id):
        """One SKP with its items, approved version, transitions and revision history"""
        svc, principal = service(), current_principal()
        return svc.shown_to(principal, svc.readable(principal, skp_id))

    @auth_required()
    @blp.arguments(SkpEditSchema)
    @blp.response(200, SkpSchema)
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="skp_frozen (approved) / invalid_transition")
    @blp.alt_response(422, schema=ApiErrorSchema)
    @blp.doc(security=SECURITY)
    def put(self, body, skp_id):
        """Replace my draft's (or returned plan's) items; keep an RHK's `id` to keep it"""
        return service().edit(current_principal(), skp_id, body["items"])


def _transition_route(path: str, action: str, schema, summary: str):
    def post(self, body, skp_id):
        svc, principal = service(), current_principal()
        if action == "submit":
            return svc.submit(principal, skp_id)
        if action == "approve":
            return svc.approve(principal, skp_id, body.get("note"))
        if action == "return":
            return svc.return_(principal, skp_id, body["note"])
        return svc.revise(principal, skp_id, body["reason"])

    post.__doc__ = summary
    post = blp.doc(security=SECURITY)(post)
    for code, text in ((409, "invalid_transition"), (404, None), (403, "not_direct_supervisor / forbidden")):
        post = blp.alt_response(code, schema=ApiErrorSchema, description=text)(post)
    post = blp.response(200, SkpSchema)(post)
    post = blp.arguments(schema)(post)
    post = auth_required()(post)
    blp.route(f"/skp/<string:skp_id>/{path}", endpoint=f"skp_{action}")(type(f"Skp{action.title()}", (MethodView,),
                                                                            {"post": post}))


_transition_route("submit", "submit", SubmitSchema, "Submit my plan to my direct supervisor (draft/returned -> submitted)")
_transition_route("approve", "approve", ApproveSchema,
                  "Approve a submitted plan (the direct supervisor; an admin, also for a head without supervisor)")
_transition_route("return", "return", ReturnSchema, "Return a submitted plan with a note (submitted -> returned)")
_transition_route("revisions", "revise", ReviseSchema,
                  "Open a revision of my approved plan (approved -> draft, revision + 1; the approved one stays in force)")


# ------------------------------------------------------------------ periods
@blp.route("/skp/<string:skp_id>/realizations")
class Realizations(MethodView):
    @auth_required()
    @blp.arguments(RealizationInSchema)
    @blp.response(201, PeriodSchema)
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="skp_not_approved / period_evaluated")
    @blp.alt_response(422, schema=ApiErrorSchema, description="invalid_period / validation_failed")
    @blp.doc(security=SECURITY)
    def post(self, body, skp_id):
        """Report my realisation of a period: per indicator the realised value, a note and evidence links"""
        return service().realize(current_principal(), skp_id, body["period"], body["items"])


@blp.route("/skp/<string:skp_id>/realizations/<string:period>/files")
class EvidenceFiles(MethodView):
    @auth_required()
    @blp.arguments(EvidenceFormSchema, location="form", content_type="multipart/form-data")
    @blp.response(201, EvidenceUploadSchema)
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="period_evaluated")
    @blp.alt_response(413, schema=ApiErrorSchema, description="file_too_large")
    @blp.alt_response(422, schema=ApiErrorSchema, description="unsupported_file_type / too_many_files")
    @blp.doc(security=SECURITY)
    def post(self, form, skp_id, period):
        """Attach files as evidence (bukti dukung) to an indicator: the same rules as task submissions"""
        files = blp.ARGUMENTS_PARSER.parse(SubmissionFilesSchema(), location="files", unknown=RAISE)
        settings = ctx().settings
        svc, principal = service(), current_principal()
        skp = svc.evidence_target(principal, skp_id, period, form["item_id"], form["indicator_id"])
        checked = checked_uploads(files["files"], settings, at_least=1)
        with stored_uploads(checked, "bukti", skp_id=skp["id"]) as stored:  # deleted again if refused
            for meta in stored:
                meta.update(uploaded_at=now(), uploaded_by=principal.nip)
            if not svc.attach_files(principal, skp, period, form["item_id"], form["indicator_id"], stored):
                raise ApiError(409, "period_evaluated", PERIOD_EVALUATED)
        return {"files": stored}


@blp.route("/skp/<string:skp_id>/files/<string:file_id>")
class EvidenceFile(MethodView):
    @auth_required()
    @blp.response(200, content_type="application/octet-stream", description="the file, as stored")
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.doc(security=SECURITY)
    def get(self, skp_id, file_id):
        """Download an evidence file (the employee, the direct supervisor and admins)"""
        meta = service().file_meta(current_principal(), skp_id, file_id) if len(file_id) <= 64 else None
        return file_response(meta, file_id, Msg("Tidak ada berkas bukti itu pada SKP ini.", "No such evidence file in this SKP."))


@blp.route("/skp/<string:skp_id>/periods/<string:period>")
class PeriodView(MethodView):
    @auth_required()
    @blp.response(200, PeriodSchema)
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="skp_not_approved")
    @blp.alt_response(422, schema=ApiErrorSchema, description="invalid_period")
    @blp.doc(security=SECURITY)
    def get(self, skp_id, period):
        """A period (or `annual`): realisation with evidence (also approved linked tasks and daily-log entries),
        feedback, behaviour, evaluation and its history, the attendance summary"""
        return service().period_view(current_principal(), skp_id, period)


@blp.route("/skp/<string:skp_id>/feedback")
class Feedback(MethodView):
    @auth_required()
    @blp.arguments(FeedbackInSchema)
    @blp.response(200, PeriodSchema)
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.alt_response(422, schema=ApiErrorSchema)
    @blp.doc(security=SECURITY)
    def post(self, body, skp_id):
        """Feedback (umpan balik) per RHK for a period (the direct supervisor or an admin)"""
        return service().feedback(current_principal(), skp_id, body["period"], body["items"])


@blp.route("/skp/<string:skp_id>/behaviour")
class Behaviour(MethodView):
    @auth_required()
    @blp.arguments(BehaviourInSchema)
    @blp.response(200, PeriodSchema)
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.alt_response(422, schema=ApiErrorSchema)
    @blp.doc(security=SECURITY)
    def post(self, body, skp_id):
        """Rate the 7 BerAKHLAK values (with ekspektasi khusus pimpinan) and give the perilaku rating"""
        return service().behaviour(current_principal(), skp_id, body["period"], body["values"], body["perilaku"])


@blp.route("/skp/<string:skp_id>/evaluations")
class Evaluations(MethodView):
    @auth_required()
    @blp.arguments(EvaluationInSchema)
    @blp.response(201, EvaluationResultSchema)
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="conflict / skp_not_approved")
    @blp.alt_response(422, schema=ApiErrorSchema, description="invalid_period / perilaku_mismatch")
    @blp.doc(security=SECURITY)
    def post(self, body, skp_id):
        """Evaluate a period or the year (`annual`): hasil kerja and perilaku -> predikat by the official matrix;
        posting again replaces it (the old one stays in the history)"""
        return service().evaluate(current_principal(), skp_id, body["period"], body["hasil_kerja"],
                                  body["perilaku"], body["note"])


@blp.route("/skp/<string:skp_id>/evaluations/<string:period>/response")
class EvaluationResponse(MethodView):
    @auth_required()
    @blp.arguments(ResponseInSchema)
    @blp.response(200, PeriodSchema)
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="not_evaluated / conflict (answered already)")
    @blp.doc(security=SECURITY)
    def post(self, body, skp_id, period):
        """My response to the evaluation of a period (once per evaluation)"""
        return service().respond(current_principal(), skp_id, period, body["response"])


# ------------------------------------------------------------------ documents
@blp.route("/skp/<string:skp_id>/document")
class SkpDocument(MethodView):
    @auth_required()
    @blp.arguments(DocumentQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, description="text/html, application/pdf or JSON")
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.doc(security=SECURITY, **document_doc(SkpDocumentSchema))
    def get(self, query, skp_id):
        """The SKP form (Sasaran Kinerja Pegawai): printable HTML, PDF or JSON"""
        svc = service()
        skp = svc.appraisal_party(current_principal(), skp_id)
        supervisor = svc.supervisor_of(skp["nip"])
        rater = store().get_employee(supervisor) if supervisor else None
        model = documents.skp_model(skp, _person(rater), svc.today())
        return document_response("skp", model, query["format"], f"SKP-{skp['year']}-{skp['nip']}", SkpDocumentSchema)


@blp.route("/skp/<string:skp_id>/periods/<string:period>/document")
class EvaluationDocument(MethodView):
    @auth_required()
    @blp.arguments(DocumentQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, description="text/html, application/pdf or JSON")
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.alt_response(422, schema=ApiErrorSchema)
    @blp.doc(security=SECURITY, **document_doc(EvaluationDocumentSchema))
    def get(self, query, skp_id, period):
        """Dokumen Evaluasi Kinerja of a period: realisation, feedback, behaviour, ratings, predikat, attendance"""
        svc = service()
        view = svc.period_view(current_principal(), skp_id, period)
        if view["rater"] is None or view["evaluation"]:
            view["rater"] = (view["evaluation"] or {}).get("rater") or view["rater"]
        model = documents.evaluation_model(view, svc.today())
        return document_response("evaluation", model, query["format"],
                                 f"Evaluasi-Kinerja-{view['year']}-{period}-{view['nip']}", EvaluationDocumentSchema)


def _person(employee):
    if not employee:
        return None
    return {"nip": employee.get("nip") or employee.get("_id"), "name": employee.get("name"),
            "position": employee.get("position"), "unit_code": employee.get("unit_code")}


# ------------------------------------------------------------------ settings
@blp.route("/skp-settings/<int:year>")
class Settings(MethodView):
    @auth_required()
    @blp.response(200, SettingSchema)
    @blp.alt_response(422, schema=ApiErrorSchema)
    @blp.doc(security=SECURITY)
    def get(self, year):
        """The period scheme of a year (quarterly Q1-Q4 by default, or monthly M01-M12)"""
        return service().setting(year)

    @auth_required()
    @blp.arguments(SettingInSchema)
    @blp.response(200, SettingSchema)
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.alt_response(422, schema=ApiErrorSchema)
    @blp.doc(security=SECURITY)
    def put(self, body, year):
        """Set a year's period scheme (admin); plans drafted after it use it, earlier ones keep theirs"""
        return service().put_setting(current_principal(), year, body["period_scheme"])
