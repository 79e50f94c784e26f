"""The benchmarks' data set and correctness checks on tiny data sets (no timing here)."""

import datetime as dt
from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from bench import dataset, engine, engine_sizes, export, pages
from customers.models import Interaction
from feedback.choices import ReviewStatus
from feedback.models import QARating, QAReview, SurveyResponse
from scorecards.choices import VersionStatus
from scorecards.models import EmployeeDailyScore, ScorecardVersion
from scorecards.services.changes import team_member_join
from scorecards.services.versions import scorecard_version_draft_from, scorecard_version_publish
from staff.choices import Role
from staff.models import Employee, Team

TODAY = dt.date(2025, 10, 15)
DAYS = 6
FIRST_DAY = TODAY - dt.timedelta(days=DAYS - 1)


@pytest.fixture
def tiny_set(db):
    """The benchmark data set for a few agents, with a version change and a team move mid-range."""
    dataset.dataset_generate(seed=7, today=TODAY, agents=8, per_day=6, days=DAYS)
    version = ScorecardVersion.objects.filter(status=VersionStatus.PUBLISHED).latest("number")
    draft = scorecard_version_draft_from(version=version)
    draft.sla_minutes = 5
    draft.save(update_fields=["sla_minutes"])
    scorecard_version_publish(version=draft, effective_from=TODAY - dt.timedelta(days=2))
    other = Team.objects.create(name="Other", slug="other", scorecard=version.scorecard)
    mover = Employee.objects.filter(memberships__isnull=False).order_by("pk").first()
    team_member_join(
        employee=mover, team=other, starts_on=TODAY - dt.timedelta(days=3), today=TODAY
    )
    return {"version": version, "draft": draft, "mover": mover, "other": other}


def test_the_data_set_has_the_shape_the_benchmarks_measure(db):
    counts = dataset.dataset_generate(seed=7, today=TODAY, agents=60, per_day=5, days=7)

    assert Team.objects.count() == 1
    assert Employee.objects.filter(role=Role.AGENT).count() == 60
    interactions = Interaction.objects.count()
    assert counts["interactions"] == interactions
    assert 60 * 7 * 4 <= interactions <= 60 * 7 * 6
    channels = set(Interaction.objects.values_list("channel", flat=True))
    assert {"phone", "email", "chat"} <= channels
    assert Interaction.objects.filter(resolved_at__lt=F("first_response_at")).count() == 0
    # A week of data: three QA reviews per agent, every one published with its ratings.
    assert QAReview.objects.filter(status=ReviewStatus.PUBLISHED).count() == 60 * 3
    assert QAReview.objects.filter(total__isnull=True).count() == 0
    assert QARating.objects.count() == counts["qa_ratings"] > 0
    responses = SurveyResponse.objects.count()
    assert responses == counts["survey_responses"]
    assert interactions * 0.15 < responses < interactions * 0.3
    assert not EmployeeDailyScore.objects.exists()
    # The tables' sequences were moved past the copied ids.
    row = Interaction.objects.order_by("pk").last()
    row.pk = None
    row.save()
    assert row.pk > counts["interactions"] - 1


def test_the_same_seed_gives_the_same_data_set(db):
    def draw() -> list[tuple]:
        sid = transaction.savepoint()
        dataset.dataset_generate(seed=11, today=TODAY, agents=4, per_day=5, days=3)
        rows = list(
            Interaction.objects.order_by("employee__user__username", "opened_at").values_list(
                "employee__user__username", "channel", "opened_at", "resolved_at", "follow_up_due"
            )
        )
        transaction.savepoint_rollback(sid)
        return rows

    assert draw() == draw()


def test_the_data_set_refuses_a_database_without_copy(db, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")

    with pytest.raises(dataset.DatasetError, match="PostgreSQL"):
        dataset.dataset_generate(today=TODAY, agents=2, per_day=1, days=1)


def test_our_backfill_and_the_sql_baseline_agree_on_every_num_den(tiny_set):
    engine.baseline_table_create()

    compared = engine.check_agreement(date_from=FIRST_DAY, date_to=TODAY)

    assert compared == 8 * DAYS
    rows = EmployeeDailyScore.objects.filter(employee=tiny_set["mover"])
    assert {row.team_id for row in rows if row.day >= TODAY - dt.timedelta(days=3)} == {
        tiny_set["other"].pk
    }
    assert {row.version_id for row in rows if row.day >= TODAY - dt.timedelta(days=2)} == {
        tiny_set["draft"].pk
    }
    assert sum(row.volume_num for row in rows) > 0


def test_the_check_fails_loudly_when_a_num_den_differs(tiny_set):
    engine.baseline_table_create()
    engine.check_agreement(date_from=FIRST_DAY, date_to=TODAY)
    row = EmployeeDailyScore.objects.filter(csat_den__gt=0).order_by("pk").first()
    EmployeeDailyScore.objects.filter(pk=row.pk).update(csat_num=row.csat_num + 1)

    with pytest.raises(engine.Disagreement, match="csat_num"):
        engine.agreement_assert(date_from=FIRST_DAY, date_to=TODAY)


def test_the_naive_loop_agrees_with_our_rows_and_leaves_them_alone(tiny_set):
    engine.baseline_table_create()
    engine.check_agreement(date_from=FIRST_DAY, date_to=TODAY)
    before = list(EmployeeDailyScore.objects.order_by("pk").values_list("pk", "computed_at"))
    sample = [
        (employee_id, FIRST_DAY + dt.timedelta(days=offset))
        for employee_id in Employee.objects.filter(memberships__isnull=False)
        .distinct()
        .values_list("pk", flat=True)
        for offset in range(DAYS)
    ]

    result = engine.naive_sample(employee_days=sample)

    assert result.employee_days == len(sample)
    assert result.mismatches == 0
    after = list(EmployeeDailyScore.objects.order_by("pk").values_list("pk", "computed_at"))
    assert after == before


def test_the_page_benchmark_renders_both_dashboards_with_the_same_query_count(db, monkeypatch):
    """The page benchmark on tiny teams: every page answers, and the big team costs no queries
    more than the small one. Its own data is rolled back."""
    dataset.dataset_generate(seed=7, today=timezone.localdate(), agents=3, per_day=2, days=2)
    for name, value in {
        "BIG_MEMBERS": 6,
        "BIG_DAYS": 12,
        "SMALL_MEMBERS": 2,
        "SMALL_DAYS": 3,
        "PER_DAY": 2,
        "WARM_UP": 1,
        "ROUNDS": 1,
        "PER_ROUND": 1,
    }.items():
        monkeypatch.setattr(pages, name, value)
    teams_before = Team.objects.count()

    figures = pages.run(write=False)

    assert figures["big_queries"] == figures["small_queries"]
    assert figures["base_queries"] < figures["small_queries"]
    assert {"big_ms", "small_ms", "base_ms"} <= figures.keys()
    assert Team.objects.count() == teams_before


def test_the_export_benchmark_streams_the_file_the_renderer_would_send(db, monkeypatch):
    """The export benchmark on a few rows: the streamed CSV equals the whole body byte for
    byte (checked inside), every size is measured both ways, and its rows are rolled back."""
    dataset.dataset_generate(seed=7, today=timezone.localdate(), agents=2, per_day=1, days=1)
    monkeypatch.setattr(export, "SIZES", (8, 40))
    monkeypatch.setattr(export, "AGENTS", 4)
    monkeypatch.setattr(export, "ROUNDS", 1)
    rows_before = EmployeeDailyScore.objects.count()

    figures = export.run(write=False)

    assert set(figures) == {(way, rows) for way in ("streamed", "whole") for rows in (8, 40)}
    assert all(figure["peak"] > 0 for figure in figures.values())
    assert EmployeeDailyScore.objects.count() == rows_before


@contextmanager
def _regenerated(*, agents, days, per_day, seed):
    """Stand in for the sizes' databases: each size's data set in the test database, in turn."""
    sid = transaction.savepoint()
    dataset.dataset_generate(seed=seed, today=TODAY, agents=agents, per_day=per_day, days=days)
    try:
        yield
    finally:
        transaction.savepoint_rollback(sid)


def test_the_engine_measures_each_organisation_size_on_its_own_data_set(db):
    results = engine_sizes.sizes_run(
        sizes=[8, 16], days=3, per_day=4, seed=7, rounds=1, data_use=_regenerated
    )

    assert [result.agents for result in results] == [8, 16]
    assert [result.employee_days for result in results] == [8 * 3, 16 * 3]
    assert results[1].interactions > results[0].interactions > 0
    assert all(result.per_million > 0 for result in results)
    markdown = engine_sizes.sizes_markdown(results=results, per_day=4, days=3)
    assert "| 8 agents" in markdown
    assert "| 16 agents" in markdown
    assert "--sizes 8,16" in markdown
