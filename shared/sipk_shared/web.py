"""Flask wiring every service shares: OpenAPI, request ids, errors, health."""
from __future__ import annotations

import ipaddress
import socket
import time
import urllib.parse
from typing import Callable

from flask import Flask, g, jsonify, request, send_from_directory
import flask_smorest
from flask_smorest import Api
from flask.json.provider import DefaultJSONProvider
from webargs import core as webargs_core
from webargs.flaskparser import FlaskParser, is_json_request

from . import jsonbody
from .auth import TokenVerifier
from .errors import register_error_handlers
from .logs import clean_request_id, request_id_var
from .metrics import instrument
from .schemas import ApiErrorSchema
from .timestamps import iso_value
from .settings import CommonSettings

ReadinessDetail = Callable[[], object]


class _SchemaDecidesParser(FlaskParser):
    """Query strings obey their schema's ``unknown`` (marshmallow's default: RAISE) instead of
    webargs' silent EXCLUDE, so an unknown or misspelt query parameter is a 422, not ignored.

    JSON bodies go through the bounded parser (``sipk_shared.jsonbody``); query strings and form
    fields obey the same text rule (no control characters, no lone surrogates)."""

    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": None, "querystring": None}

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return webargs_core.missing
        data = req.get_data(cache=True)
        return jsonbody.loads(data) if data else webargs_core.missing

    def load_querystring(self, req, schema):
        jsonbody.check_text_fields(req.args.items(multi=True))
        return super().load_querystring(req, schema)

    def load_form(self, req, schema):
        jsonbody.check_text_fields(req.form.items(multi=True))
        return super().load_form(req, schema)


class _Api(Api):
    """flask-smorest's Api documenting the error body we really answer (its default and 422s too)."""

    ERROR_SCHEMA = ApiErrorSchema


def _json_default(value):
    # Every datetime an answer carries outside a schema (error details, their embedded documents):
    # ISO 8601, UTC as Z (sipk_shared.timestamps), never Flask's RFC 822 date.
    written = iso_value(value)
    if written is not None:
        return written
    return DefaultJSONProvider.default(value)


class _BoundedJSONProvider(DefaultJSONProvider):
    """``request.get_json()`` parses with the same bounds as the schemas' parser; datetimes are
    written as ISO 8601 with an offset."""

    default = staticmethod(_json_default)

    def loads(self, s, **kwargs):
        return jsonbody.loads(s)


def optional_body(schema_cls: type) -> dict:
    """A JSON body a route may do without (an empty body is ``{}``); loaded by ``schema_cls`` with the
    same bounded parser and the same 422s as ``@blp.arguments``."""
    from marshmallow import ValidationError

    from .errors import INVALID_FIELDS, ApiError

    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    data = jsonbody.loads(raw)
    try:
        return schema_cls().load(data if data is not None else {})
    except ValidationError as exc:
        errors = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        raise ApiError(422, "validation_failed", INVALID_FIELDS, errors=errors) from None


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint with the strict query parser; every service's routes use it."""

    ARGUMENTS_PARSER = _SchemaDecidesParser()


Networks = tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]


def parse_networks(text: str) -> Networks:
    """``"127.0.0.1/32, 10.0.0.5"`` -> networks (for TRUSTED_PROXIES)."""
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip())


def client_address(trusted_proxies: Networks) -> str:
    """The client's address: the gateway's ``X-Real-IP`` when the request comes from a trusted
    proxy (the gateway), else the peer's own address. A client reaching a service directly cannot
    choose its address by sending the header."""
    peer = request.remote_addr or ""
    try:
        peer_ip = ipaddress.ip_address(peer)
    except ValueError:
        return peer
    if any(peer_ip in net for net in trusted_proxies):
        real = (request.headers.get("X-Real-IP") or "").strip()
        try:
            return str(ipaddress.ip_address(real))
        except ValueError:
            return peer
    return peer


def broker_reachable(amqp_url: str, timeout_s: float = 0.5) -> bool:
    """A TCP probe only: web workers hold no AMQP connection (the worker does)."""
    parsed = urllib.parse.urlparse(amqp_url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 5672), timeout=timeout_s):
            return True
    except OSError:
        return False


def create_base_app(settings: CommonSettings, *, title: str, description: str,
                    verifier: TokenVerifier, database_ready: Callable[[], bool],
                    readiness_details: dict[str, ReadinessDetail] | None = None,
                    max_body_bytes: int = 1_000_000) -> tuple[Flask, Api]:
    svc = settings.service
    app = Flask(svc)
    app.json = _BoundedJSONProvider(app)
    app.config.update(
        API_TITLE=title,
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX=f"/api/{svc}",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        # Swagger UI's files come from the service itself (the pinned swagger-ui-bundle-v2 package), so
        # the docs work on a closed network; no call to the online validator either.
        OPENAPI_SWAGGER_UI_URL=f"/api/{svc}/docs/assets/",
        OPENAPI_SWAGGER_UI_CONFIG={"validatorUrl": None},
        API_SPEC_OPTIONS={"info": {"description": description}},
        MAX_CONTENT_LENGTH=max_body_bytes,
        JSON_SORT_KEYS=False,
    )
    api = _Api(app)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    app.extensions["sipk_token_verifier"] = verifier
    register_error_handlers(app)
    instrument(app, svc)

    @app.before_request
    def _bind_request_id():
        rid = clean_request_id(request.headers.get("X-Request-ID"))
        g.request_id = rid
        g.started = time.perf_counter()
        request_id_var.set(rid)

    @app.after_request
    def _echo_request_id(response):
        response.headers["X-Request-ID"] = getattr(g, "request_id", "")
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.get(f"/api/{svc}/docs/assets/<path:name>")
    def swagger_ui_asset(name):
        """Swagger UI's own files (swagger-ui-bundle.js, swagger-ui.css, ...), from the pinned package."""
        from swagger_ui_bundle import swagger_ui_path

        response = send_from_directory(swagger_ui_path, name, max_age=86400)
        response.headers["Cache-Control"] = "public, max-age=86400"
        return response

    @app.get(f"/api/{svc}/healthz")
    def healthz():
        return jsonify({"status": "ok", "service": svc})

    @app.get(f"/api/{svc}/readyz")
    def readyz():
        db_ok = database_ready()
        details: dict[str, object] = {"broker": "reachable" if broker_reachable(settings.amqp_url) else "unreachable"}
        for name, probe in (readiness_details or {}).items():
            try:
                details[name] = probe() if db_ok else None
            except Exception:  # noqa: BLE001 - details never fail readiness
                details[name] = None
        body = {"status": "ready" if db_ok else "not_ready", "service": svc,
                "checks": {"database": "ok" if db_ok else "unreachable"}, "details": details}
        return jsonify(body), (200 if db_ok else 503)

    return app, api
