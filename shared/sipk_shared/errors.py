"""The uniform JSON error body of PRODUCT.md, for every error a service can answer.

{"code": 422, "status": "Unprocessable Entity", "message": "...", "error": "validation_failed",
 "errors": {...}, ...details}
"""
from __future__ import annotations

import logging
import math
from http import HTTPStatus
from typing import Any

from flask import Flask, jsonify
from pymongo.errors import ConnectionFailure
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

# Machine codes for errors raised by Flask/werkzeug/webargs themselves.
_DEFAULT_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
    415: "unsupported_media_type", 422: "validation_failed", 429: "too_many_requests",
    500: "internal_error", 502: "bad_gateway", 503: "service_unavailable",
}

# How long a client should wait when the database does not answer (a restart takes seconds).
DATABASE_RETRY_AFTER_S = 5


class ApiError(Exception):
    """Raise anywhere in a request to answer a specific JSON error."""

    def __init__(self, status: int, error: str, message: str, *, errors: dict | None = None, **details: Any):
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.errors = errors
        self.details = details


def error_body(status: int, error: str | None = None, message: str | None = None,
               errors: dict | None = None, **details: Any) -> dict[str, Any]:
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    body: dict[str, Any] = {
        "code": status,
        "status": phrase,
        "message": message or phrase,
        "error": error or _DEFAULT_CODES.get(status, "error"),
    }
    if errors:
        body["errors"] = errors
    for key, value in details.items():
        if key not in body:
            body[key] = value
    return body


def _flatten_webargs_messages(messages: Any) -> dict:
    """webargs nests messages by location ({"json": {...}}); the contract wants fields."""
    if isinstance(messages, dict):
        flat: dict = {}
        for location, value in messages.items():
            if location in {"json", "query", "form", "files", "headers", "view_args", "json_or_form"} and isinstance(value, dict):
                flat.update(value)
            else:
                flat[location] = value
        return flat
    return {"_schema": messages if isinstance(messages, list) else [str(messages)]}


def retry_after_headers(details: dict[str, Any]) -> dict[str, str]:
    """``Retry-After`` (whole seconds, at least 1) from a ``retry_after_s`` detail."""
    wait = details.get("retry_after_s")
    if isinstance(wait, (int, float)) and not isinstance(wait, bool) and math.isfinite(wait):
        return {"Retry-After": str(max(1, math.ceil(wait)))}
    return {}


def database_unavailable() -> ApiError:
    return ApiError(503, "database_unavailable", "The database is not answering right now; try again shortly.",
                    retry_after_s=DATABASE_RETRY_AFTER_S)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        body = error_body(exc.status, exc.error, exc.message, exc.errors, **exc.details)
        return jsonify(body), exc.status, retry_after_headers(exc.details)

    @app.errorhandler(ConnectionFailure)  # incl. AutoReconnect, NetworkTimeout, server selection, pool wait
    def _database_down(exc: Exception):
        # Server selection timed out, the connection broke, or the pool is exhausted: the request
        # did not (or may not have) reached the database; the client retries, never a 500.
        log.warning("database unavailable", extra={"fields": {"error": type(exc).__name__}})
        return _api_error(database_unavailable())

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        status = exc.code or 500
        data = getattr(exc, "data", None) or {}
        errors = None
        message = exc.description if isinstance(exc.description, str) else None
        error = None
        if isinstance(data, dict):
            if "messages" in data:
                errors = _flatten_webargs_messages(data["messages"])
                if status == 400 and "Invalid JSON body." in str(data["messages"]):
                    error, message = "invalid_json", "The request body is not valid JSON."
            if isinstance(data.get("message"), str):
                message = data["message"]
            error = data.get("error", error)
        if status == 422 and not message:
            message = "The request has invalid fields."
        if status == 422 and message and message.startswith("The request was well-formed"):
            message = "The request has invalid fields."
        headers = {}
        if status == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
            headers["Allow"] = ", ".join(exc.valid_methods)
        return jsonify(error_body(status, error, message, errors)), status, headers

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        # Log the detail, answer without it: stack traces never leave the service.
        log.exception("unhandled error")
        return jsonify(error_body(500, "internal_error", "Something went wrong on our side.")), 500
