import datetime as dt
import io
import zoneinfo
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from customers.services import interaction_update
from feedback.choices import ReviewStatus
from scorecards.choices import MetricCode
from scorecards.engine.rows import scores_compute, scores_compute_employees, scores_compute_teams
from scorecards.engine.simulate import scores_simulate
from scorecards.models import DirtyDay, EmployeeDailyScore, TeamDailyScore
from scorecards.selectors.periods import employee_period_summary, scores_as_of, team_period_summary
from tests.factories import (
    EmployeeFactory,
    InteractionFactory,
    MetricFactory,
    PublishedQAReviewFactory,
    PublishedVersionFactory,
    QAReviewFactory,
    ScorecardVersionFactory,
    SurveyResponseFactory,
    TeamFactory,
    TeamMembershipFactory,
)

RIGA = zoneinfo.ZoneInfo("Europe/Riga")
DAY = dt.date(2025, 1, 10)
NOW = dt.datetime(2025, 1, 20, 12, 0, tzinfo=RIGA)
ALL_METRICS = [{"code": code, "target": 80, "floor": 40} for code in MetricCode.values]

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=RIGA)


def stats(row, code: str) -> tuple[Decimal, Decimal]:
    return getattr(row, f"{code}_num"), getattr(row, f"{code}_den")


@pytest.fixture
def version():
    return PublishedVersionFactory(
        effective_from=dt.date(2024, 1, 1), sla_minutes=60, metrics=ALL_METRICS
    )


@pytest.fixture
def team(version):
    return TeamFactory(scorecard=version.scorecard)


@pytest.fixture
def agent(team):
    employee = EmployeeFactory()
    TeamMembershipFactory(employee=employee, team=team, starts_on=dt.date(2024, 1, 1))
    return employee


def compute(*, day_from=DAY, day_to=DAY, employee_ids=None):
    return scores_compute(date_from=day_from, date_to=day_to, employee_ids=employee_ids, now=NOW)


def row_of(employee, day=DAY) -> EmployeeDailyScore:
    return EmployeeDailyScore.objects.get(employee=employee, day=day)


def test_response_sla_counts_a_response_exactly_at_the_limit_as_within(agent):
    InteractionFactory(employee=agent, opened_at=at(DAY, 10), first_response_at=at(DAY, 11))
    InteractionFactory(employee=agent, opened_at=at(DAY, 10), first_response_at=at(DAY, 11, 1))
    InteractionFactory(employee=agent, opened_at=at(DAY, 10), first_response_at=None)

    compute()

    row = row_of(agent)
    assert stats(row, "response_sla") == (1, 3)
    assert stats(row, "first_response_minutes") == (121, 2)
    assert row.metrics["response_sla"] == {
        "value": 33.33,
        "score": row.metrics["response_sla"]["score"],
        "num": 1.0,
        "den": 3.0,
    }


def test_unanswered_interaction_counts_only_once_its_deadline_has_passed(agent):
    today = NOW.date()
    InteractionFactory(employee=agent, opened_at=at(today, 11, 30), first_response_at=None)
    InteractionFactory(employee=agent, opened_at=at(today, 10, 0), first_response_at=None)

    compute(day_from=today, day_to=today)

    assert stats(row_of(agent, today), "response_sla") == (0, 1)


def test_interaction_at_23_30_local_time_counts_on_that_local_day(agent):
    # 21:30 UTC, still the 10th in Riga (UTC+2 in winter).
    InteractionFactory(
        employee=agent,
        opened_at=at(DAY, 23, 30),
        first_response_at=at(DAY, 23, 40),
        resolved_at=at(DAY, 23, 45),
    )

    compute(day_to=DAY + dt.timedelta(days=1))

    assert stats(row_of(agent), "volume") == (1, 1)
    next_day = row_of(agent, DAY + dt.timedelta(days=1))
    assert stats(next_day, "volume") == (0, 0)
    assert next_day.total is None


def test_resolution_metrics_count_on_the_resolved_day(agent):
    opened = at(DAY - dt.timedelta(days=1), 9)
    InteractionFactory(
        employee=agent,
        opened_at=opened,
        resolved_at=opened + dt.timedelta(hours=25),
        is_first_contact_resolution=True,
    )
    InteractionFactory(
        employee=agent,
        opened_at=at(DAY, 9),
        resolved_at=at(DAY, 11, 30),
        is_escalated=True,
    )

    compute()

    row = row_of(agent)
    assert stats(row, "fcr") == (1, 2)
    assert stats(row, "escalation") == (1, 2)
    assert stats(row, "resolution_hours") == (Decimal("27.5"), 2)
    assert stats(row, "volume") == (2, 1)


def test_follow_up_due_on_a_day_without_interactions_is_counted_on_its_due_day(agent):
    due = DAY + dt.timedelta(days=3)
    opened = at(DAY, 9)
    InteractionFactory(
        employee=agent, opened_at=opened, follow_up_due=due, follow_up_done_at=at(due, 23, 50)
    )
    InteractionFactory(
        employee=agent,
        opened_at=opened,
        follow_up_due=due,
        follow_up_done_at=at(due + dt.timedelta(days=1), 0, 10),
    )
    InteractionFactory(employee=agent, opened_at=opened, follow_up_due=due)

    compute(day_to=due)

    row = row_of(agent, due)
    assert stats(row, "follow_up") == (1, 3)
    # Not a worked day (nothing opened or resolved): no sample for volume, and no total.
    assert stats(row, "volume") == (0, 0)
    assert row.is_worked is False
    assert row.total is None
    assert row.band == ""
    assert stats(row_of(agent, due - dt.timedelta(days=1)), "follow_up") == (0, 0)


def test_follow_up_due_today_counts_only_when_done(agent):
    today = NOW.date()
    opened = at(today, 8)
    InteractionFactory(
        employee=agent, opened_at=opened, follow_up_due=today, follow_up_done_at=at(today, 9)
    )
    InteractionFactory(employee=agent, opened_at=opened, follow_up_due=today)

    compute(day_from=today, day_to=today)

    assert stats(row_of(agent, today), "follow_up") == (1, 1)


def test_survey_responses_count_for_the_interactions_employee(agent):
    interaction = InteractionFactory(employee=agent, opened_at=at(DAY - dt.timedelta(days=2), 9))
    for csat, nps in ((5, 10), (4, 6), (2, None)):
        SurveyResponseFactory(interaction=interaction, csat=csat, nps=nps, submitted_at=at(DAY, 12))

    compute()

    row = row_of(agent)
    assert stats(row, "csat") == (2, 3)
    assert stats(row, "nps") == (0, 2)
    assert row.metrics["csat"]["value"] == 66.67


def test_qa_counts_published_disputed_and_resolved_reviews_on_their_scored_day(agent, version):
    scored = at(DAY, 15)
    for status, total in ((ReviewStatus.PUBLISHED, 80), (ReviewStatus.RESOLVED, 60)):
        PublishedQAReviewFactory(
            interaction=InteractionFactory(employee=agent, opened_at=at(DAY, 9)),
            version=version,
            status=status,
            total=Decimal(total),
            published_at=scored - dt.timedelta(days=3),
            scored_at=scored,
        )
    PublishedQAReviewFactory(
        interaction=InteractionFactory(employee=agent, opened_at=at(DAY, 9)),
        version=version,
        status=ReviewStatus.DISPUTED,
        scored_at=scored,
    )
    QAReviewFactory(interaction=InteractionFactory(employee=agent, opened_at=at(DAY, 9)))

    compute()

    # A disputed review keeps counting at its published total (the factory's 75).
    assert stats(row_of(agent), "qa") == (215, 3)


def test_each_day_is_scored_with_the_version_in_force_that_day(agent, version):
    newer = PublishedVersionFactory(
        scorecard=version.scorecard,
        effective_from=DAY,
        sla_minutes=30,
        metrics=[{"code": "response_sla", "target": 100, "floor": 0}],
    )
    before = DAY - dt.timedelta(days=1)
    for day in (before, DAY):
        InteractionFactory(employee=agent, opened_at=at(day, 9), first_response_at=at(day, 9, 45))

    compute(day_from=before)

    old_row, new_row = row_of(agent, before), row_of(agent, DAY)
    assert (old_row.version, stats(old_row, "response_sla")) == (version, (1, 1))
    assert (new_row.version, stats(new_row, "response_sla")) == (newer, (0, 1))
    # Every metric carries its figures; only the new version's has a value.
    assert set(new_row.metrics) == set(MetricCode.values)
    assert [code for code, f in new_row.metrics.items() if f["value"] is not None] == [
        "response_sla"
    ]
    assert new_row.total == 0
    assert new_row.band == "red"


def test_membership_change_mid_period_counts_each_day_for_the_team_of_that_day(version):
    first, second = (
        TeamFactory(scorecard=version.scorecard),
        TeamFactory(scorecard=version.scorecard),
    )
    mover = EmployeeFactory()
    TeamMembershipFactory(
        employee=mover,
        team=first,
        starts_on=dt.date(2024, 1, 1),
        ends_on=DAY - dt.timedelta(days=1),
    )
    TeamMembershipFactory(employee=mover, team=second, starts_on=DAY)
    before = DAY - dt.timedelta(days=1)
    for day in (before, DAY):
        InteractionFactory(employee=mover, opened_at=at(day, 9), resolved_at=at(day, 10))

    summary = compute(day_from=before, employee_ids=[mover.pk])

    assert row_of(mover, before).team == first
    assert row_of(mover, DAY).team == second
    assert set(summary.team_ids) == {first.pk, second.pk}
    assert list(TeamDailyScore.objects.filter(team=first).values_list("day", flat=True)) == [before]
    assert list(TeamDailyScore.objects.filter(team=second).values_list("day", flat=True)) == [DAY]


def test_team_total_is_pooled_not_averaged():
    version = PublishedVersionFactory(
        effective_from=dt.date(2024, 1, 1), metrics=[{"code": "fcr", "target": 100, "floor": 0}]
    )
    team = TeamFactory(scorecard=version.scorecard)
    strong, weak = EmployeeFactory(), EmployeeFactory()
    for employee, resolved, first_contact in ((strong, 1, 1), (weak, 4, 1)):
        TeamMembershipFactory(employee=employee, team=team)
        for n in range(resolved):
            InteractionFactory(
                employee=employee,
                opened_at=at(DAY, 9),
                resolved_at=at(DAY, 10),
                is_first_contact_resolution=n < first_contact,
            )

    compute()

    assert row_of(strong).total == 100
    assert row_of(weak).total == 25
    team_row = TeamDailyScore.objects.get(team=team, day=DAY)
    assert stats(team_row, "fcr") == (2, 5)
    assert team_row.total == 40
    assert team_row.member_count == 2


def test_an_empty_day_has_no_total(agent):
    compute()

    row = row_of(agent)
    assert row.total is None
    assert row.band == ""
    assert row.metrics["fcr"] == {"value": None, "score": None, "num": 0.0, "den": 0.0}
    team_row = TeamDailyScore.objects.get(day=DAY)
    assert team_row.total is None


def test_days_without_membership_or_version_get_no_row_and_stale_rows_go(agent, version):
    outsider = EmployeeFactory()
    unversioned = TeamFactory(scorecard=ScorecardVersionFactory().scorecard)
    TeamMembershipFactory(employee=outsider, team=unversioned)
    compute()
    assert row_of(agent)
    agent.memberships.update(starts_on=DAY + dt.timedelta(days=1))

    summary = compute()

    assert summary.employee_rows == 0
    assert not EmployeeDailyScore.objects.exists()
    assert not TeamDailyScore.objects.exists()


def test_running_twice_gives_identical_rows(agent, version):
    InteractionFactory(
        employee=agent,
        opened_at=at(DAY, 9),
        first_response_at=at(DAY, 9, 20),
        resolved_at=at(DAY, 13),
        is_first_contact_resolution=True,
        follow_up_due=DAY,
    )
    SurveyResponseFactory(
        interaction=InteractionFactory(employee=agent, opened_at=at(DAY, 9)),
        submitted_at=at(DAY, 17),
    )

    def snapshot():
        return [
            list(model.objects.order_by("pk").values().order_by("day"))
            for model in (EmployeeDailyScore, TeamDailyScore)
        ]

    compute(day_from=DAY - dt.timedelta(days=2))
    first = snapshot()
    compute(day_from=DAY - dt.timedelta(days=2))
    second = snapshot()

    for rows in (*first, *second):
        for row in rows:
            row.pop("computed_at")
    assert first == second
    assert len(first[0]) == 3


def test_rows_written_by_copy_and_by_the_orm_are_identical(agent, version, monkeypatch):
    # PostgreSQL gets the rows by COPY; the embedded SQLite through the ORM's bulk upsert.
    InteractionFactory(
        employee=agent,
        opened_at=at(DAY, 9),
        first_response_at=at(DAY, 9, 20),
        resolved_at=at(DAY, 13),
        is_escalated=True,
    )
    PublishedQAReviewFactory(
        interaction=InteractionFactory(employee=agent, opened_at=at(DAY, 8)),
        scored_at=at(DAY, 15),
    )

    def snapshot():
        rows = [
            list(model.objects.order_by("day").values())
            for model in (EmployeeDailyScore, TeamDailyScore)
        ]
        EmployeeDailyScore.objects.all().delete()
        TeamDailyScore.objects.all().delete()
        for row in (*rows[0], *rows[1]):
            row.pop("id")
        return rows

    compute(day_from=DAY - dt.timedelta(days=1))
    copied = snapshot()
    monkeypatch.setattr("scorecards.engine.sql._copy_supported", lambda: False)
    compute(day_from=DAY - dt.timedelta(days=1))
    inserted = snapshot()
    # Over stored rows too: the upsert updates them in place.
    compute(day_from=DAY - dt.timedelta(days=1))
    compute(day_from=DAY - dt.timedelta(days=1))
    assert snapshot() == inserted

    assert copied == inserted
    # The day before has no data: no total, no band, the NULLs and empty strings kept apart.
    assert copied[0][0]["band"] == ""
    assert copied[0][0]["total"] is None
    assert copied[0][1]["band"] != ""
    assert copied[0][1]["total"] is not None


def test_grouped_queries_do_not_grow_with_employees_or_days(team, django_assert_num_queries):
    employees = []
    for _n in range(30):
        employee = EmployeeFactory()
        TeamMembershipFactory(employee=employee, team=team)
        InteractionFactory(employee=employee, opened_at=at(DAY, 9), resolved_at=at(DAY, 10))
        employees.append(employee.pk)

    def run(employee_ids, days):
        scores_compute_employees(
            employee_ids=employee_ids,
            date_from=DAY - dt.timedelta(days=days - 1),
            date_to=DAY,
            now=NOW,
        )

    # Rows already stored, so every run below upserts (a first fill copies straight in).
    run(employees[:3], 1)
    with CaptureQueriesContext(connection) as small:
        run(employees[:3], 2)
    assert len(small.captured_queries) <= 14
    with django_assert_num_queries(len(small.captured_queries)):
        run(employees, 20)
    with django_assert_num_queries(len(small.captured_queries)):
        run(employees[:3], 20)
    assert EmployeeDailyScore.objects.count() == 30 * 20


def test_team_rows_follow_stored_member_rows(agent, team):
    InteractionFactory(employee=agent, opened_at=at(DAY, 9), resolved_at=at(DAY, 10))
    scores_compute_employees(employee_ids=[agent.pk], date_from=DAY, date_to=DAY, now=NOW)
    assert not TeamDailyScore.objects.exists()

    assert scores_compute_teams(team_ids=[team.pk], date_from=DAY, date_to=DAY) == 1

    assert stats(TeamDailyScore.objects.get(team=team, day=DAY), "volume") == (1, 1)


def test_edited_interaction_moving_to_another_day_rescores_both_days(agent):
    other_day = DAY + dt.timedelta(days=2)
    interaction = InteractionFactory(employee=agent, opened_at=at(DAY, 9), resolved_at=at(DAY, 10))
    compute(day_to=other_day)
    DirtyDay.objects.all().delete()

    interaction_update(
        interaction=interaction,
        opened_at=at(other_day, 9),
        first_response_at=at(other_day, 9, 5),
        resolved_at=at(other_day, 10),
    )
    dirty = sorted(DirtyDay.objects.values_list("employee_id", "day"))
    assert dirty == [(agent.pk, DAY), (agent.pk, other_day)]
    for _employee_id, day in dirty:
        compute(day_from=day, day_to=day, employee_ids=[agent.pk])

    assert stats(row_of(agent, DAY), "volume") == (0, 0)
    assert stats(row_of(agent, other_day), "volume") == (1, 1)


def test_simulation_writes_nothing_and_reflects_a_changed_target(agent, version):
    for n in range(4):
        InteractionFactory(
            employee=agent,
            opened_at=at(DAY, 9),
            first_response_at=at(DAY, 9, 50),
            resolved_at=at(DAY, 10),
            is_first_contact_resolution=n < 3,
        )
    compute()
    draft = ScorecardVersionFactory(scorecard=version.scorecard, sla_minutes=60)
    MetricFactory(version=draft, code="fcr", target=Decimal("100"), floor=Decimal("50"))
    before = list(EmployeeDailyScore.objects.values()) + list(TeamDailyScore.objects.values())

    result = scores_simulate(version=draft, date_from=DAY, date_to=DAY, now=NOW)

    after = list(EmployeeDailyScore.objects.values()) + list(TeamDailyScore.objects.values())
    assert before == after
    assert result.current_version == version
    (employee,) = result.employees
    # fcr 75 %: under the draft (100 target, 50 floor) it scores 50.
    assert (employee.subject_id, employee.draft_total) == (agent.pk, Decimal("50.00"))
    assert employee.current_total == row_of(agent).total
    (team_total,) = result.teams
    assert team_total.draft_total == Decimal("50.00")


def test_simulation_recounts_response_sla_under_the_drafts_sla(agent, version):
    InteractionFactory(employee=agent, opened_at=at(DAY, 9), first_response_at=at(DAY, 9, 45))
    compute()
    draft = ScorecardVersionFactory(scorecard=version.scorecard, sla_minutes=30)
    MetricFactory(version=draft, code="response_sla", target=Decimal("100"), floor=Decimal("0"))

    result = scores_simulate(version=draft, date_from=DAY, date_to=DAY, now=NOW)

    assert result.employees[0].draft_total == 0
    assert stats(row_of(agent), "response_sla") == (1, 1)


def test_period_summaries_pool_the_days(agent, team):
    version_fcr = {"code": "fcr", "target": 100, "floor": 0}
    team.scorecard = PublishedVersionFactory(metrics=[version_fcr]).scorecard
    team.save()
    InteractionFactory(
        employee=agent,
        opened_at=at(DAY, 9),
        resolved_at=at(DAY, 10),
        is_first_contact_resolution=True,
    )
    for _n in range(3):
        InteractionFactory(
            employee=agent, opened_at=at(DAY, 9), resolved_at=at(DAY + dt.timedelta(days=1), 10)
        )
    compute(day_to=DAY + dt.timedelta(days=1))

    summary = employee_period_summary(
        employee=agent, date_from=DAY, date_to=DAY + dt.timedelta(days=1)
    )
    team_summary = team_period_summary(team=team, date_from=DAY, date_to=DAY + dt.timedelta(days=1))

    assert summary.stats["fcr"] == (1, 4)
    assert summary.total == 25
    assert summary.days == 2
    assert team_summary.total == 25
    assert scores_as_of() == NOW


def test_compute_scores_command_backfills_the_range_in_chunks(agent, team, monkeypatch):
    monkeypatch.setattr("scorecards.management.commands.compute_scores.EMPLOYEES_PER_CHUNK", 1)
    monkeypatch.setattr("scorecards.management.commands.compute_scores.DAYS_PER_CHUNK", 2)
    other = EmployeeFactory()
    TeamMembershipFactory(employee=other, team=team)
    InteractionFactory(employee=other, opened_at=at(DAY, 9), resolved_at=at(DAY, 10))
    out = io.StringIO()

    call_command(
        "compute_scores",
        "--from",
        (DAY - dt.timedelta(days=2)).isoformat(),
        "--to",
        DAY.isoformat(),
        "--team",
        team.slug,
        stdout=out,
        stderr=io.StringIO(),
    )

    assert EmployeeDailyScore.objects.count() == 6
    assert TeamDailyScore.objects.filter(team=team).count() == 3
    assert "6 employee days, 3 team days" in out.getvalue()


def test_compute_scores_command_scores_everyone_a_span_of_days_at_a_time(agent, team, monkeypatch):
    monkeypatch.setattr("scorecards.management.commands.compute_scores.EMPLOYEE_DAYS_PER_SPAN", 3)
    other = EmployeeFactory()
    TeamMembershipFactory(employee=other, team=team, starts_on=DAY - dt.timedelta(days=1))
    InteractionFactory(employee=other, opened_at=at(DAY, 9), resolved_at=at(DAY, 10))
    spans = []
    compute_employees = scores_compute_employees

    def spy(**kwargs):
        spans.append((kwargs["employee_ids"], kwargs["date_from"], kwargs["date_to"]))
        return compute_employees(**kwargs)

    monkeypatch.setattr(
        "scorecards.management.commands.compute_scores.scores_compute_employees", spy
    )
    out = io.StringIO()

    call_command(
        "compute_scores",
        "--from",
        (DAY - dt.timedelta(days=3)).isoformat(),
        "--to",
        DAY.isoformat(),
        stdout=out,
        stderr=io.StringIO(),
    )

    # Two employees, three employee-days a span: one day at a time, with no employee filter.
    assert spans == [
        (None, DAY - dt.timedelta(days=n), DAY - dt.timedelta(days=n)) for n in (3, 2, 1, 0)
    ]
    assert EmployeeDailyScore.objects.filter(employee=agent).count() == 4
    assert EmployeeDailyScore.objects.filter(employee=other).count() == 2
    assert TeamDailyScore.objects.filter(team=team).count() == 4
    assert "6 employee days, 4 team days" in out.getvalue()


def test_compute_scores_command_enqueues_chunks_with_async(agent, monkeypatch):
    sent = []
    monkeypatch.setattr(
        "scorecards.tasks.scores_compute_chunk.delay", lambda **kwargs: sent.append(kwargs)
    )

    call_command(
        "compute_scores",
        "--from",
        DAY.isoformat(),
        "--to",
        DAY.isoformat(),
        "--employee",
        str(agent.pk),
        "--async",
        stdout=io.StringIO(),
    )

    assert sent == [
        {"employee_ids": [agent.pk], "date_from": DAY.isoformat(), "date_to": DAY.isoformat()}
    ]
    assert not EmployeeDailyScore.objects.exists()


@pytest.mark.parametrize(
    ("date_from", "date_to", "extra", "message"),
    [
        ("2025-01-10", "2025-01-09", [], "--from must not be after --to"),
        ("2025-01-10", "2999-01-01", [], "--to is in the future"),
        ("10.01.2025", "2025-01-10", [], "--from must be a date"),
        ("2025-01-10", "2025-01-10", ["--team", "nobody"], "no team with the slug"),
        ("2025-01-10", "2025-01-10", ["--employee", "0"], "Unknown employee ids: 0"),
    ],
)
def test_compute_scores_command_refuses_bad_input(date_from, date_to, extra, message):
    with pytest.raises(CommandError, match=message):
        call_command("compute_scores", "--from", date_from, "--to", date_to, *extra)


def test_team_admin_action_recomputes_the_last_30_days(admin_client, agent, team):
    response = admin_client.post(
        reverse("admin:staff_team_changelist"),
        {"action": "teams_scores_recompute", "_selected_action": [team.pk]},
        follow=True,
    )

    assert EmployeeDailyScore.objects.filter(employee=agent).count() == 30
    assert TeamDailyScore.objects.filter(team=team).count() == 30
    assert "30 employee days, 30 team days" in response.content.decode()
