"""Hand-worked cases of the day rules people see first (docs/SCORING.md): worked days, "so far" and
final days, disputes, back-dated versions, the midnight gap, goals that settle."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.db import transaction

from feedback import qa_services
from feedback.choices import DisputeOutcome
from scorecards.choices import GoalStatus, MetricCode
from scorecards.engine import runs
from scorecards.engine.rows import scores_compute
from scorecards.models import DirtyDay, EmployeeDailyScore, Goal, ScoreFillState
from scorecards.selectors.changes import change_event_impact
from scorecards.selectors.goals import goals_progress
from scorecards.selectors.periods import employee_period_summary
from scorecards.services.goals import goals_settle
from scorecards.services.versions import scorecard_version_publish
from tests.factories import (
    ChangeEventFactory,
    EmployeeFactory,
    GoalFactory,
    InteractionFactory,
    MetricFactory,
    PublishedVersionFactory,
    ScorecardVersionFactory,
    SurveyResponseFactory,
    TeamFactory,
    TeamMembershipFactory,
)

pytestmark = pytest.mark.django_db

RIGA = zoneinfo.ZoneInfo("Europe/Riga")
MONDAY = dt.date(2025, 3, 10)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=RIGA)


def row_of(employee, day) -> EmployeeDailyScore:
    return EmployeeDailyScore.objects.get(employee=employee, day=day)


@pytest.fixture
def version():
    return PublishedVersionFactory(
        effective_from=dt.date(2024, 1, 1),
        sla_minutes=60,
        metrics=[
            {"code": MetricCode.CSAT, "target": 90, "floor": 50, "min_sample": 1},
            {"code": MetricCode.FCR, "target": 80, "floor": 40, "min_sample": 1},
            {"code": MetricCode.RESPONSE_SLA, "target": 90, "floor": 50, "min_sample": 1},
            {"code": MetricCode.VOLUME, "target": 10, "floor": 0, "min_sample": 1},
            {"code": MetricCode.QA, "target": 90, "floor": 40, "min_sample": 1},
        ],
        criteria=[{"weight": Decimal(1)}],
    )


@pytest.fixture
def agent(version):
    team = TeamFactory(scorecard=version.scorecard)
    employee = EmployeeFactory()
    TeamMembershipFactory(employee=employee, team=team, starts_on=dt.date(2024, 1, 1))
    return employee


def test_a_day_off_with_a_late_unhappy_survey_has_no_score_but_pools_into_the_week(agent):
    InteractionFactory(
        employee=agent,
        opened_at=at(MONDAY, 9),
        first_response_at=at(MONDAY, 9, 5),
        resolved_at=at(MONDAY, 10),
        is_first_contact_resolution=True,
    )
    sunday = MONDAY + dt.timedelta(days=6)
    interaction = InteractionFactory(employee=agent, opened_at=at(MONDAY, 11))
    SurveyResponseFactory(interaction=interaction, csat=1, submitted_at=at(sunday, 15))

    scores_compute(date_from=MONDAY, date_to=sunday, now=at(sunday + dt.timedelta(days=2), 12))

    day_off = row_of(agent, sunday)
    assert (day_off.csat_num, day_off.csat_den) == (0, 1)
    assert day_off.is_worked is False
    assert day_off.total is None
    assert day_off.band == ""
    assert (day_off.volume_num, day_off.volume_den) == (0, 0)
    tuesday = row_of(agent, MONDAY + dt.timedelta(days=1))
    assert (tuesday.total, tuesday.band, tuesday.is_worked) == (None, "", False)
    week = employee_period_summary(employee=agent, date_from=MONDAY, date_to=sunday)
    assert week.stats[MetricCode.CSAT] == (0, 1)
    assert week.stats[MetricCode.VOLUME] == (1, 1)  # one worked day, one resolved


def test_today_before_any_work_has_no_score_and_today_so_far_has_no_band(agent):
    today = MONDAY
    now = at(today, 7)
    scores_compute(date_from=today, date_to=today, now=now)
    before_work = row_of(agent, today)
    assert (before_work.total, before_work.band, before_work.is_final) == (None, "", False)

    for hour in (8, 9):
        InteractionFactory(
            employee=agent,
            opened_at=at(today, hour),
            first_response_at=at(today, hour, 10),
            resolved_at=at(today, hour, 30),
            is_first_contact_resolution=True,
        )
    scores_compute(date_from=today, date_to=today, now=at(today, 10))

    so_far = row_of(agent, today)
    assert so_far.is_worked is True
    assert so_far.is_final is False
    assert so_far.band == ""
    # Volume is progress, not a sample, until the day is final: 2 resolved so far.
    assert (so_far.volume_num, so_far.volume_den) == (2, 0)
    assert so_far.total == Decimal("100.00")  # csat n/a; fcr and response_sla at target

    scores_compute(date_from=today, date_to=today, now=at(today + dt.timedelta(days=1), 2))

    final = row_of(agent, today)
    assert final.is_final is True
    assert (final.volume_num, final.volume_den) == (2, 1)
    # fcr 100 and sla 100 (weight 1 each), volume 2 of 10 = 20: (100 + 100 + 20) / 3.
    assert final.total == Decimal("73.33")
    assert final.band == "amber"


def test_an_unanswered_interaction_at_2350_becomes_a_miss_when_yesterday_is_final(agent):
    yesterday, today = MONDAY, MONDAY + dt.timedelta(days=1)
    InteractionFactory(employee=agent, opened_at=at(yesterday, 23, 50), first_response_at=None)
    ScoreFillState.objects.create(day=yesterday - dt.timedelta(days=1), is_final=True)

    assert runs.scores_finalise_day(day=yesterday, now=at(today, 0, 10)) is False
    early = row_of(agent, yesterday)
    assert (early.response_sla_num, early.response_sla_den) == (0, 0)
    assert (early.is_final, early.band) == (False, "")
    assert ScoreFillState.objects.get(day=yesterday).is_final is False

    # Final at midnight plus the longest SLA in force (60 minutes).
    assert runs.scores_finalise_day(day=yesterday, now=at(today, 1, 0)) is True
    final = row_of(agent, yesterday)
    assert (final.response_sla_num, final.response_sla_den) == (0, 1)
    assert final.is_final is True
    assert final.band == "red"
    assert ScoreFillState.objects.get(day=yesterday).is_final is True


@pytest.fixture
def reviewed(agent, version):
    """A published review of the agent (total 50) on Monday, and two managers of the team."""
    criterion = version.qa_criteria.get()
    team = agent.memberships.get().team
    author, second = EmployeeFactory(role="manager"), EmployeeFactory(role="manager")
    team.managers.add(author, second)
    interaction = InteractionFactory(
        employee=agent, opened_at=at(MONDAY, 9), resolved_at=at(MONDAY, 10)
    )
    review = qa_services.qa_review_start(interaction=interaction, reviewer=author)
    review = qa_services.qa_review_save_and_publish(
        review=review, actor=author, ratings={criterion.pk: (2, "")}
    )
    return review, criterion, second


def _qa(agent, day) -> tuple[Decimal, Decimal]:
    scores_compute(date_from=day, date_to=day, now=at(day + dt.timedelta(days=20), 12))
    row = row_of(agent, day)
    return row.qa_num, row.qa_den


def test_a_dispute_never_takes_a_review_out_and_an_adjustment_rescores_its_day(
    agent, reviewed, settings
):
    review, criterion, second = reviewed
    published_day = review.scored_at.astimezone(RIGA).date()
    assert _qa(agent, published_day) == (50, 1)

    review = qa_services.qa_review_dispute(
        review=review, agent=agent, proposals={criterion.pk: (4, "Too harsh")}
    )
    DirtyDay.objects.all().delete()
    assert _qa(agent, published_day) == (50, 1)  # disputed: still counted

    review = qa_services.qa_review_resolve(
        review=review,
        manager=second,
        decisions={criterion.pk: (DisputeOutcome.ADJUSTED, 4)},
        note="Fair point",
        now=review.published_at + dt.timedelta(days=3),
    )
    # Adjusted a few days later: the new total replaces the old one on the published day.
    assert set(DirtyDay.objects.values_list("employee_id", "day")) == {(agent.pk, published_day)}
    assert _qa(agent, published_day) == (100, 1)
    resolution_day = published_day + dt.timedelta(days=3)
    assert _qa(agent, resolution_day) == (0, 0)


def test_an_upheld_dispute_changes_nothing(agent, reviewed):
    review, criterion, second = reviewed
    published_day = review.scored_at.astimezone(RIGA).date()
    review = qa_services.qa_review_dispute(
        review=review, agent=agent, proposals={criterion.pk: (4, "Too harsh")}
    )
    qa_services.qa_review_resolve(
        review=review,
        manager=second,
        decisions={criterion.pk: (DisputeOutcome.UPHELD, None)},
        note="It stands",
    )
    assert _qa(agent, published_day) == (50, 1)


def _run_plan(*, now: dt.datetime) -> None:
    """Do what a refresh hands to the workers, in this process."""
    with transaction.atomic():
        plan = runs.scores_plan(now=now)
    for work in plan:
        employee_ids = list(work.employee_ids) if work.employee_ids is not None else None
        scores_compute(
            date_from=work.date_from, date_to=work.date_to, employee_ids=employee_ids, now=now
        )


def test_publishing_a_back_dated_version_rescores_every_day_since(agent, version):
    start = MONDAY
    for offset in range(5):
        InteractionFactory(
            employee=agent,
            opened_at=at(start + dt.timedelta(days=offset), 9),
            resolved_at=at(start + dt.timedelta(days=offset), 10),
            is_first_contact_resolution=True,
        )
    today = start + dt.timedelta(days=4)
    scores_compute(date_from=start, date_to=today, now=at(today, 12))
    draft = ScorecardVersionFactory(scorecard=version.scorecard, effective_from=start)
    MetricFactory(version=draft, code=MetricCode.FCR, target=100, floor=0)

    scorecard_version_publish(
        version=draft, effective_from=start + dt.timedelta(days=1), now=at(today, 12)
    )

    marked = set(DirtyDay.objects.values_list("day", flat=True))
    assert marked == {start + dt.timedelta(days=n) for n in range(1, 5)}
    # The next run drains the dirty list: the days from the effective date use the new version.
    _run_plan(now=at(today, 12, 15))
    versions = dict(
        EmployeeDailyScore.objects.filter(employee=agent).values_list("day", "version_id")
    )
    assert versions[start] == version.pk
    assert {versions[start + dt.timedelta(days=n)] for n in range(1, 5)} == {draft.pk}


def test_a_goal_settles_when_its_period_is_final_and_agrees_with_its_value(agent):
    goal = GoalFactory(
        employee=agent,
        metric=MetricCode.FCR,
        target=Decimal("60"),
        starts_on=MONDAY,
        ends_on=MONDAY + dt.timedelta(days=1),
    )
    for day, first_time in ((MONDAY, True), (MONDAY + dt.timedelta(days=1), False)):
        for hour in (9, 10):
            InteractionFactory(
                employee=agent,
                opened_at=at(day, hour),
                resolved_at=at(day, hour, 30),
                is_first_contact_resolution=first_time or hour == 9,
            )
    last = MONDAY + dt.timedelta(days=1)
    scores_compute(date_from=MONDAY, date_to=last, now=at(last + dt.timedelta(days=1), 12))

    # The morning after, before the last day's deadlines have passed: not yet settled.
    assert goals_settle(now=at(last + dt.timedelta(days=1), 0, 30)) == 0
    assert Goal.objects.get().status == GoalStatus.OPEN

    after = at(last + dt.timedelta(days=1), 12)
    assert goals_settle(now=after) == 1
    (progress,) = goals_progress(goals=Goal.objects.all(), now=after)
    assert progress.value == Decimal("75.00")  # 3 of 4 first time
    assert progress.is_settled
    assert progress.is_met
    assert Goal.objects.get(pk=goal.pk).status == GoalStatus.MET


def test_change_impact_compares_final_days_only(agent):
    today = MONDAY + dt.timedelta(days=5)
    for offset in range(6):
        day = MONDAY + dt.timedelta(days=offset)
        InteractionFactory(
            employee=agent,
            opened_at=at(day, 9),
            resolved_at=at(day, 10),
            is_first_contact_resolution=True,
        )
    now = at(today, 12)
    scores_compute(date_from=MONDAY, date_to=today, now=now)
    event = ChangeEventFactory(team=agent.memberships.get().team, day=MONDAY + dt.timedelta(3))

    impact = change_event_impact(event=event, today=today, now=now)

    after = {metric.code: metric.after for metric in impact.metrics}
    # The event's day and the day after are final; today (so far) is left out.
    assert (after[MetricCode.FCR].num, after[MetricCode.FCR].den) == (2, 2)
    assert (after[MetricCode.VOLUME].num, after[MetricCode.VOLUME].den) == (2, 2)
    assert impact.final_until == today - dt.timedelta(days=1)
    assert impact.is_running
