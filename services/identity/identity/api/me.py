"""/me: the signed-in employee."""
from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from sipk_shared.auth import auth_required, current_principal
from sipk_shared.errors import ApiError
from sipk_shared.schemas import ErrorSchema

from ..store import public_employee
from .schemas import EmployeeSchema

blp = Blueprint("me", __name__, url_prefix="/api/identity/v1/me", description="The signed-in employee")


@blp.route("")
class Me(MethodView):
    @auth_required(allow_password_change=True)
    @blp.response(200, EmployeeSchema)
    @blp.alt_response(401, schema=ErrorSchema)
    @blp.doc(security=[{"bearerAuth": []}])
    def get(self):
        """My profile"""
        employee = current_app.extensions["identity"].store.get_employee(current_principal().nip)
        if employee is None or not employee.get("active", False):
            raise ApiError(401, "invalid_token", "The account is no longer active.")
        return public_employee(employee)
