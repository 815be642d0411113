"""Tasks (penugasan): assign to a direct subordinate, start, submit files, review, download."""
from __future__ import annotations

import logging
from datetime import date

from flask.views import MethodView
from marshmallow import RAISE
from sipk_shared.web import Blueprint

from sipk_shared.auth import auth_required, current_principal
from sipk_shared.errors import INVALID_FIELDS, ApiError
from sipk_shared.i18n import Msg
from sipk_shared.schemas import ApiErrorSchema

from ..domain.tasks import ASSIGNED, ASSIGNEE, ASSIGNER, allowed_actions, is_overdue, transition
from ..events import task_event
from ..skp_service import SkpService
from ..store import new_id
from .files import checked_uploads, file_response, stored_uploads
from .common import ctx, apply_transition, forbidden, is_direct_supervisor, now, office_today, request_id, store
from .schemas import (
    ReviewCreateSchema,
    SubmissionFilesSchema,
    SubmissionFormSchema,
    SubmissionSchema,
    TaskCreateSchema,
    TaskListQuerySchema,
    TaskPageSchema,
    TaskSchema,
)

log = logging.getLogger(__name__)

blp = Blueprint("tasks", __name__, url_prefix="/api/performance/v1/tasks",
                description="Tasks: assignment by the direct supervisor, submissions with files, review")


def role_of(task: dict, nip: str) -> str | None:
    """The caller's part in a task, by the CURRENT hierarchy: the assignee, or the assignee's
    direct supervisor now (who acts as the assigner; ``assigner_nip`` stays as who gave it). After a
    re-organisation the former supervisor has no part any more, the new one has."""
    if nip == task["assignee_nip"]:
        return ASSIGNEE
    assignee = store().get_employee(task["assignee_nip"])
    if assignee is not None and assignee.get("supervisor_nip") == nip:
        return ASSIGNER
    return None


_LOOK_UP = object()


def view(task: dict, role=_LOOK_UP) -> dict:
    if role is _LOOK_UP:
        role = role_of(task, current_principal().nip)
    due = date.fromisoformat(task["due_date"]) if task.get("due_date") else None
    return {**task, "overdue": is_overdue(due, task["status"], office_today()),
            "allowed_actions": allowed_actions(task["status"], role) if role else []}


def load_task(task_id: str, *, admin_may_read: bool = True) -> tuple[dict, str | None]:
    """The task and the caller's role in it (current hierarchy); 404 unknown, 403 strangers
    (admins may read)."""
    task = store().get_task(task_id) if len(task_id) <= 64 else None
    if task is None:
        raise ApiError(404, "not_found", Msg("Tugas itu tidak ada.", "No such task."))
    principal = current_principal()
    role = role_of(task, principal.nip)
    if role is None and not (admin_may_read and principal.is_admin):
        raise forbidden(Msg("Hanya penerima tugas, atasan langsungnya dan admin yang boleh melihat tugas ini.",
                            "Only the assignee, their direct supervisor and admins may see this task."))
    return task, role


def history_entry(action: str, from_status: str | None, to_status: str, **extra) -> dict:
    return {"action": action, "from_status": from_status, "to_status": to_status,
            "by": current_principal().nip, "at": now(), **extra}


def do_transition(task: dict, role: str | None, action: str, *, set_fields: dict | None = None,
                  push: dict | None = None, history_extra: dict | None = None, event_verb: str | None = None,
                  event_extra: dict | None = None) -> dict:
    if role is None:
        raise forbidden(Msg("Hanya penerima tugas atau atasan langsungnya yang boleh menindaklanjuti tugas ini.",
                            "Only the assignee or their direct supervisor may act on this task."))
    target = apply_transition(transition, task["status"], action, role)
    at = now()
    update = {"$set": {"status": target, "updated_at": at, **(set_fields or {})},
              "$push": {"history": history_entry(action, task["status"], target, **(history_extra or {})),
                        **(push or {})}}
    event = None
    if event_verb:
        event = task_event(event_verb, {**task, "status": target}, request_id(), **(event_extra or {}))
    updated = store().transition_task(task["id"], task["status"], update, event)
    if updated is None:  # somebody else moved it first: answer from the state that won
        fresh = store().get_task(task["id"])
        apply_transition(transition, fresh["status"] if fresh else task["status"], action, role)
        raise ApiError(409, "invalid_transition", Msg("Tugas berubah sementara itu; muat ulang.",
                                                      "The task changed meanwhile; reload it."))
    return updated


@blp.route("")
class Tasks(MethodView):
    @auth_required()
    @blp.arguments(TaskCreateSchema)
    @blp.response(201, TaskSchema)
    @blp.alt_response(401, schema=ApiErrorSchema)
    @blp.alt_response(403, schema=ApiErrorSchema, description="not_direct_supervisor")
    @blp.alt_response(422, schema=ApiErrorSchema)
    @blp.doc(security=[{"bearerAuth": []}])
    def post(self, body):
        """Assign a task to one of my direct subordinates"""
        principal = current_principal()
        assignee = store().get_employee(body["assignee_nip"])
        if not is_direct_supervisor(principal, assignee):
            raise forbidden(Msg("Anda hanya dapat memberi tugas kepada bawahan langsung Anda.",
                                "You can assign tasks to your direct subordinates only."), "not_direct_supervisor")
        if body["due_date"] < office_today():
            raise ApiError(422, "validation_failed", INVALID_FIELDS,
                           errors={"due_date": [Msg("Tenggatnya sudah lewat.", "The due date is in the past.")]})
        SkpService(store(), ctx().settings).require_item(body["assignee_nip"], body["due_date"].year,
                                                         body["skp_item_id"])
        at = now()
        task = {"id": new_id(), "title": body["title"], "description": body["description"],
                "assignee_nip": body["assignee_nip"], "assigner_nip": principal.nip,
                "due_date": body["due_date"].isoformat(), "skp_item_id": body["skp_item_id"],
                "status": ASSIGNED, "created_at": at, "updated_at": at, "last_review": None,
                "submissions": [],
                "history": [{"action": "assign", "from_status": None, "to_status": ASSIGNED,
                             "by": principal.nip, "at": at}]}
        doc = store().insert_task(task, task_event("assigned", task, request_id()))
        return view({k: v for k, v in doc.items() if not k.startswith("_")})

    @auth_required()
    @blp.arguments(TaskListQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, TaskPageSchema)
    @blp.alt_response(401, schema=ApiErrorSchema)
    @blp.doc(security=[{"bearerAuth": []}])
    def get(self, query):
        """Tasks given to me (`scope=mine`) or of the people who report to me now (`scope=assigned`)"""
        me = current_principal().nip
        if query["scope"] == "mine":
            mongo_query, role = {"assignee_nip": me}, ASSIGNEE
        else:  # the current hierarchy: my direct subordinates' tasks, whoever assigned them
            mongo_query, role = {"assignee_nip": {"$in": store().subordinate_nips(me)}}, ASSIGNER
        if query.get("status"):
            mongo_query["status"] = query["status"]
        page, size = query["page"], query["page_size"]
        items, total = store().list_tasks(mongo_query, skip=(page - 1) * size, limit=size)
        return {"items": [view(t, role) for t in items], "total": total, "page": page, "page_size": size}


@blp.route("/<string:task_id>")
class TaskById(MethodView):
    @auth_required()
    @blp.response(200, TaskSchema)
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.doc(security=[{"bearerAuth": []}])
    def get(self, task_id):
        """One task with its submissions and full history"""
        task, role = load_task(task_id)
        return view(task, role)


@blp.route("/<string:task_id>/start")
class StartTask(MethodView):
    @auth_required()
    @blp.response(200, TaskSchema)
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="invalid_transition")
    @blp.doc(security=[{"bearerAuth": []}])
    def post(self, task_id):
        """Start working on a task given to me (assigned -> in_progress)"""
        task, role = load_task(task_id, admin_may_read=False)
        return view(do_transition(task, role, "start"), role)


@blp.route("/<string:task_id>/submissions")
class Submissions(MethodView):
    @auth_required()
    # One multipart body: the schema documents `note` and `files` together
    # (OpenAPI 3 allows one requestBody); the files themselves are parsed below.
    @blp.arguments(SubmissionFormSchema, location="form", content_type="multipart/form-data")
    @blp.response(201, SubmissionSchema)
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="invalid_transition")
    @blp.alt_response(413, schema=ApiErrorSchema, description="file_too_large / payload_too_large")
    @blp.alt_response(422, schema=ApiErrorSchema, description="unsupported_file_type / too_many_files")
    @blp.doc(security=[{"bearerAuth": []}])
    def post(self, form, task_id):
        """Hand in my work: a note and up to 5 files (pdf, jpg, png, docx, xlsx; 10 MB each)"""
        files = blp.ARGUMENTS_PARSER.parse(SubmissionFilesSchema(), location="files", unknown=RAISE)
        settings = ctx().settings
        task, role = load_task(task_id, admin_may_read=False)
        if role != ASSIGNEE:
            raise forbidden(Msg("Hanya penerima tugas yang menyerahkan hasil tugas.",
                                "Only the assignee hands in work for a task."))
        apply_transition(transition, task["status"], "submit", role)  # fail fast, before storing files
        checked = checked_uploads(files["files"], settings)
        with stored_uploads(checked, "file", task_id=task["id"]) as stored:  # deleted again if refused
            submission = {"id": new_id(), "note": form["note"], "submitted_at": now(),
                          "submitted_by": current_principal().nip, "files": stored}
            do_transition(task, role, "submit", push={"submissions": submission},
                          history_extra={"submission_id": submission["id"]}, event_verb="submitted",
                          event_extra={"submission_id": submission["id"], "files": len(stored)})
        return submission


@blp.route("/<string:task_id>/submissions/<string:submission_id>/files/<string:file_id>")
class SubmissionFile(MethodView):
    @auth_required()
    @blp.response(200, content_type="application/octet-stream", description="the file, as stored")
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.doc(security=[{"bearerAuth": []}])
    def get(self, task_id, submission_id, file_id):
        """Download a submitted file (the assignee, their direct supervisor and admins only)"""
        task, _role = load_task(task_id)
        meta = next((f for s in task.get("submissions", []) if s["id"] == submission_id
                     for f in s.get("files", []) if f["id"] == file_id), None)
        return file_response(meta, file_id, Msg("Tidak ada berkas itu pada pengajuan ini.", "No such file in this submission."))


@blp.route("/<string:task_id>/review")
class Review(MethodView):
    @auth_required()
    @blp.arguments(ReviewCreateSchema)
    @blp.response(200, TaskSchema)
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="invalid_transition")
    @blp.doc(security=[{"bearerAuth": []}])
    def post(self, body, task_id):
        """Approve a submitted task or send it back for revision (the assignee's direct supervisor only)"""
        task, role = load_task(task_id, admin_may_read=False)
        action = "approve" if body["decision"] == "approve" else "revise"
        review = {"decision": body["decision"], "comment": body["comment"], "rating": body["rating"],
                  "by": current_principal().nip, "at": now()}
        return view(do_transition(task, role, action, set_fields={"last_review": review},
                                  history_extra={"comment": body["comment"], "rating": body["rating"]},
                                  event_verb="reviewed",
                                  event_extra={"decision": body["decision"], "rating": body["rating"]}), role)
