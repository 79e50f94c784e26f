import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.choices import ReviewStatus
from scorecards.choices import GoalStatus, MetricCode
from scorecards.engine.sources import employee_day_stats
from scorecards.models import Goal
from scorecards.selectors.agent import employee_day_explanation
from scorecards.services.goals import goal_create, goals_settle
from staff.choices import Role
from tests.factories import (
    CustomerFactory,
    EmployeeDailyScoreFactory,
    EmployeeFactory,
    GoalFactory,
    InteractionFactory,
    PublishedQAReviewFactory,
    PublishedVersionFactory,
    QAReviewFactory,
    SurveyResponseFactory,
    TeamFactory,
    TeamMembershipFactory,
)

pytestmark = pytest.mark.django_db

RIGA = zoneinfo.ZoneInfo("Europe/Riga")
METRICS = [
    {
        "code": MetricCode.FCR,
        "target": 80,
        "floor": 40,
        "weight": 2,
        "rule_what": "Share of contacts solved the first time.",
        "translations": {"lv": {"rule_what": "Pirmajā reizē atrisināto kontaktu daļa."}},
    },
    {"code": MetricCode.CSAT, "target": 90, "floor": 50},
    {"code": MetricCode.FIRST_RESPONSE_MINUTES, "target": 5, "floor": 60},
]


@pytest.fixture
def version():
    return PublishedVersionFactory(effective_from=dt.date(2020, 1, 1), metrics=METRICS)


@pytest.fixture
def team(version):
    return TeamFactory(scorecard=version.scorecard)


@pytest.fixture
def agent(team):
    employee = EmployeeFactory(role=Role.AGENT)
    TeamMembershipFactory(employee=employee, team=team)
    return employee


@pytest.fixture
def manager(team):
    employee = EmployeeFactory(role=Role.MANAGER)
    team.managers.add(employee)
    return employee


def score_row(employee, *, team, version, day, fcr=(3, 4), csat=(4, 5), total="78", band="amber"):
    return EmployeeDailyScoreFactory(
        employee=employee,
        team=team,
        version=version,
        day=day,
        total=Decimal(total),
        band=band,
        fcr_num=fcr[0],
        fcr_den=fcr[1],
        csat_num=csat[0],
        csat_den=csat[1],
        first_response_minutes_num=40,
        first_response_minutes_den=4,
    )


def score_days(employee, *, team, version, days):
    today = timezone.localdate()
    for offset in range(days):
        score_row(employee, team=team, version=version, day=today - dt.timedelta(days=offset))


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


# ---- the agent's home -----------------------------------------------------------------------


def test_agent_home_shows_todays_total_band_and_as_of_time(client, agent, team, version):
    score_row(agent, team=team, version=version, day=timezone.localdate())
    client.force_login(agent.user)
    response = client.get(reverse("scorecards:me"))
    assert response.status_code == 200
    overview = response.context["overview"]
    assert overview.today_score is not None
    assert overview.as_of is not None
    content = response.content.decode()
    assert "Scores as of" in content
    assert 'data-band="' in content
    assert 'data-metric="fcr"' in content


def test_agent_home_says_plainly_when_there_is_no_score_today(client, agent, team, version):
    score_row(agent, team=team, version=version, day=timezone.localdate() - dt.timedelta(days=1))
    client.force_login(agent.user)
    response = client.get(reverse("scorecards:me"))
    assert response.context["overview"].today_score is None
    assert "No score yet today" in response.content.decode()


def test_agent_home_pools_the_period_instead_of_averaging_days(client, agent, team, version):
    today = timezone.localdate()
    score_row(agent, team=team, version=version, day=today, fcr=(1, 1))
    score_row(agent, team=team, version=version, day=today - dt.timedelta(days=1), fcr=(1, 9))
    client.force_login(agent.user)
    overview = client.get(reverse("scorecards:me")).context["overview"]
    fcr = next(line for line in overview.metrics if line.metric.code == MetricCode.FCR)
    # 2 of 10 pooled is 20 %; the mean of the two days' 100 % and 11 % would be 55.6 %.
    assert fcr.period.value == Decimal(20)
    assert fcr.today.value == Decimal(100)
    assert not fcr.period_meets_target


def test_agent_home_explains_each_metric_in_the_readers_language(client, agent, team, version):
    agent.language = "lv"
    agent.save()
    client.force_login(agent.user)
    content = client.get(reverse("scorecards:me")).content.decode()
    assert "Pirmajā reizē atrisināto kontaktu daļa." in content
    assert "Share of contacts solved the first time." not in content


def test_agent_home_lists_own_interactions_comments_and_published_reviews(client, agent):
    own = InteractionFactory(employee=agent, subject="Router keeps rebooting")
    SurveyResponseFactory(interaction=own, comment="Quick and kind, thank you")
    SurveyResponseFactory(interaction=own, comment="")
    PublishedQAReviewFactory(interaction=own, comment="Clear greeting")
    QAReviewFactory(interaction=InteractionFactory(employee=agent), comment="Unfinished draft")
    other = InteractionFactory(subject="Someone else's call")
    SurveyResponseFactory(interaction=other, comment="Not for this agent")
    client.force_login(agent.user)
    response = client.get(reverse("scorecards:me"))
    content = response.content.decode()
    assert "Router keeps rebooting" in content
    assert "Quick and kind, thank you" in content
    assert "Clear greeting" in content
    assert "Unfinished draft" not in content
    assert "Someone else&#x27;s call" not in content
    assert "Not for this agent" not in content
    assert len(response.context["overview"].survey_comments) == 1


def test_agent_home_shows_an_empty_state_without_a_scorecard(client):
    loner = EmployeeFactory(role=Role.AGENT)
    client.force_login(loner.user)
    response = client.get(reverse("scorecards:me"))
    assert response.status_code == 200
    assert "There is no scorecard in force for you yet" in response.content.decode()


def test_period_picker_accepts_7_30_and_90_days_only(client, agent):
    client.force_login(agent.user)
    url = reverse("scorecards:me")
    assert client.get(url, {"days": 7}).context["overview"].days == 7
    assert client.get(url, {"days": 90}).context["overview"].days == 90
    assert client.get(url, {"days": 12}).context["overview"].days == 30
    assert client.get(url, {"days": "all"}).context["overview"].days == 30


def test_onboarding_staff_have_no_scorecard_page(client):
    onboarding = EmployeeFactory(role=Role.ONBOARDING)
    client.force_login(onboarding.user)
    assert client.get(reverse("scorecards:me")).status_code == 403
    assert client.get(reverse("scorecards:my_goals")).status_code == 403


def test_pages_need_a_signed_in_user(client, agent):
    for url in (
        reverse("scorecards:me"),
        reverse("scorecards:agent_detail", args=[agent.pk]),
        reverse("scorecards:my_goals"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response.url


def test_home_sends_agents_to_their_scorecard(client, agent):
    client.force_login(agent.user)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("scorecards:me")


# ---- a manager's view of one agent ----------------------------------------------------------


def test_manager_sees_their_agents_detail_with_reviews_to_do(client, manager, agent, version):
    draft = QAReviewFactory(interaction=InteractionFactory(employee=agent, subject="Draft one"))
    InteractionFactory(employee=agent, subject="Flagged one", is_flagged_for_review=True)
    PublishedQAReviewFactory(
        interaction=InteractionFactory(employee=agent, is_flagged_for_review=True)
    )
    client.force_login(manager.user)
    response = client.get(reverse("scorecards:agent_detail", args=[agent.pk]))
    assert response.status_code == 200
    overview = response.context["overview"]
    assert overview.draft_reviews == [draft]
    assert [i.subject for i in overview.flagged_unreviewed] == ["Flagged one"]
    assert agent.full_name in response.content.decode()


def test_reviews_to_do_has_an_empty_state(client, manager, agent):
    client.force_login(manager.user)
    content = client.get(reverse("scorecards:agent_detail", args=[agent.pk])).content.decode()
    assert "nothing flagged for review" in content


@pytest.mark.parametrize("name", ["agent_detail", "agent_goals", "agent_goal_new", "agent_explain"])
def test_agents_never_reach_another_agents_pages(client, agent, team, name):
    colleague = EmployeeFactory(role=Role.AGENT)
    TeamMembershipFactory(employee=colleague, team=team)
    args = [colleague.pk, "2025-01-10"] if name == "agent_explain" else [colleague.pk]
    client.force_login(agent.user)
    assert client.get(reverse(f"scorecards:{name}", args=args)).status_code == 404


def test_managers_get_404_for_people_outside_their_teams(client, manager):
    outsider = EmployeeFactory(role=Role.AGENT)
    TeamMembershipFactory(employee=outsider, team=TeamFactory())
    client.force_login(manager.user)
    for name in ("agent_detail", "agent_goals"):
        assert client.get(reverse(f"scorecards:{name}", args=[outsider.pk])).status_code == 404


def test_onboarding_staff_get_404_for_an_agents_figures(client, agent):
    onboarding = EmployeeFactory(role=Role.ONBOARDING)
    client.force_login(onboarding.user)
    assert client.get(reverse("scorecards:agent_detail", args=[agent.pk])).status_code == 404


def test_admins_see_any_agent(client, agent):
    admin = EmployeeFactory(role=Role.ADMIN)
    client.force_login(admin.user)
    assert client.get(reverse("scorecards:agent_detail", args=[agent.pk])).status_code == 200


# ---- explain a day --------------------------------------------------------------------------

DAY = dt.date(2025, 1, 10)
NOW = dt.datetime(2025, 1, 20, 12, 0, tzinfo=RIGA)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=RIGA)


@pytest.fixture
def busy_day(agent):
    """A day with every kind of record, including ones on the edges of the engine's rules."""
    customer = CustomerFactory()

    def interaction(**fields):
        return InteractionFactory(employee=agent, customer=customer, **fields)

    interaction(opened_at=at(DAY, 9), first_response_at=at(DAY, 10))  # exactly at the SLA limit
    interaction(opened_at=at(DAY, 9), first_response_at=at(DAY, 12, 7))
    interaction(opened_at=at(DAY, 10), first_response_at=None)  # unanswered, past its deadline
    interaction(
        opened_at=at(DAY, 0, 30),
        first_response_at=at(DAY, 0, 31),
        resolved_at=at(DAY, 15),
        is_first_contact_resolution=True,
    )
    interaction(
        opened_at=at(DAY - dt.timedelta(days=2), 16),
        first_response_at=at(DAY - dt.timedelta(days=2), 17),
        resolved_at=at(DAY, 23, 59),
        is_escalated=True,
    )
    interaction(
        opened_at=at(DAY - dt.timedelta(days=3), 9),
        first_response_at=at(DAY - dt.timedelta(days=3), 9, 5),
        follow_up_due=DAY,
        follow_up_done_at=at(DAY, 18),
    )
    interaction(
        opened_at=at(DAY - dt.timedelta(days=3), 9),
        first_response_at=at(DAY - dt.timedelta(days=3), 9, 5),
        follow_up_due=DAY,
        follow_up_done_at=at(DAY + dt.timedelta(days=1), 9),
    )
    interaction(
        opened_at=at(DAY - dt.timedelta(days=3), 9),
        first_response_at=at(DAY - dt.timedelta(days=3), 9, 5),
        follow_up_due=DAY,
    )
    # Midnight in Riga is the previous evening in UTC: this one belongs to the next day.
    interaction(opened_at=at(DAY + dt.timedelta(days=1), 0, 10), first_response_at=None)
    about = interaction(opened_at=at(DAY - dt.timedelta(days=5), 9))
    SurveyResponseFactory(interaction=about, csat=5, nps=10, submitted_at=at(DAY, 11))
    SurveyResponseFactory(interaction=about, csat=3, nps=4, submitted_at=at(DAY, 12))
    SurveyResponseFactory(interaction=about, csat=4, nps=None, submitted_at=at(DAY, 13))
    PublishedQAReviewFactory(interaction=about, total=Decimal("82.50"), scored_at=at(DAY, 14))
    PublishedQAReviewFactory(
        interaction=about,
        status=ReviewStatus.DISPUTED,
        total=Decimal("10"),
        scored_at=at(DAY, 14),
    )
    QAReviewFactory(interaction=about)
    # Someone else's records never count.
    InteractionFactory(opened_at=at(DAY, 9), first_response_at=at(DAY, 9, 1))
    return agent


def test_explanation_counts_exactly_what_the_engine_counts(busy_day, version):
    explanation = employee_day_explanation(employee=busy_day, day=DAY, now=NOW)
    engine = employee_day_stats(
        employee_ids=[busy_day.pk], date_from=DAY, date_to=DAY, sla_minutes=[60], now=NOW
    )[(busy_day.pk, DAY)].metric_stats(sla_minutes=60, is_final=True)
    assert explanation.stats == engine
    assert explanation.stats[MetricCode.RESPONSE_SLA] == (2, 4)
    assert explanation.stats[MetricCode.FOLLOW_UP] == (1, 3)
    assert explanation.stats[MetricCode.NPS] == (0, 2)
    # The disputed review keeps counting at its published total (docs/SCORING.md).
    assert explanation.stats[MetricCode.QA] == (Decimal("92.50"), 2)


def test_explanation_counts_unanswered_and_open_follow_ups_only_once_due(agent, version):
    today = dt.date(2025, 1, 10)
    InteractionFactory(employee=agent, opened_at=at(today, 11, 30), first_response_at=None)
    InteractionFactory(
        employee=agent,
        opened_at=at(today, 8),
        first_response_at=at(today, 8, 5),
        follow_up_due=today,
    )
    now = at(today, 12)
    explanation = employee_day_explanation(employee=agent, day=today, now=now)
    engine = employee_day_stats(
        employee_ids=[agent.pk], date_from=today, date_to=today, sla_minutes=[60], now=now
    )[(agent.pk, today)].metric_stats(sla_minutes=60, is_final=False)
    assert explanation.stats == engine
    assert explanation.stats[MetricCode.RESPONSE_SLA] == (1, 1)
    assert explanation.stats[MetricCode.FOLLOW_UP] == (0, 0)


def test_explanation_names_the_records_behind_each_metric(busy_day, version):
    explanation = employee_day_explanation(employee=busy_day, day=DAY, now=NOW)
    by_code = {item.metric.code: item for item in explanation.metrics}
    assert set(by_code) == {MetricCode.FCR, MetricCode.CSAT, MetricCode.FIRST_RESPONSE_MINUTES}
    fcr = by_code[MetricCode.FCR]
    assert (fcr.result.num, fcr.result.den) == (1, 2)
    assert sorted(part.num for part in fcr.contributions) == [0, 1]
    assert {part.kind for part in by_code[MetricCode.CSAT].contributions} == {"survey"}


def test_explanation_flags_a_stored_row_that_counted_something_else(busy_day, team, version):
    score_row(busy_day, team=team, version=version, day=DAY, fcr=(5, 5))
    explanation = employee_day_explanation(employee=busy_day, day=DAY, now=NOW)
    fcr = next(item for item in explanation.metrics if item.metric.code == MetricCode.FCR)
    assert fcr.stored_differs


def test_explain_page_shows_num_den_and_records(client, busy_day):
    client.force_login(busy_day.user)
    response = client.get(reverse("scorecards:my_explain", args=[DAY.isoformat()]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Counted: 1 out of 2." in content
    assert "Survey: satisfaction 5 of 5" in content


def test_explain_page_refuses_bad_and_future_days(client, agent):
    client.force_login(agent.user)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert client.get(reverse("scorecards:my_explain", args=["2025-13-40"])).status_code == 404
    assert client.get("/me/explain/yesterday/").status_code == 404
    url = reverse("scorecards:my_explain", args=[tomorrow.isoformat()])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "9999-12-31"])
def test_explain_page_is_a_404_for_days_outside_the_accepted_range(client, agent, day):
    client.force_login(agent.user)

    assert client.get(f"/me/explain/{day}/").status_code == 404


def test_manager_explains_their_agents_day(client, manager, busy_day):
    client.force_login(manager.user)
    response = client.get(reverse("scorecards:agent_explain", args=[busy_day.pk, DAY.isoformat()]))
    assert response.status_code == 200
    assert response.context["explanation"].employee == busy_day


def test_a_day_without_a_team_is_explained_as_not_scored(client):
    loner = EmployeeFactory(role=Role.AGENT)
    client.force_login(loner.user)
    response = client.get(reverse("scorecards:my_explain", args=[DAY.isoformat()]))
    assert "This day is not scored" in response.content.decode()


# ---- goals ----------------------------------------------------------------------------------


def goal_data(**overrides):
    today = timezone.localdate()
    data = {
        "metric": MetricCode.CSAT,
        "target": "92",
        "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=30)).isoformat(),
        "why": "Happier customers call back less.",
    }
    data.update(overrides)
    return data


def test_agent_sets_their_own_goal(client, agent):
    client.force_login(agent.user)
    response = client.post(reverse("scorecards:my_goal_new"), goal_data())
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert (goal.employee, goal.set_by, goal.target) == (agent, agent, Decimal("92"))
    assert goal.status == GoalStatus.OPEN


def test_manager_sets_a_goal_for_their_agent(client, manager, agent):
    client.force_login(manager.user)
    url = reverse("scorecards:agent_goal_new", args=[agent.pk])
    assert client.get(url).status_code == 200
    client.post(url, goal_data(metric=MetricCode.NPS, target="-20"))
    goal = Goal.objects.get()
    assert (goal.employee, goal.set_by, goal.target) == (agent, manager, Decimal("-20"))


def test_an_agent_cannot_change_or_delete_a_goal_their_manager_set(client, manager, agent):
    set_by_manager = GoalFactory(employee=agent, set_by=manager)
    own = GoalFactory(employee=agent, set_by=agent)
    client.force_login(agent.user)

    for name in ("scorecards:my_goal_edit", "scorecards:my_goal_delete"):
        assert client.get(reverse(name, args=[set_by_manager.pk])).status_code == 404
        assert client.post(reverse(name, args=[set_by_manager.pk]), goal_data()).status_code == 404
        assert client.get(reverse(name, args=[own.pk])).status_code == 200
    listed = client.get(reverse("scorecards:my_goals")).content.decode()
    assert reverse("scorecards:my_goal_edit", args=[own.pk]) in listed
    assert reverse("scorecards:my_goal_edit", args=[set_by_manager.pk]) not in listed
    set_by_manager.refresh_from_db()
    assert set_by_manager.target == Decimal("90")
    # The manager still can.
    client.force_login(manager.user)
    url = reverse("scorecards:agent_goal_delete", args=[agent.pk, set_by_manager.pk])
    assert client.post(url).status_code == 302
    assert not Goal.objects.filter(pk=set_by_manager.pk).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"target": "101"}, "target", "between 0 and 100"),
        ({"metric": MetricCode.NPS, "target": "-101"}, "target", "between -100 and 100"),
        ({"metric": MetricCode.RESOLUTION_HOURS, "target": "-1"}, "target", "0 or more"),
        ({"ends_on": "2000-01-01"}, "ends_on", "cannot end before it starts"),
        ({"why": "   "}, "why", "This field is required"),
        ({"metric": "speed"}, "metric", "Select a valid choice"),
    ],
)
def test_goal_form_shows_each_error_at_its_field(client, agent, overrides, field, message):
    client.force_login(agent.user)
    response = client.post(reverse("scorecards:my_goal_new"), goal_data(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Goal.objects.exists()


def test_goal_service_refuses_what_the_form_refuses(agent):
    today = timezone.localdate()
    with pytest.raises(Exception, match="between 0 and 100"):
        goal_create(
            employee=agent,
            set_by=agent,
            metric=MetricCode.FCR,
            target=Decimal("120"),
            starts_on=today,
            ends_on=today,
            why="Because.",
        )
    assert not Goal.objects.exists()


def test_agent_edits_and_deletes_a_goal(client, agent):
    goal = GoalFactory(employee=agent, status=GoalStatus.MISSED)
    client.force_login(agent.user)
    edit = reverse("scorecards:my_goal_edit", args=[goal.pk])
    assert client.get(edit).status_code == 200
    client.post(edit, goal_data(target="95"))
    goal.refresh_from_db()
    assert (goal.target, goal.status) == (Decimal("95"), GoalStatus.OPEN)
    delete = reverse("scorecards:my_goal_delete", args=[goal.pk])
    assert "Delete this goal?" in client.get(delete).content.decode()
    assert Goal.objects.filter(pk=goal.pk).exists()
    client.post(delete)
    assert not Goal.objects.filter(pk=goal.pk).exists()


def test_nobody_edits_a_goal_through_someone_elses_address(client, agent, manager):
    others = GoalFactory(employee=EmployeeFactory(role=Role.AGENT))
    client.force_login(agent.user)
    assert client.get(reverse("scorecards:my_goal_edit", args=[others.pk])).status_code == 404
    assert client.post(reverse("scorecards:my_goal_delete", args=[others.pk])).status_code == 404
    client.force_login(manager.user)
    url = reverse("scorecards:agent_goal_edit", args=[agent.pk, others.pk])
    assert client.get(url).status_code == 404
    assert Goal.objects.filter(pk=others.pk).exists()


def test_goal_progress_pools_the_goals_own_days(client, agent, team, version):
    today = timezone.localdate()
    goal = GoalFactory(
        employee=agent,
        metric=MetricCode.FCR,
        target=Decimal("50"),
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=5),
    )
    score_row(agent, team=team, version=version, day=today, fcr=(1, 1))
    score_row(agent, team=team, version=version, day=today - dt.timedelta(days=1), fcr=(1, 9))
    # Before the goal started: not part of its progress.
    score_row(agent, team=team, version=version, day=today - dt.timedelta(days=2), fcr=(9, 9))
    client.force_login(agent.user)
    response = client.get(reverse("scorecards:my_goals"))
    (item,) = response.context["goals"]
    assert item.goal == goal
    assert (item.num, item.den, item.value) == (2, 10, Decimal("20.00"))
    assert not item.is_met
    assert item.percent == 40


def test_goal_list_is_paginated_sortable_and_has_an_empty_state(client, agent):
    client.force_login(agent.user)
    url = reverse("scorecards:my_goals")
    assert "No goals yet." in client.get(url).content.decode()
    today = timezone.localdate()
    for offset in range(25):
        GoalFactory(employee=agent, starts_on=today - dt.timedelta(days=offset))
    first = client.get(url)
    assert len(first.context["goals"]) == 20
    assert first.context["goals"][0].goal.starts_on == today
    oldest = client.get(url, {"sort": "starts_on"}).context["goals"][0]
    assert oldest.goal.starts_on == today - dt.timedelta(days=24)
    assert len(client.get(url, {"page": 2}).context["goals"]) == 5


def test_goals_settle_marks_ended_goals_met_or_missed_once(agent, team, version):
    today = dt.date(2025, 2, 1)
    ended = {"starts_on": dt.date(2025, 1, 1), "ends_on": dt.date(2025, 1, 31)}
    met = GoalFactory(employee=agent, metric=MetricCode.FCR, target=Decimal("60"), **ended)
    missed = GoalFactory(employee=agent, metric=MetricCode.FCR, target=Decimal("90"), **ended)
    lower = GoalFactory(
        employee=agent,
        metric=MetricCode.FIRST_RESPONSE_MINUTES,
        target=Decimal("12"),
        **ended,
    )
    no_data = GoalFactory(employee=agent, metric=MetricCode.CSAT, target=Decimal("1"), **ended)
    running = GoalFactory(
        employee=agent,
        metric=MetricCode.FCR,
        starts_on=dt.date(2025, 1, 15),
        ends_on=dt.date(2025, 2, 1),
    )
    for day in (dt.date(2025, 1, 10), dt.date(2025, 1, 20)):
        score_row(agent, team=team, version=version, day=day, fcr=(3, 4), csat=(0, 0))
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
    assert goals_settle(now=now) == 4
    statuses = {goal.pk: goal.status for goal in Goal.objects.all()}
    assert statuses[met.pk] == GoalStatus.MET
    assert statuses[missed.pk] == GoalStatus.MISSED
    assert statuses[lower.pk] == GoalStatus.MET  # 10 minutes on average, at most 12 wanted
    assert statuses[no_data.pk] == GoalStatus.MISSED
    assert statuses[running.pk] == GoalStatus.OPEN
    assert goals_settle(now=now) == 0


# ---- query counts ---------------------------------------------------------------------------


def fill(agent, *, team, version, days, items):
    score_days(agent, team=team, version=version, days=days)
    for _ in range(items):
        interaction = InteractionFactory(employee=agent, is_flagged_for_review=True)
        SurveyResponseFactory(interaction=interaction, comment="Fine")
        PublishedQAReviewFactory(interaction=interaction)
        QAReviewFactory(interaction=InteractionFactory(employee=agent))
        GoalFactory(employee=agent)


@pytest.mark.parametrize(("days", "items"), [(7, 2), (90, 15)])
def test_agent_home_query_count_is_pinned(
    client, agent, team, version, django_assert_max_num_queries, days, items
):
    fill(agent, team=team, version=version, days=days, items=items)
    client.force_login(agent.user)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("scorecards:me"), {"days": 90}).status_code == 200


def test_agent_pages_do_not_query_more_with_more_data(client, manager, team, version):
    small, large = EmployeeFactory(role=Role.AGENT), EmployeeFactory(role=Role.AGENT)
    for employee in (small, large):
        TeamMembershipFactory(employee=employee, team=team)
    fill(small, team=team, version=version, days=7, items=1)
    fill(large, team=team, version=version, days=90, items=12)
    for employee in (small, large):
        for _ in range(3):
            InteractionFactory(
                employee=employee,
                opened_at=at(DAY, 9),
                resolved_at=at(DAY, 10),
                is_first_contact_resolution=True,
            )
    client.force_login(manager.user)
    counts = {}
    for employee in (small, large):
        counts[employee] = (
            count_queries(client, reverse("scorecards:agent_detail", args=[employee.pk])),
            count_queries(client, reverse("scorecards:agent_goals", args=[employee.pk])),
            count_queries(
                client, reverse("scorecards:agent_explain", args=[employee.pk, DAY.isoformat()])
            ),
        )
    assert counts[small] == counts[large]


def test_manager_pages_query_count_is_pinned(
    client, manager, agent, team, version, django_assert_max_num_queries
):
    fill(agent, team=team, version=version, days=30, items=5)
    client.force_login(manager.user)
    # The agent page and a day's explanation each read once which days of the agent the
    # manager may see, and when the day becomes final (the SLA lengths in force).
    with django_assert_max_num_queries(20):
        client.get(reverse("scorecards:agent_detail", args=[agent.pk]))
    with django_assert_max_num_queries(10):
        client.get(reverse("scorecards:agent_goals", args=[agent.pk]))
    with django_assert_max_num_queries(14):
        client.get(reverse("scorecards:agent_explain", args=[agent.pk, DAY.isoformat()]))


def test_a_point_of_the_trend_chart_links_to_that_day_explained(client, agent, manager, team):
    version = team.scorecard.versions.get()
    today = timezone.localdate()
    score_row(agent, team=team, version=version, day=today - dt.timedelta(days=1))
    client.force_login(agent.user)
    chart = client.get(reverse("scorecards:me")).context["trend_chart"]
    assert len(chart["links"]) == len(chart["labels"])
    yesterday = reverse("scorecards:my_explain", args=[today - dt.timedelta(days=1)])
    assert yesterday in chart["links"]
    # A day without a score has nothing to explain.
    assert chart["links"].count(None) == len(chart["links"]) - 1
    assert client.get(yesterday).status_code == 200

    client.force_login(manager.user)
    chart = client.get(reverse("scorecards:agent_detail", args=[agent.pk])).context["trend_chart"]
    expected = reverse("scorecards:agent_explain", args=[agent.pk, today - dt.timedelta(days=1)])
    assert expected in chart["links"]
