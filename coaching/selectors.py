"""Reads of the coaching area: sessions someone may see, a session's effect, the overview."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from coaching.models import CoachingAction, CoachingSession
from customers.models import Interaction
from feedback.choices import ReviewStatus
from feedback.models import QAReview
from scorecards.choices import MetricCode
from scorecards.models import EmployeeDailyScore, Goal, QACriterion
from scorecards.selectors.changes import BeforeAfter, pooled_before_after
from scorecards.selectors.periods import period_summaries
from scorecards.selectors.versions import (
    employees_scorecards_on,
    last_final_day,
    version_in_force,
)
from staff.models import Employee, Team
from staff.selectors import (
    employee_for_user,
    employees_member_on,
    employees_writable_by,
    rows_visible_to,
    teams_visible_to,
)

SESSION_SORTS = {
    "-held_on": ("-held_on", "-pk"),
    "held_on": ("held_on", "pk"),
    "agent": ("agent__user__first_name", "agent__user__last_name", "-held_on"),
    "coach": ("coach__user__first_name", "coach__user__last_name", "-held_on"),
    "follow_up_on": ("follow_up_on", "-held_on"),
}
DEFAULT_SORT = "-held_on"
# How far back the form offers an agent's reviews and interactions to link.
LINKABLE_DAYS = 60
LINKABLE_LIMIT = 50


def sessions_visible_to(*, user) -> QuerySet[CoachingSession]:
    """Return the sessions the user may read: the one rule of rows about people.

    Agents their own; managers those of the days the agent was in one of their teams;
    admins all (`staff.selectors.rows_visible_to`).
    """
    return rows_visible_to(
        user=user,
        queryset=CoachingSession.objects.all(),
        day_field="held_on",
        employee_field="agent",
    )


def session_list(
    *, user, search: str = "", sort: str = DEFAULT_SORT, agent: Employee | None = None
) -> QuerySet[CoachingSession]:
    """Return the visible sessions, searched in names and notes, in the chosen order."""
    sessions = sessions_visible_to(user=user).select_related("agent__user", "coach__user")
    if agent is not None:
        sessions = sessions.filter(agent=agent)
    if search:
        sessions = sessions.filter(
            Q(agent__user__first_name__icontains=search)
            | Q(agent__user__last_name__icontains=search)
            | Q(coach__user__first_name__icontains=search)
            | Q(coach__user__last_name__icontains=search)
            | Q(notes__icontains=search)
        )
    open_actions = Count("actions", filter=Q(actions__done_at__isnull=True))
    return sessions.annotate(open_actions=open_actions).order_by(
        *SESSION_SORTS.get(sort, SESSION_SORTS[DEFAULT_SORT])
    )


def session_detail(*, user, session_id: int) -> CoachingSession | None:
    """Return one visible session with everything its page shows, or None."""
    return (
        sessions_visible_to(user=user)
        .select_related("agent__user", "coach__user")
        .prefetch_related(
            "criteria",
            Prefetch("reviews", queryset=QAReview.objects.select_related("interaction")),
            Prefetch("interactions", queryset=_interactions_with_customer()),
            "goals",
            Prefetch("actions", queryset=CoachingAction.objects.select_related("owner__user")),
        )
        .filter(pk=session_id)
        .first()
    )


def sessions_for_export() -> QuerySet[CoachingSession]:
    """Return the sessions with everything the API shows of them, in a fixed number of queries;
    the linked reviews, interactions and goals by id only."""
    return CoachingSession.objects.select_related("agent__user", "coach__user").prefetch_related(
        "criteria",
        Prefetch("reviews", queryset=QAReview.objects.only("pk")),
        Prefetch("interactions", queryset=Interaction.objects.only("pk")),
        Prefetch("goals", queryset=Goal.objects.only("pk")),
        Prefetch("actions", queryset=CoachingAction.objects.select_related("owner__user")),
    )


def _interactions_with_customer() -> QuerySet[Interaction]:
    return Interaction.objects.select_related("customer")


def agents_coachable_by(*, user) -> QuerySet[Employee]:
    """Return the people the user may record a session with: whose rows they may change."""
    me = employee_for_user(user=user)
    people = employees_writable_by(user=user).filter(is_active=True)
    if me is not None:
        people = people.exclude(pk=me.pk)
    return people.select_related("user").order_by("user__first_name", "user__last_name")


@dataclass(frozen=True)
class SessionTopics:
    """What a session with an agent may be about and link to, for the form."""

    metrics: list[tuple[str, str]]
    criteria: QuerySet[QACriterion]
    reviews: QuerySet[QAReview]
    interactions: QuerySet
    goals: QuerySet[Goal]


def session_topics(*, agent: Employee, today: dt.date) -> SessionTopics:
    """Return the agent's scorecard metrics and QA criteria in force and their recent records."""
    scorecard_id = employees_scorecards_on(employee_ids=[agent.pk], day=today).get(agent.pk)
    version = version_in_force(scorecard=scorecard_id, day=today) if scorecard_id else None
    labels = dict(MetricCode.choices)
    if version is not None:
        metrics = [(m.code, m.label) for m in version.metrics.all()]
        criteria = version.qa_criteria.all()
    else:
        metrics = list(labels.items())
        criteria = QACriterion.objects.none()
    since = today - dt.timedelta(days=LINKABLE_DAYS)
    # The latest few, as a subquery: a form field filters its choices again when validating.
    latest_reviews = (
        QAReview.objects.filter(interaction__employee=agent, published_at__date__gte=since)
        .exclude(status=ReviewStatus.DRAFT)
        .order_by("-published_at")
        .values("pk")[:LINKABLE_LIMIT]
    )
    reviews = (
        QAReview.objects.filter(pk__in=latest_reviews)
        .select_related("interaction")
        .order_by("-published_at")
    )
    latest_interactions = (
        Interaction.objects.filter(employee=agent, opened_at__date__gte=since)
        .order_by("-opened_at")
        .values("pk")[:LINKABLE_LIMIT]
    )
    interactions = (
        _interactions_with_customer().filter(pk__in=latest_interactions).order_by("-opened_at")
    )
    goals = Goal.objects.filter(employee=agent, ends_on__gte=since).order_by("-starts_on")
    return SessionTopics(
        metrics=metrics, criteria=criteria, reviews=reviews, interactions=interactions, goals=goals
    )


def session_metric_codes(*, session: CoachingSession) -> list[str]:
    """Return the metrics a session coached: its metrics, and the QA metric for its criteria."""
    codes = [code for code in session.metrics if code in MetricCode.values]
    if session.criteria.all() and MetricCode.QA not in codes:
        codes.append(MetricCode.QA)
    return codes


@dataclass(frozen=True)
class SessionEffect:
    """The coached metrics pooled over the days before the session and from its day on."""

    pooled: BeforeAfter
    final_until: dt.date

    @property
    def is_running(self) -> bool:
        """Tell whether the days after the session are not all final yet."""
        return self.pooled.after_period.date_to > self.final_until


def session_effect(
    *, session: CoachingSession, user, now: dt.datetime | None = None
) -> SessionEffect:
    """Pool the agent's coached metrics before and after the session (the change-impact reader).

    Only the agent's daily rows the reader may see count, so a manager sees the effect over
    the days the agent was in their teams.
    """
    rows = rows_visible_to(
        user=user,
        queryset=EmployeeDailyScore.objects.filter(employee_id=session.agent_id),
        day_field="day",
    )
    codes = session_metric_codes(session=session)
    return SessionEffect(
        pooled=pooled_before_after(rows=rows, day=session.held_on, codes=codes),
        final_until=last_final_day(now=now or timezone.now()),
    )


# ---- actions ---------------------------------------------------------------------------------


def actions_open_of(*, employee: Employee) -> QuerySet[CoachingAction]:
    """Return the open actions the employee owns, soonest due first."""
    return (
        CoachingAction.objects.filter(owner=employee, done_at__isnull=True)
        .select_related("session__agent__user", "owner__user")
        .order_by("due_on", "pk")
    )


def actions_open_visible_to(*, user, team: Team | None = None) -> QuerySet[CoachingAction]:
    """Return the open actions of the sessions the user may see (of one team's members)."""
    actions = CoachingAction.objects.filter(
        done_at__isnull=True, session__in=sessions_visible_to(user=user)
    )
    if team is not None:
        actions = actions.filter(session__agent__in=employees_member_on(teams=[team]))
    return actions.select_related("session__agent__user", "owner__user").order_by("due_on", "pk")


# ---- the overview ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AgentCoaching:
    agent: Employee
    sessions: int
    last_session: dt.date | None


@dataclass(frozen=True)
class QuietAgent:
    """An agent with metrics in the red over the last days and no session in them."""

    agent: Employee
    red_metrics: list[str]
    last_session: dt.date | None


@dataclass(frozen=True)
class CoachingOverview:
    date_from: dt.date
    date_to: dt.date
    quiet_days: int
    per_agent: list[AgentCoaching]
    quiet: list[QuietAgent]
    overdue: list[CoachingAction]


def _team_members(*, user, team: Team | None) -> QuerySet[Employee]:
    teams = teams_visible_to(user=user)
    if team is not None:
        teams = teams.filter(pk=team.pk)
    me = employee_for_user(user=user)
    members = employees_member_on(teams=teams).filter(is_active=True)
    if me is not None:
        members = members.exclude(pk=me.pk)
    return members.select_related("user").order_by("user__first_name", "user__last_name")


def _red_metrics(*, user, agents: list[Employee], date_from: dt.date, date_to: dt.date) -> dict:
    """Return, per agent, the labels of metrics whose pooled score is below amber."""
    rows = rows_visible_to(
        user=user,
        queryset=EmployeeDailyScore.objects.filter(employee__in=agents, is_final=True),
        day_field="day",
    )
    labels = dict(MetricCode.choices)
    red: dict[int, list[str]] = {}
    for summary in period_summaries(
        rows=rows, subject_field="employee", date_from=date_from, date_to=date_to
    ):
        if summary.version is None:
            continue
        red[summary.subject_id] = [
            str(labels[code])
            for code, result in summary.metrics.items()
            if result.score is not None and result.score < summary.version.amber_from
        ]
    return red


def coaching_overview(
    *,
    user,
    date_from: dt.date,
    date_to: dt.date,
    quiet_days: int,
    team: Team | None = None,
    now: dt.datetime | None = None,
) -> CoachingOverview:
    """Return sessions per agent in the period, red agents left uncoached, overdue actions."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    agents = list(_team_members(user=user, team=team))
    visible = sessions_visible_to(user=user).filter(agent__in=agents)
    in_period = Q(held_on__gte=date_from, held_on__lte=date_to)
    counts = {
        row["agent_id"]: row
        for row in visible.values("agent_id").annotate(
            sessions=Count("pk", filter=in_period), last_session=Max("held_on")
        )
    }
    per_agent = [
        AgentCoaching(
            agent=agent,
            sessions=counts.get(agent.pk, {}).get("sessions", 0),
            last_session=counts.get(agent.pk, {}).get("last_session"),
        )
        for agent in agents
    ]
    since = today - dt.timedelta(days=quiet_days)
    red = _red_metrics(user=user, agents=agents, date_from=since, date_to=last_final_day(now=now))
    quiet = [
        QuietAgent(agent=row.agent, red_metrics=red[row.agent.pk], last_session=row.last_session)
        for row in per_agent
        if red.get(row.agent.pk) and (row.last_session is None or row.last_session < since)
    ]
    overdue = list(actions_open_visible_to(user=user, team=team).filter(due_on__lt=today)[:100])
    return CoachingOverview(
        date_from=date_from,
        date_to=date_to,
        quiet_days=quiet_days,
        per_agent=per_agent,
        quiet=quiet,
        overdue=overdue,
    )
