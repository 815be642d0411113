"""/auth: sign in, refresh, sign out, public keys."""
from flask import current_app
from flask.views import MethodView
from sipk_shared.web import Blueprint

from sipk_shared.schemas import ApiErrorSchema

from .schemas import JwksSchema, LoginSchema, RefreshSchema, TokenPairSchema

blp = Blueprint("auth", __name__, url_prefix="/api/identity/v1/auth", description="Sign-in and tokens")


def _signin():
    return current_app.extensions["identity"].signin


@blp.route("/login")
class Login(MethodView):
    @blp.arguments(LoginSchema)
    @blp.response(200, TokenPairSchema)
    @blp.alt_response(401, schema=ApiErrorSchema, description="invalid_credentials")
    @blp.alt_response(429, schema=ApiErrorSchema, description="too_many_attempts")
    def post(self, body):
        """Sign in with NIP and password"""
        return _signin().login(body["nip"], body["password"])


@blp.route("/refresh")
class Refresh(MethodView):
    @blp.arguments(RefreshSchema)
    @blp.response(200, TokenPairSchema)
    @blp.alt_response(401, schema=ApiErrorSchema, description="invalid, expired or reused refresh token")
    def post(self, body):
        """Exchange a refresh token for a new pair (the old one stops working)"""
        return _signin().refresh(body["refresh_token"])


@blp.route("/logout")
class Logout(MethodView):
    @blp.arguments(RefreshSchema)
    @blp.response(204)
    def post(self, body):
        """Sign out: revoke the refresh token's whole family"""
        _signin().logout(body["refresh_token"])


@blp.route("/jwks")
class Jwks(MethodView):
    @blp.response(200, JwksSchema)
    def get(self):
        """Public keys that verify access tokens (no auth)"""
        return {"keys": [current_app.extensions["identity"].key.public_jwk()]}
