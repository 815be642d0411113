"""/me: the signed-in employee."""
from flask import current_app, g
from flask.views import MethodView
from sipk_shared.web import Blueprint

from sipk_shared.schemas import ApiErrorSchema

from ..store import public_employee
from .access import signed_in, store
from .auth import token_answer
from .schemas import MeSchema, PasswordChangeSchema, TokenPairSchema

blp = Blueprint("me", __name__, url_prefix="/api/identity/v1/me", description="The signed-in employee")
SECURITY = [{"bearerAuth": []}]


@blp.route("")
class Me(MethodView):
    @signed_in(allow_password_change=True)
    @blp.response(200, MeSchema)
    @blp.alt_response(401, schema=ApiErrorSchema)
    @blp.doc(security=SECURITY)
    def get(self):
        """My profile; is_supervisor when someone active reports to me"""
        me = g.me
        return {**public_employee(me), "is_supervisor": bool(store().direct_subordinates(me["nip"], active_only=True))}


@blp.route("/password")
class MyPassword(MethodView):
    @signed_in(allow_password_change=True)
    @blp.arguments(PasswordChangeSchema)
    @blp.response(200, TokenPairSchema)
    @blp.alt_response(422, schema=ApiErrorSchema, description="wrong_password, weak_password")
    @blp.alt_response(429, schema=ApiErrorSchema, description="too_many_attempts")
    @blp.doc(security=SECURITY)
    def post(self, body):
        """Change my password (also the temporary one): min 10 characters, not the NIP

        Every other session ends (all refresh tokens are revoked) and a fresh
        token pair is answered, without the password-change flag."""
        return token_answer(current_app.extensions["identity"].signin.change_password(
            g.me["nip"], body["old_password"], body["new_password"]))
