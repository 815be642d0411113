"""/auth: sign in, refresh, sign out, public keys.

Two ways to carry the refresh token, chosen per request:

* JSON (the default, for scripts and native clients): the pair is in the
  answer body and the refresh token is sent back in the body.
* Cookie, asked for with the header ``X-Token-Transport: cookie`` (the web
  app): the refresh token travels only in an HttpOnly, SameSite=Strict cookie
  scoped to this path (Secure over HTTPS), so a script injected into the page
  cannot read it; the body carries the access token only. The header is also
  the CSRF guard: without it the cookie is ignored, and a cross-site page can
  neither send a custom header without a CORS preflight (never granted) nor,
  with SameSite=Strict, the cookie. See docs/web.md.
"""
from flask import after_this_request, current_app, request
from flask.views import MethodView
from sipk_shared.errors import INVALID_FIELDS, ApiError
from sipk_shared.i18n import Msg
from sipk_shared.web import Blueprint

from sipk_shared.schemas import ApiErrorSchema

from .schemas import JwksSchema, LoginSchema, RefreshSchema, TokenPairSchema

AUTH_PATH = "/api/identity/v1/auth"
REFRESH_COOKIE = "sipk_refresh"
TRANSPORT_HEADER = "X-Token-Transport"

blp = Blueprint("auth", __name__, url_prefix=AUTH_PATH, description="Sign-in and tokens")


def _signin():
    return current_app.extensions["identity"].signin


def cookie_transport() -> bool:
    return request.headers.get(TRANSPORT_HEADER, "").strip().lower() == "cookie"


def _secure() -> bool:
    return request.is_secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https"


def _set_refresh_cookie(token: str | None) -> None:
    """Set (or, with None, clear) the refresh cookie on this request's response."""
    max_age = current_app.extensions["identity"].settings.refresh_ttl_s if token else 0

    @after_this_request
    def _cookie(response):
        response.set_cookie(REFRESH_COOKIE, token or "", max_age=max_age, path=AUTH_PATH, secure=_secure(),
                            httponly=True, samesite="Strict")
        return response


def token_answer(pair: dict) -> dict:
    """The token pair as this request asked for it: whole in the body, or the refresh token in the cookie."""
    if not cookie_transport():
        return pair
    _set_refresh_cookie(pair["refresh_token"])
    return {k: v for k, v in pair.items() if k != "refresh_token"}


def _presented_refresh_token(body: dict) -> str:
    if cookie_transport():
        token = request.cookies.get(REFRESH_COOKIE, "")
        if not 10 <= len(token) <= 200:
            raise ApiError(401, "invalid_refresh_token", Msg("Tidak ada sesi untuk diperbarui; silakan masuk lagi.",
                                                             "There is no session to refresh; sign in again."))
        return token
    if not body.get("refresh_token"):
        raise ApiError(422, "validation_failed", INVALID_FIELDS,
                       errors={"refresh_token": ["Missing data for required field."]})
    return body["refresh_token"]


@blp.route("/login")
class Login(MethodView):
    @blp.arguments(LoginSchema)
    @blp.response(200, TokenPairSchema)
    @blp.alt_response(401, schema=ApiErrorSchema, description="invalid_credentials")
    @blp.alt_response(429, schema=ApiErrorSchema, description="too_many_attempts")
    def post(self, body):
        """Sign in with NIP and password (`X-Token-Transport: cookie`: refresh token in an HttpOnly cookie)"""
        return token_answer(_signin().login(body["nip"], body["password"]))


@blp.route("/refresh")
class Refresh(MethodView):
    @blp.arguments(RefreshSchema)
    @blp.response(200, TokenPairSchema)
    @blp.alt_response(401, schema=ApiErrorSchema, description="invalid, expired or reused refresh token")
    @blp.alt_response(409, schema=ApiErrorSchema,
                      description="refresh_in_progress: another request used this token a moment ago")
    def post(self, body):
        """Exchange a refresh token (body, or the cookie with `X-Token-Transport: cookie`) for a new pair"""
        token = _presented_refresh_token(body)
        try:
            return token_answer(_signin().refresh(token))
        except ApiError as exc:
            # A dead cookie is of no use; the app signs in again. Not on 409: another tab's refresh
            # won a moment ago and its answer carries the new cookie, which clearing would undo.
            if cookie_transport() and exc.status == 401:
                _set_refresh_cookie(None)
            raise


@blp.route("/logout")
class Logout(MethodView):
    @blp.arguments(RefreshSchema)
    @blp.response(204)
    def post(self, body):
        """Sign out: revoke the refresh token's whole family (and clear the cookie in cookie mode)"""
        if cookie_transport():
            _set_refresh_cookie(None)
            token = request.cookies.get(REFRESH_COOKIE, "")
            if 10 <= len(token) <= 200:
                _signin().logout(token)
            return
        _signin().logout(_presented_refresh_token(body))


@blp.route("/jwks")
class Jwks(MethodView):
    @blp.response(200, JwksSchema)
    def get(self):
        """Public keys that verify access tokens (no auth)"""
        return {"keys": [current_app.extensions["identity"].key.public_jwk()]}
