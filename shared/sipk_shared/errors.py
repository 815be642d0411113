"""The uniform JSON error body of every service, for every error a service can answer.

{"code": 422, "status": "Unprocessable Entity", "message": "...", "error": "validation_failed",
 "errors": {...}, ...details}

``message`` and the per-field ``errors`` are rendered in the request's language when the body is
answered (``sipk_shared.i18n``): Bahasa Indonesia unless ``Accept-Language`` prefers English.
"""
from __future__ import annotations

import logging
import math
from http import HTTPStatus
from typing import Any

from flask import Flask, jsonify
from pymongo.errors import ConnectionFailure
from werkzeug.exceptions import HTTPException

from .i18n import Msg, localize, request_language

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


# What a client reads when nothing more specific was said (werkzeug's own HTML-minded descriptions
# never reach a body).
_DEFAULT_MESSAGES = {
    400: Msg("Permintaan tidak dapat dibaca.", "The request could not be read."),
    401: Msg("Silakan masuk terlebih dahulu.", "Sign in first."),
    403: Msg("Anda tidak berhak melakukan ini.", "You may not do this."),
    404: Msg("Alamat ini tidak ada.", "There is nothing at this address."),
    405: Msg("Metode ini tidak diizinkan untuk alamat ini.", "This method is not allowed here."),
    409: Msg("Bertentangan dengan keadaan data saat ini.", "This conflicts with the current state."),
    413: Msg("Isi permintaan terlalu besar.", "The request body is too large."),
    415: Msg("Jenis isi permintaan tidak didukung.", "This content type is not supported."),
    422: Msg("Ada isian yang tidak valid.", "The request has invalid fields."),
    429: Msg("Terlalu banyak permintaan; coba lagi sebentar lagi.", "Too many requests; try again shortly."),
    500: Msg("Terjadi kesalahan di sisi kami.", "Something went wrong on our side."),
    502: Msg("Layanan sedang tidak dapat dihubungi.", "The service cannot be reached."),
    503: Msg("Layanan sedang tidak tersedia; coba lagi sebentar lagi.", "The service is unavailable; try again shortly."),
}
INVALID_FIELDS = _DEFAULT_MESSAGES[422]


class ApiError(Exception):
    """Raise anywhere in a request to answer a specific JSON error.

    ``message`` is a ``Msg`` (both languages); a plain ``str`` is answered as it is in every
    language (a test keeps the services' own raises bilingual)."""

    def __init__(self, status: int, error: str, message: str | Msg, *, errors: dict | None = None, **details: Any):
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.errors = errors
        self.details = details


def error_body(status: int, error: str | None = None, message: str | None = None,
               errors: dict | None = None, *, lang: str | None = None, **details: Any) -> dict[str, Any]:
    """The body in ``lang`` (default: the request's): every ``Msg`` rendered, library field
    messages translated."""
    lang = lang or request_language()
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    body: dict[str, Any] = {
        "code": status,
        "status": phrase,
        "message": localize(message or _DEFAULT_MESSAGES.get(status) or phrase, lang),
        "error": error or _DEFAULT_CODES.get(status, "error"),
    }
    if errors:
        body["errors"] = localize(errors, lang, field_messages=True)
    for key, value in details.items():
        if key not in body:
            body[key] = localize(value, lang)
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


INVALID_JSON = Msg("Isi permintaan bukan JSON yang valid.", "The request body is not valid JSON.")


def _language_headers() -> dict[str, str]:
    # The message depends on Accept-Language: caches must keep the languages apart.
    return {"Content-Language": request_language(), "Vary": "Accept-Language"}


def retry_after_headers(details: dict[str, Any]) -> dict[str, str]:
    """``Retry-After`` (whole seconds, at least 1) from a ``retry_after_s`` detail."""
    wait = details.get("retry_after_s")
    if isinstance(wait, (int, float)) and not isinstance(wait, bool) and math.isfinite(wait):
        return {"Retry-After": str(max(1, math.ceil(wait)))}
    return {}


def database_unavailable() -> ApiError:
    return ApiError(503, "database_unavailable",
                    Msg("Basis data sedang tidak menjawab; coba lagi dalam {s} detik.",
                        "The database is not answering right now; try again in {s} seconds.",
                        s=DATABASE_RETRY_AFTER_S),
                    retry_after_s=DATABASE_RETRY_AFTER_S)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        body = error_body(exc.status, exc.error, exc.message, exc.errors, **exc.details)
        return jsonify(body), exc.status, {**retry_after_headers(exc.details), **_language_headers()}

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
        # werkzeug's descriptions are English prose for HTML pages: our own text per status instead.
        message = None
        error = None
        if isinstance(data, dict):
            if "messages" in data:
                errors = _flatten_webargs_messages(data["messages"])
                if status == 400 and "Invalid JSON body." in str(data["messages"]):
                    error, message = "invalid_json", INVALID_JSON
            if isinstance(data.get("message"), str):
                message = data["message"]
            error = data.get("error", error)
        if status == 422 and (not message or message.startswith("The request was well-formed")):
            message = INVALID_FIELDS
        headers = _language_headers()
        if status == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
            headers["Allow"] = ", ".join(exc.valid_methods)
        return jsonify(error_body(status, error, message, errors)), status, headers

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        # Log the detail, answer without it: stack traces never leave the service.
        log.exception("unhandled error")
        return jsonify(error_body(500, "internal_error")), 500, _language_headers()
