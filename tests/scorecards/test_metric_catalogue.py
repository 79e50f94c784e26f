"""The metric catalogue walked entry by entry: what "adding a metric" must keep true."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.utils import translation

from feedback.choices import ReviewStatus
from scorecards import scoring
from scorecards.choices import MetricCode
from scorecards.engine.rows import scores_compute
from scorecards.metrics import CATALOGUE, FACTOR, HIGHER_IS_BETTER, metric, metrics
from scorecards.models import EmployeeDailyScore
from tests.factories import (
    EmployeeFactory,
    InteractionFactory,
    PublishedQAReviewFactory,
    PublishedVersionFactory,
    SurveyResponseFactory,
    TeamFactory,
    TeamMembershipFactory,
)

LANGUAGES = ("en", "ru", "lv", "lt")
SPECS = metrics()


def test_every_metric_code_has_exactly_one_entry():
    assert list(CATALOGUE) == list(MetricCode.values)
    assert [spec.code for spec in SPECS] == list(MetricCode.values)


def test_the_scoring_maths_reads_factor_and_direction_from_the_catalogue():
    assert scoring.FACTOR is FACTOR
    assert scoring.HIGHER_IS_BETTER is HIGHER_IS_BETTER
    for spec in SPECS:
        assert scoring.metric_value(code=spec.code, num=1, den=2) == spec.factor / 2


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.code)
def test_value_range_and_display_format_agree(spec):
    assert spec.factor in (Decimal(1), Decimal(100))
    assert isinstance(spec.higher_is_better, bool)
    assert spec.places >= 0
    if spec.value_min is not None and spec.value_max is not None:
        assert spec.value_min < spec.value_max
    if spec.is_percentage:
        # A share times 100, or a difference of two shares (NPS): never beyond ±100.
        assert spec.value_min is not None
        assert spec.value_min >= -100
        assert spec.value_max == 100
    # Each bound is a value the metric can take and shows in its display format.
    for bound in (spec.value_min, spec.value_max):
        if bound is not None:
            assert spec.in_range(bound)
            with translation.override("en"):
                assert spec.format(bound).startswith(f"{bound:.{spec.places}f}")
    if spec.value_min is not None:
        assert not spec.in_range(spec.value_min - 1)
    if spec.value_max is not None:
        assert not spec.in_range(spec.value_max + 1)


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.code)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_renders_in_every_language(spec, language):
    with translation.override("en"):
        english = (spec.label, str(spec.computation), spec.quantity(Decimal(5)))
    with translation.override(language):
        label, computation = spec.label, str(spec.computation)
        assert label
        assert computation
        assert str(spec.short_label)
        assert str(spec.unit.symbol)
        shown = spec.format(Decimal("12.5"))
        assert shown.endswith(str(spec.unit.symbol))
        # The decimal mark of the language: 12.5 in English, 12,5 in the other three.
        assert ("12.5" if language == "en" else "12,5") in shown
        for value in (Decimal(1), Decimal(2), Decimal(5), Decimal("1.5")):
            assert spec.quantity(value, "-1").startswith(spec.number(value, "-1"))
        if language != "en":
            assert label != english[0]
            assert computation != english[1]
            if spec.unit.words is not None:
                assert spec.quantity(Decimal(5)) != english[2]


@pytest.mark.parametrize(
    ("language", "value", "words"),
    [
        ("en", Decimal(1), "1 minute"),
        ("en", Decimal("1.5"), "1.5 minutes"),
        ("ru", Decimal(1), "1 минута"),
        ("ru", Decimal(3), "3 минуты"),
        ("ru", Decimal(5), "5 минут"),
        ("ru", Decimal("1.5"), "1,5 минуты"),
        ("lv", Decimal(21), "21 minūte"),
        ("lv", Decimal("2.5"), "2,5 minūtes"),
        ("lt", Decimal(10), "10 minučių"),
        ("lt", Decimal("1.5"), "1,5 minutės"),
    ],
)
def test_units_take_the_plural_form_of_the_number(language, value, words):
    with translation.override(language):
        assert metric(MetricCode.FIRST_RESPONSE_MINUTES).quantity(value, "-1") == words


RIGA = zoneinfo.ZoneInfo("Europe/Riga")
DAY = dt.date(2025, 1, 10)


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time(hour, minute), tzinfo=RIGA)


@pytest.mark.django_db
def test_the_engine_computes_every_code_in_the_catalogue():
    version = PublishedVersionFactory(
        effective_from=dt.date(2024, 1, 1),
        sla_minutes=60,
        metrics=[{"code": spec.code, "target": 80, "floor": 40} for spec in SPECS],
    )
    team = TeamFactory(scorecard=version.scorecard)
    agent = EmployeeFactory()
    TeamMembershipFactory(employee=agent, team=team, starts_on=dt.date(2024, 1, 1))
    interaction = InteractionFactory(
        employee=agent,
        opened_at=at(9),
        first_response_at=at(9, 30),
        resolved_at=at(11),
        is_first_contact_resolution=True,
        is_escalated=True,
        follow_up_due=DAY,
        follow_up_done_at=at(12),
    )
    SurveyResponseFactory(interaction=interaction, csat=5, nps=10, submitted_at=at(13))
    PublishedQAReviewFactory(
        interaction=interaction,
        version=version,
        status=ReviewStatus.PUBLISHED,
        total=Decimal(90),
        scored_at=at(15),
    )

    scores_compute(date_from=DAY, date_to=DAY, now=dt.datetime(2025, 1, 20, 12, 0, tzinfo=RIGA))

    row = EmployeeDailyScore.objects.get(employee=agent, day=DAY)
    for spec in SPECS:
        assert getattr(row, f"{spec.code}_den") > 0, spec.code
        assert row.metrics[spec.code]["value"] is not None, spec.code
        assert spec.in_range(Decimal(row.metrics[spec.code]["value"])), spec.code
