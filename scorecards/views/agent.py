"""Pages of this area: the agent's home, a day explained, goals, and a manager's view of an agent.

Each page serves two addresses: `/me/...` for the signed-in employee and `/agents/<id>/...` for a
manager looking at one of their people; `employee_id` is None on the first.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from crs_site.lib import spreadsheet
from crs_site.lib.spreadsheet import Column, columns_download, export_format
from scorecards.forms import GoalForm
from scorecards.metrics import metric as metric_spec
from scorecards.scoring import quantize
from scorecards.selectors.agent import employee_day_explanation, employee_overview
from scorecards.selectors.goals import (
    employee_goals,
    goal_progress_of,
    goals_editable_by,
    goals_with_pooled,
)
from scorecards.selectors.markers import trend_markers
from scorecards.selectors.versions import last_final_day
from scorecards.services.goals import goal_create, goal_delete, goal_update
from staff.choices import Role
from staff.models import Employee
from staff.selectors import (
    employee_day_visible,
    employee_for_user,
    employee_visible_until,
    employees_visible_to,
    employees_writable_by,
    is_admin,
)

PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30
GOALS_PER_PAGE = 20
GOAL_SORTS = {
    "starts_on": ("starts_on",),
    "-starts_on": ("-starts_on",),
    "ends_on": ("ends_on",),
    "-ends_on": ("-ends_on",),
    "metric": ("metric", "-starts_on"),
    "status": ("status", "-starts_on"),
}
DEFAULT_GOAL_SORT = "-starts_on"


def _own_employee(request) -> Employee:
    """Return the signed-in employee; onboarding staff and accounts without one have no scores."""
    employee = employee_for_user(user=request.user)
    if employee is None or employee.role == Role.ONBOARDING:
        raise PermissionDenied(_("Only agents and managers have a scorecard of their own."))
    return employee


def _visible_agent(request, employee_id: int) -> Employee:
    """Return a person the signed-in manager may see; anyone else gets 404, agents always."""
    viewer = employee_for_user(user=request.user)
    is_manager = viewer is not None and viewer.role == Role.MANAGER
    if not (is_manager or is_admin(user=request.user)):
        raise Http404
    return get_object_or_404(
        employees_visible_to(user=request.user).select_related("user"), pk=employee_id
    )


def _subject(request, employee_id: int | None) -> Employee:
    if employee_id is None:
        return _own_employee(request)
    return _visible_agent(request, employee_id)


def _writable_subject(request, employee_id: int | None) -> Employee:
    """Return the person whose goals the user may set: a former member's are read-only."""
    subject = _subject(request, employee_id)
    if not employees_writable_by(user=request.user).filter(pk=subject.pk).exists():
        raise Http404
    return subject


def _period(request) -> int:
    try:
        days = int(request.GET.get("days", DEFAULT_PERIOD))
    except ValueError:
        return DEFAULT_PERIOD
    return days if days in PERIODS else DEFAULT_PERIOD


def _interaction_edit_exists() -> bool:
    # The edit page belongs to the interaction pages; until it exists, nothing links to it.
    try:
        reverse("customers:interaction_edit", args=[0])
    except NoReverseMatch:
        return False
    return True


def _explain_url(*, subject, day: dt.date, is_self: bool) -> str:
    if is_self:
        return reverse("scorecards:my_explain", args=[day])
    return reverse("scorecards:agent_explain", args=[subject.pk, day])


def _trend_chart(overview, markers=(), *, subject=None, is_self: bool = True) -> dict:
    """Return the chart spec of the daily totals with the version's band limits and markers.

    `links` sends a click on a day's point to that day explained (charts.js); the table under
    the chart has the same links for keyboards and screen readers.
    """
    labels = [formats.date_format(point.day, "SHORT_DATE_FORMAT") for point in overview.trend]
    links = [
        _explain_url(subject=subject, day=point.day, is_self=is_self)
        if subject is not None and point.total is not None
        else None
        for point in overview.trend
    ]
    index = {point.day: position for position, point in enumerate(overview.trend)}
    datasets = [
        {
            "label": _("Daily total"),
            "data": [None if p.total is None else float(p.total) for p in overview.trend],
            "borderColor": "#0d6efd",
            "backgroundColor": "#0d6efd",
            "tension": 0.2,
        }
    ]
    version = overview.version
    if version is not None:
        for label, limit, colour in (
            (_("Green from"), version.green_from, "#198754"),
            (_("Amber from"), version.amber_from, "#ffc107"),
        ):
            datasets.append(
                {
                    "label": label,
                    "data": [float(limit)] * len(labels),
                    "borderColor": colour,
                    "borderDash": [6, 4],
                    "borderWidth": 1,
                    "pointRadius": 0,
                }
            )
    return {
        "type": "line",
        "labels": labels,
        "datasets": datasets,
        "markers": [
            {"x": index[marker.day], "label": marker.label}
            for marker in markers
            if marker.day in index
        ],
        "links": links,
        "options": {
            # Drawn at once: the figures matter, not the motion (and screenshots show them).
            "animation": False,
            "scales": {
                "y": {"min": 0, "max": 100},
                "x": {"ticks": {"maxTicksLimit": 10, "maxRotation": 0}},
            },
        },
    }


@login_required
def overview(request, employee_id: int | None = None):
    """Show an employee's day, trend, metrics, goals and feedback (the agent home)."""
    subject = _subject(request, employee_id)
    is_self = employee_id is None
    until = employee_visible_until(user=request.user, employee=subject, today=timezone.localdate())
    if until is None:
        raise Http404
    result = employee_overview(
        employee=subject,
        user=request.user,
        # A former member's trend ends the day they left the viewer's teams.
        today=until,
        days=_period(request),
        language=translation.get_language(),
        with_reviews_to_do=not is_self,
    )
    markers = trend_markers(
        user=request.user,
        employee=subject,
        date_from=result.trend[0].day,
        date_to=result.trend[-1].day,
    )
    context = {
        "subject": subject,
        "is_self": is_self,
        "overview": result,
        "periods": PERIODS,
        "trend_chart": _trend_chart(result, markers, subject=subject, is_self=is_self),
        "trend_markers": markers,
        "can_edit_interactions": is_self and _interaction_edit_exists(),
    }
    return render(
        request, "scorecards/me.html" if is_self else "scorecards/agent_detail.html", context
    )


@login_required
def explain(request, day: dt.date, employee_id: int | None = None):
    """Show, per metric, the num and den of a day and the records that made them."""
    subject = _subject(request, employee_id)
    if day > timezone.localdate() or not employee_day_visible(
        user=request.user, employee=subject, day=day
    ):
        raise Http404
    explanation = employee_day_explanation(
        employee=subject, day=day, language=translation.get_language()
    )
    context = {
        "subject": subject,
        "is_self": employee_id is None,
        "explanation": explanation,
        "previous_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1) if day < timezone.localdate() else None,
    }
    return render(request, "scorecards/explain.html", context)


def _goal_columns() -> list[Column]:
    """A goal a row; its target and value are numbers in the unit of their own column."""
    return [
        Column(_("Metric"), lambda item: item.goal.get_metric_display()),
        Column(_("Target"), lambda item: item.goal.target),
        Column(
            _("Value so far"),
            lambda item: quantize(item.value) if item.value is not None else None,
        ),
        Column(_("Unit"), lambda item: metric_spec(item.goal.metric).unit.symbol),
        Column(_("Starts"), lambda item: item.goal.starts_on),
        Column(_("Ends"), lambda item: item.goal.ends_on),
        Column(_("Status"), lambda item: item.standing.label),
        Column(_("Why"), lambda item: item.goal.why),
    ]


@login_required
def goal_list(request, employee_id: int | None = None):
    """List an employee's goals with their progress, newest first, paginated and sortable."""
    subject = _subject(request, employee_id)
    now = timezone.now()
    today = timezone.localdate(now)
    sort = request.GET.get("sort", DEFAULT_GOAL_SORT)
    if sort not in GOAL_SORTS:
        sort = DEFAULT_GOAL_SORT
    goals = goals_with_pooled(
        goals=employee_goals(employee=subject, ordering=GOAL_SORTS[sort]), until=today
    )
    final_until = last_final_day(now=now)
    if file_format := export_format(request):
        return columns_download(
            file_format=file_format,
            name=f"goals-{subject.user.get_username()}",
            title=_("Goals"),
            columns=_goal_columns(),
            items=(
                goal_progress_of(goal=goal, until=today, final_until=final_until)
                for goal in goals[: spreadsheet.EXPORT_MAX_ROWS + 1]
            ),
        )
    page = Paginator(goals, GOALS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "subject": subject,
        "is_self": employee_id is None,
        "page": page,
        "goals": [
            goal_progress_of(goal=goal, until=today, final_until=final_until) for goal in page
        ],
        "editable_ids": set(
            goals_editable_by(user=request.user, employee=subject).values_list("pk", flat=True)
        ),
        "sort": sort,
    }
    return render(request, "scorecards/goal_list.html", context)


def _goals_url(employee_id: int | None) -> str:
    if employee_id is None:
        return reverse("scorecards:my_goals")
    return reverse("scorecards:agent_goals", args=[employee_id])


def _goal_form_page(request, *, subject, employee_id, form, goal=None):
    context = {"subject": subject, "is_self": employee_id is None, "form": form, "goal": goal}
    return render(request, "scorecards/goal_form.html", context)


def _saved(form, save) -> bool:
    """Run the service on a valid form; put its refusals next to their fields."""
    if not form.is_valid():
        return False
    try:
        save(**form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def goal_new(request, employee_id: int | None = None):
    """Create a goal: agents for themselves, managers for their people."""
    subject = _writable_subject(request, employee_id)
    today = timezone.localdate()
    if request.method == "POST":
        form = GoalForm(request.POST)
        setter = employee_for_user(user=request.user)
        if _saved(
            form,
            lambda **data: goal_create(employee=subject, set_by=setter, **data),
        ):
            messages.success(request, _("Goal saved."))
            return redirect(_goals_url(employee_id))
    else:
        form = GoalForm(initial={"starts_on": today, "ends_on": today + dt.timedelta(days=29)})
    return _goal_form_page(request, subject=subject, employee_id=employee_id, form=form)


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request, goal_id: int, employee_id: int | None = None):
    """Change a goal's metric, target, period or reason."""
    subject = _subject(request, employee_id)
    goal = get_object_or_404(goals_editable_by(user=request.user, employee=subject), pk=goal_id)
    if request.method == "POST":
        form = GoalForm(request.POST)
        if _saved(form, lambda **data: goal_update(goal=goal, **data)):
            messages.success(request, _("Goal saved."))
            return redirect(_goals_url(employee_id))
    else:
        form = GoalForm(
            initial={
                "metric": goal.metric,
                "target": goal.target,
                "starts_on": goal.starts_on,
                "ends_on": goal.ends_on,
                "why": goal.why,
            }
        )
    return _goal_form_page(request, subject=subject, employee_id=employee_id, form=form, goal=goal)


@login_required
@require_http_methods(["GET", "POST"])
def goal_remove(request, goal_id: int, employee_id: int | None = None):
    """Ask before deleting a goal, then delete it."""
    subject = _subject(request, employee_id)
    goal = get_object_or_404(goals_editable_by(user=request.user, employee=subject), pk=goal_id)
    if request.method == "POST":
        goal_delete(goal=goal)
        messages.success(request, _("Goal deleted."))
        return redirect(_goals_url(employee_id))
    context = {"subject": subject, "is_self": employee_id is None, "goal": goal}
    return render(request, "scorecards/goal_confirm_delete.html", context)
