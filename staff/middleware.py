from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.translation import gettext as _

from staff.selectors import has_access


class EmployeeLanguageMiddleware:
    """Speak the signed-in employee's own language, whatever the browser asks for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        employee = (
            getattr(request.user, "employee", None) if request.user.is_authenticated else None
        )
        if employee is not None:
            translation.activate(employee.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


# What an account without a role may still reach: signing in and out, its password, the
# language, the health check and the customers' survey pages. The API refuses it through the
# same rule (`principal_for_user`), answering in the API's own format.
OPEN_VIEW_NAMES = frozenset(
    {
        "login",
        "logout",
        "password_change",
        "password_change_done",
        "language_set",
        "set_language",
        "health",
        "surveys:survey",
        "surveys:thanks",
        "surveys:opt_out",
    }
)
API_ROUTE_PREFIX = "api/"


class AccessMiddleware:
    """Refuse every page to a signed-in account without a role (`staff.selectors.has_access`).

    A deactivated employee, or an account that has none and is not a superuser, sees and does
    nothing but sign out and change its password (README). Written here once, so no page,
    CSV or form can forget it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or has_access(user=request.user):
            return
        match = request.resolver_match
        if match.view_name in OPEN_VIEW_NAMES or match.route.startswith(API_ROUTE_PREFIX):
            return
        raise PermissionDenied(_("Your account is not active. Ask an administrator."))
