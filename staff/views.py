from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_POST

from crs_site.http import redirect_back
from staff.choices import Language, Role
from staff.selectors import employee_for_user, role_for_user, teams_for_employee
from staff.services import employee_language_set


@login_required
def home(request):
    """Send each role to its own start page; without one, show who and where the user is."""
    employee = employee_for_user(user=request.user)
    if employee is not None and employee.role == Role.AGENT:
        return redirect("scorecards:me")
    if employee is not None and employee.role == Role.ONBOARDING:
        # New staff read the rules and acknowledge them: their list is the whole job.
        return redirect("scorecards:onboarding")
    if employee is not None and employee.role == Role.MANAGER:
        first_team = employee.managed_teams.order_by("name").first()
        if first_team is not None:
            return redirect("scorecards:team_dashboard", slug=first_team.slug)
    context = {
        "role": role_for_user(user=request.user),
        "teams": teams_for_employee(employee=employee) if employee else [],
    }
    return render(request, "staff/home.html", context)


@require_POST
def language_set(request):
    """Switch the interface language: stored on the employee, or in a cookie when signed out."""
    language = request.POST.get("language", "")
    response = redirect_back(request, "/")
    if language not in Language.values:
        return response
    employee = employee_for_user(user=request.user) if request.user.is_authenticated else None
    if employee is not None:
        employee_language_set(employee=employee, language=language)
    translation.activate(language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
