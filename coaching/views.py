"""Pages of the coaching area: the overview and list, a new session, a session and its effect.

Views parse input, call one service or selector and render; who may see a session is
`selectors.sessions_visible_to`, who may record one `selectors.agents_coachable_by`.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coaching import selectors, services
from coaching.forms import (
    OWNER_AGENT,
    AcknowledgeForm,
    ActionFormSet,
    AgentChoiceForm,
    CoachingSessionForm,
)
from coaching.models import CoachingAction, CoachingSession
from crs_site.http import query_text, redirect_back
from crs_site.lib.spreadsheet import Column, columns_download, export_format
from feedback.models import QAReview
from scorecards.choices import MetricCode
from scorecards.significance import MIN_SAMPLE
from staff.choices import Role
from staff.models import Employee
from staff.selectors import employee_for_user, employees_writable_by, teams_visible_to

PER_PAGE = 25
PERIODS = (30, 90, 180)
QUIET_DAYS = (14, 30, 60)


def _employee(request) -> Employee:
    employee = employee_for_user(user=request.user)
    if employee is None or not employee.is_active or employee.role == Role.ONBOARDING:
        raise PermissionDenied(_("Only agents and managers have coaching sessions."))
    return employee


def _coach(request) -> Employee:
    employee = _employee(request)
    if not employee.is_manager:
        raise PermissionDenied(_("Only managers record coaching sessions."))
    return employee


def _choice(request, name: str, allowed: tuple[int, ...]) -> int:
    try:
        value = int(request.GET.get(name, allowed[0]))
    except ValueError:
        return allowed[0]
    return value if value in allowed else allowed[0]


@login_required
def session_list(request):
    """List the sessions the user may see; managers also get the coaching overview."""
    employee = _employee(request)
    search = query_text(request)
    sort = request.GET.get("sort", selectors.DEFAULT_SORT)
    if sort not in selectors.SESSION_SORTS:
        sort = selectors.DEFAULT_SORT
    sessions = selectors.session_list(user=request.user, search=search, sort=sort)
    if file_format := export_format(request):
        if employee.is_manager and request.GET.get("table") == "per_agent":
            overview = _overview_context(request)["overview"]
            return columns_download(
                file_format=file_format,
                name=f"sessions-per-agent-{overview.date_from}-{overview.date_to}",
                dated=False,
                title=_("Sessions per agent"),
                columns=[
                    Column(_("Agent"), lambda row: row.agent.full_name),
                    Column(_("Sessions"), lambda row: row.sessions),
                    Column(_("Last session"), lambda row: row.last_session),
                ],
                items=overview.per_agent,
            )
        return columns_download(
            file_format=file_format,
            name="coaching-sessions",
            title=_("Coaching sessions"),
            columns=[
                Column(_("Held on"), lambda session: session.held_on),
                Column(_("Agent"), lambda session: session.agent.full_name),
                Column(_("Coach"), lambda session: session.coach.full_name),
                Column(_("Follow-up"), lambda session: session.follow_up_on),
                Column(_("Open actions"), lambda session: session.open_actions),
                Column(_("Acknowledged"), lambda session: session.acknowledged_at),
                Column(_("Notes"), lambda session: session.notes),
            ],
            items=sessions,
        )
    query = request.GET.copy()
    query.pop("page", None)
    filter_query = query.copy()
    filter_query.pop("sort", None)
    context = {
        "page": Paginator(sessions, PER_PAGE).get_page(request.GET.get("page")),
        "query": query.urlencode(),
        "filter_query": filter_query.urlencode(),
        "q": search,
        "sort": sort,
        "is_coach": employee.is_manager,
    }
    if employee.is_manager:
        context.update(_overview_context(request))
    return render(request, "coaching/session_list.html", context)


def _overview_context(request) -> dict:
    """The coaching overview of a manager's teams over the period the page asks for."""
    days = _choice(request, "days", PERIODS)
    quiet_days = _choice(request, "quiet", QUIET_DAYS)
    teams = teams_visible_to(user=request.user).order_by("name")
    slug = query_text(request, "team")
    team = teams.filter(slug=slug).first() if slug else None
    today = timezone.localdate()
    return {
        "overview": selectors.coaching_overview(
            user=request.user,
            date_from=today - dt.timedelta(days=days - 1),
            date_to=today,
            quiet_days=quiet_days,
            team=team,
        ),
        "teams": teams,
        "team": team,
        "days": days,
        "periods": PERIODS,
        "quiet_days": quiet_days,
        "quiet_choices": QUIET_DAYS,
    }


def _agent_from(request, agents) -> Employee | None:
    raw = request.POST.get("agent") or request.GET.get("agent")
    if not raw:
        return None
    try:
        return agents.get(pk=int(raw))
    except (ValueError, Employee.DoesNotExist):
        raise Http404 from None


def _initial(request, agent: Employee) -> dict:
    """Prefill from the review the session starts from: its interaction and weak criteria."""
    initial: dict = {"agent": agent.pk, "held_on": timezone.localdate()}
    raw = request.GET.get("review", "")
    review = (
        QAReview.objects.filter(pk=int(raw), interaction__employee=agent)
        .prefetch_related("ratings")
        .first()
        if raw.isdigit()
        else None
    )
    if review is not None:
        initial["reviews"] = [review.pk]
        initial["interactions"] = [review.interaction_id]
        initial["metrics"] = [MetricCode.QA]
        initial["criteria"] = [
            rating.criterion_id
            for rating in review.ratings.all()
            if rating.rating is not None and rating.rating <= 1
        ]
    return initial


def _actions(formset, *, agent: Employee, coach: Employee) -> list[services.ActionInput]:
    return [
        services.ActionInput(
            description=form.cleaned_data["description"],
            owner=agent if form.cleaned_data.get("owner", OWNER_AGENT) != "coach" else coach,
            due_on=form.cleaned_data["due_on"],
        )
        for form in formset
        if form.cleaned_data.get("description")
    ]


@login_required
@require_http_methods(["GET", "POST"])
def session_new(request):
    """Record a session: first whom it is with, then what it was about and what was agreed."""
    coach = _coach(request)
    agents = selectors.agents_coachable_by(user=request.user)
    agent = _agent_from(request, agents)
    if agent is None:
        form = AgentChoiceForm(agents=agents)
        return render(request, "coaching/session_agent.html", {"form": form})
    topics = selectors.session_topics(agent=agent, today=timezone.localdate())
    if request.method == "POST":
        form = CoachingSessionForm(request.POST, agents=agents, topics=topics)
        formset = ActionFormSet(request.POST, prefix="actions")
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                session = services.coaching_session_record(
                    coach=coach,
                    agent=agent,
                    held_on=data["held_on"],
                    notes=data["notes"],
                    metrics=data["metrics"],
                    criteria=list(data["criteria"]),
                    reviews=list(data["reviews"]),
                    interactions=list(data["interactions"]),
                    goals=list(data["goals"]),
                    follow_up_on=data["follow_up_on"],
                    actions=_actions(formset, agent=agent, coach=coach),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Coaching session recorded; the agent is told."))
                return redirect("coaching:session_detail", session.pk)
    else:
        form = CoachingSessionForm(initial=_initial(request, agent), agents=agents, topics=topics)
        formset = ActionFormSet(prefix="actions")
    context = {"form": form, "formset": formset, "agent": agent}
    return render(request, "coaching/session_form.html", context)


def _visible_session(request, session_id: int) -> CoachingSession:
    session = selectors.session_detail(user=request.user, session_id=session_id)
    if session is None:
        raise Http404
    return session


def _detail_context(request, employee: Employee, session: CoachingSession, form=None) -> dict:
    is_agent = session.agent_id == employee.pk
    can_manage = (
        not is_agent
        and employee.is_manager
        and employees_writable_by(user=request.user).filter(pk=session.agent_id).exists()
    )
    if is_agent and form is None:
        form = AcknowledgeForm(initial={"comment": session.agent_comment})
    return {
        "session": session,
        "effect": selectors.session_effect(session=session, user=request.user),
        "is_agent": is_agent,
        "can_manage": can_manage,
        "today": timezone.localdate(),
        "acknowledge_form": form,
        "min_sample": MIN_SAMPLE,
    }


@login_required
def session_detail(request, session_id: int):
    """Show a session, its effect on the coached metrics and its actions; the agent acknowledges."""
    employee = _employee(request)
    session = _visible_session(request, session_id)
    return render(
        request, "coaching/session_detail.html", _detail_context(request, employee, session)
    )


@login_required
@require_POST
def session_acknowledge(request, session_id: int):
    """The agent acknowledges a session, with an optional comment."""
    employee = _employee(request)
    session = _visible_session(request, session_id)
    if session.agent_id != employee.pk:
        raise Http404
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        services.coaching_session_acknowledge(
            session=session, agent=employee, comment=form.cleaned_data["comment"]
        )
        messages.success(request, _("Thank you: the session is acknowledged."))
        return redirect("coaching:session_detail", session.pk)
    context = _detail_context(request, employee, session, form)
    return render(request, "coaching/session_detail.html", context, status=400)


@login_required
@require_POST
def action_done(request, action_id: int):
    """Mark an action done: its owner, or a manager who may change the agent's rows."""
    employee = _employee(request)
    action = get_object_or_404(
        CoachingAction.objects.filter(
            session__in=selectors.sessions_visible_to(user=request.user)
        ).select_related("session"),
        pk=action_id,
    )
    may = action.owner_id == employee.pk or (
        employee.is_manager
        and employees_writable_by(user=request.user).filter(pk=action.session.agent_id).exists()
    )
    if not may:
        raise Http404
    services.coaching_action_complete(action=action)
    messages.success(request, _("Action marked done."))
    return redirect_back(request, reverse("coaching:session_detail", args=[action.session_id]))
