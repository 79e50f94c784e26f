from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecards.choices import Band, MetricCode
from scorecards.scoring import (
    FACTOR,
    HIGHER_IS_BETTER,
    MetricResult,
    MetricRule,
    band_for,
    metric_value,
    pool,
    quantize,
    score_stats,
)
from tests.scorecards.scoring_oracle import metric_result, metric_score, weighted_total

D = Decimal
GREEN_FROM = D(80)
AMBER_FROM = D(60)
# Division rounds at 40 significant digits; figures that agree mathematically may differ in the
# last few of them, far below anything stored (two places).
TOLERANCE = Fraction(1, 10**30)

# Properties are about values, not speed: a slow CI machine must not fail them.
properties = settings(deadline=None, max_examples=200)


def close(actual: Decimal, expected: Decimal | Fraction) -> bool:
    # Compare as fractions: Decimal arithmetic here would itself round at 28 digits.
    return abs(Fraction(actual) - Fraction(expected)) <= TOLERANCE


# --- catalog ------------------------------------------------------------------------------------


def test_catalog_covers_every_metric_code():
    assert set(FACTOR) == set(MetricCode.values)
    assert set(HIGHER_IS_BETTER) == set(MetricCode.values)


def test_time_and_escalation_metrics_are_lower_is_better():
    lower = {code for code, higher in HIGHER_IS_BETTER.items() if not higher}

    assert lower == {"first_response_minutes", "resolution_hours", "escalation"}


def test_percentage_metrics_have_factor_100_and_the_others_1():
    percentages = {"response_sla", "fcr", "follow_up", "escalation", "csat", "nps"}
    assert {code for code, factor in FACTOR.items() if factor == 100} == percentages
    assert all(FACTOR[code] == 1 for code in set(FACTOR) - percentages)


def test_band_names_match_the_model_choices():
    assert {
        band_for(total=t, green_from=GREEN_FROM, amber_from=AMBER_FROM) for t in (90, 70, 10)
    } == set(Band.values)


# --- metric value and score: hand-worked -------------------------------------------------------


def test_fcr_30_of_40_against_target_80_floor_40_scores_87_5():
    rule = MetricRule(code="fcr", weight=D(1), target=D(80), floor=D(40))

    result = metric_result(rule=rule, num=30, den=40)

    assert result.value == 75
    assert result.score == D("87.5")
    assert (result.num, result.den) == (30, 40)


def test_lower_is_better_first_response_10_minutes_against_target_5_floor_60():
    value = metric_value(code="first_response_minutes", num=30, den=3)

    score = metric_score(value=value, target=D(5), floor=D(60))

    assert value == 10
    # (10 - 60) / (5 - 60) = 50/55 = 10/11
    assert close(score, Fraction(1000, 11))
    assert quantize(score) == D("90.91")


@pytest.mark.parametrize(
    ("value", "target", "floor", "expected"),
    [
        (D(95), D(80), D(40), D(100)),  # beyond target, higher is better
        (D(30), D(80), D(40), D(0)),  # beyond floor, higher is better
        (D(2), D(4), D(24), D(100)),  # beyond target, lower is better
        (D(30), D(4), D(24), D(0)),  # beyond floor, lower is better
        (D(80), D(80), D(40), D(100)),  # exactly on target
        (D(40), D(80), D(40), D(0)),  # exactly on floor
    ],
)
def test_score_clamps_to_0_and_100(value, target, floor, expected):
    assert metric_score(value=value, target=target, floor=floor) == expected


def test_nps_with_more_detractors_than_promoters_is_negative_and_still_scores():
    # 10 answers: 2 promoters, 5 detractors -> num = 2 - 5.
    rule = MetricRule(code="nps", weight=D(1), target=D(50), floor=D(-50))

    result = metric_result(rule=rule, num=-3, den=10)

    assert result.value == -30
    assert result.score == 20


def test_metric_value_is_none_without_a_denominator():
    assert metric_value(code="csat", num=0, den=0) is None


def test_volume_pools_to_a_mean_per_day():
    assert metric_value(code="volume", num=D(27), den=D(3)) == 9


def test_metric_below_min_sample_is_not_available_but_keeps_its_counts():
    rule = MetricRule(code="csat", weight=D(1), target=D(90), floor=D(50), min_sample=5)

    short = metric_result(rule=rule, num=4, den=4)
    enough = metric_result(rule=rule, num=4, den=5)

    assert short == MetricResult(num=D(4), den=D(4), value=None, score=None)
    assert not short.is_available
    assert enough.value == 80
    assert enough.score == 75


def test_metric_with_no_events_is_not_available_even_with_min_sample_1():
    rule = MetricRule(code="fcr", weight=D(1), target=D(80), floor=D(40))

    assert metric_result(rule=rule, num=0, den=0).score is None


# --- totals and bands: hand-worked -------------------------------------------------------------


def test_total_is_weighted_over_available_metrics_only():
    rules = [
        MetricRule(code="fcr", weight=D(2), target=D(80), floor=D(40)),
        MetricRule(code="csat", weight=D(1), target=D(90), floor=D(50)),
        MetricRule(code="escalation", weight=D(3), target=D(5), floor=D(30)),
    ]

    day = score_stats(
        stats={"fcr": (D(30), D(40)), "csat": (D(4), D(5)), "escalation": (D(0), D(0))},
        rules=rules,
        green_from=GREEN_FROM,
        amber_from=AMBER_FROM,
    )

    # fcr 87.5 (weight 2), csat 75 (weight 1), escalation N/A: (175 + 75) / 3
    assert close(day.total, Fraction(250, 3))
    assert quantize(day.total) == D("83.33")
    assert day.band == "green"
    assert day.metrics["escalation"].score is None
    assert list(day.metrics) == ["fcr", "csat", "escalation"]


def test_rule_missing_from_stats_is_not_available():
    rules = [
        MetricRule(code="fcr", weight=D(1), target=D(80), floor=D(40)),
        MetricRule(code="qa", weight=D(1), target=D(90), floor=D(50)),
    ]

    day = score_stats(
        stats={"fcr": (D(3), D(4))}, rules=rules, green_from=GREEN_FROM, amber_from=AMBER_FROM
    )

    assert day.metrics["qa"] == MetricResult(num=D(0), den=D(0), value=None, score=None)
    assert day.total == D("87.5")


def test_stats_for_metrics_outside_the_version_do_not_count():
    rules = [MetricRule(code="fcr", weight=D(1), target=D(80), floor=D(40))]

    day = score_stats(
        stats={"fcr": (D(3), D(4)), "csat": (D(0), D(10))},
        rules=rules,
        green_from=GREEN_FROM,
        amber_from=AMBER_FROM,
    )

    assert set(day.metrics) == {"fcr"}
    assert day.total == D("87.5")


def test_day_without_any_metric_has_no_total_and_no_band_not_zero():
    rules = [MetricRule(code="fcr", weight=D(1), target=D(80), floor=D(40))]

    day = score_stats(stats={}, rules=rules, green_from=GREEN_FROM, amber_from=AMBER_FROM)

    assert day.total is None
    assert day.band == ""


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (D(100), "green"),
        (D(80), "green"),
        (D("79.99"), "amber"),
        (D(60), "amber"),
        (D("59.99"), "red"),
        (D(0), "red"),
        (None, ""),
    ],
)
def test_band_boundaries_are_inclusive(total, band):
    assert band_for(total=total, green_from=GREEN_FROM, amber_from=AMBER_FROM) == band


def test_band_follows_the_total_as_stored():
    # 15999 / 20000 = 79.995 %, stored as 80.00: a page must not show 80.00 in amber.
    rules = [MetricRule(code="fcr", weight=D(1), target=D(100), floor=D(0))]

    day = score_stats(
        stats={"fcr": (D(15999), D(20000))},
        rules=rules,
        green_from=GREEN_FROM,
        amber_from=AMBER_FROM,
    )

    assert day.total == D("79.995")
    assert quantize(day.total) == D("80.00")
    assert day.band == "green"


def test_band_limits_in_the_wrong_order_are_refused():
    with pytest.raises(ValueError, match="amber_from"):
        band_for(total=D(70), green_from=D(60), amber_from=D(80))


# --- pooling: hand-worked ----------------------------------------------------------------------


def test_period_is_pooled_not_averaged():
    rules = [MetricRule(code="fcr", weight=D(1), target=D(100), floor=D(0))]
    monday = {"fcr": (D(1), D(1))}  # 100 %
    tuesday = {"fcr": (D(0), D(3))}  # 0 %

    week = score_stats(
        stats=pool([monday, tuesday]), rules=rules, green_from=GREEN_FROM, amber_from=AMBER_FROM
    )

    # 1 of 4 interactions, not the mean of 100 % and 0 %.
    assert week.metrics["fcr"].value == 25
    assert week.total == 25


def test_pool_keeps_codes_present_on_some_days_only():
    pooled = pool([{"fcr": (1, 2)}, {"csat": (D(3), D(4))}, {"fcr": (D("0.5"), 1)}])

    assert pooled == {"fcr": (D("1.5"), D(3)), "csat": (D(3), D(4))}


def test_pool_of_nothing_is_empty():
    assert pool([]) == {}


# --- storage rounding and bad input ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (D("0.125"), 2, D("0.13")),  # half up, where half even would give 0.12
        (D("2.675"), 2, D("2.68")),
        (D("83.333333"), 2, D("83.33")),
        (D("-30.005"), 2, D("-30.01")),
        (D("1.23456"), 4, D("1.2346")),
        (D(100), 2, D("100.00")),
    ],
)
def test_quantize_rounds_half_up(value, places, expected):
    assert quantize(value, places) == expected
    assert quantize(value, places).as_tuple().exponent == -places


def test_quantize_keeps_none():
    assert quantize(None) is None


@pytest.mark.parametrize(
    "call",
    [
        lambda: metric_value(code="fcr", num=0.3, den=1),
        lambda: metric_score(value=0.5, target=D(1), floor=D(0)),
        lambda: MetricRule(code="fcr", weight=1.5, target=D(80), floor=D(40)),
        lambda: pool([{"fcr": (1.0, 2)}]),
        lambda: quantize(0.1),
        lambda: band_for(total=80.0, green_from=GREEN_FROM, amber_from=AMBER_FROM),
        lambda: metric_value(code="fcr", num=True, den=1),
    ],
)
def test_floats_and_bools_are_refused(call):
    with pytest.raises(TypeError):
        call()


def test_target_equal_to_floor_is_refused():
    with pytest.raises(ValueError, match="differ"):
        metric_score(value=D(5), target=D(10), floor=D(10))
    with pytest.raises(ValueError, match="differ"):
        MetricRule(code="fcr", weight=D(1), target=D(10), floor=D(10))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"code": "speed", "weight": D(1)}, "unknown metric"),
        ({"code": "fcr", "weight": D(0)}, "positive"),
        ({"code": "fcr", "weight": D(-1)}, "positive"),
        ({"code": "fcr", "weight": D(1), "min_sample": 0}, "at least 1"),
    ],
)
def test_invalid_rule_is_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        MetricRule(target=D(80), floor=D(40), **kwargs)


def test_rule_built_from_ints_equals_rule_built_from_decimals():
    assert MetricRule(code="fcr", weight=2, target=80, floor=40) == MetricRule(
        code="fcr", weight=D("2.00"), target=D("80.00"), floor=D("40.00")
    )


def test_negative_denominator_is_refused():
    with pytest.raises(ValueError, match="negative"):
        metric_value(code="fcr", num=1, den=-1)


def test_result_does_not_depend_on_the_callers_decimal_context():
    expected = metric_score(value=D(10), target=D(5), floor=D(60))

    with localcontext(prec=3):
        assert metric_score(value=D(10), target=D(5), floor=D(60)) == expected


# --- properties --------------------------------------------------------------------------------

metric_codes = st.sampled_from(sorted(FACTOR))
amounts = st.decimals(min_value=-1000, max_value=1000, places=2)
weights = st.decimals(min_value=D("0.01"), max_value=1000, places=2)
counts = st.integers(min_value=0, max_value=500)


@st.composite
def target_and_floor(draw):
    target = draw(amounts)
    floor = draw(amounts.filter(lambda f: f != target))
    return target, floor


@st.composite
def rule_sets(draw):
    codes = draw(st.lists(metric_codes, min_size=1, max_size=len(FACTOR), unique=True))
    rules = []
    for code in codes:
        target, floor = draw(target_and_floor())
        rules.append(
            MetricRule(
                code=code,
                weight=draw(weights),
                target=target,
                floor=floor,
                min_sample=draw(st.integers(min_value=1, max_value=5)),
            )
        )
    return rules


@st.composite
def stats_for(draw, rules):
    stats = {}
    for rule in rules:
        if draw(st.booleans()):
            stats[rule.code] = (draw(amounts), D(draw(counts)))
    return stats


# Raw events of one day, as the aggregation reads them from interactions and survey answers.
first_contact_flags = st.lists(st.booleans(), max_size=8)
response_minutes = st.lists(st.decimals(min_value=0, max_value=5000, places=2), max_size=8)
nps_answers = st.lists(st.integers(min_value=0, max_value=10), max_size=8)
day_events = st.fixed_dictionaries(
    {"fcr": first_contact_flags, "first_response_minutes": response_minutes, "nps": nps_answers}
)


def stats_from_events(events):
    """Reduce raw events to (num, den) per metric, the way the daily aggregation does."""
    nps = events["nps"]
    return {
        "fcr": (D(sum(events["fcr"])), D(len(events["fcr"]))),
        "first_response_minutes": (
            sum(events["first_response_minutes"], D(0)),
            D(len(events["first_response_minutes"])),
        ),
        "nps": (
            D(sum(answer >= 9 for answer in nps) - sum(answer <= 6 for answer in nps)),
            D(len(nps)),
        ),
    }


POOLING_RULES = [
    MetricRule(code="fcr", weight=D(2), target=D(80), floor=D(40), min_sample=3),
    MetricRule(code="first_response_minutes", weight=D(1), target=D(5), floor=D(60)),
    MetricRule(code="nps", weight=D("1.5"), target=D(50), floor=D(-20), min_sample=2),
]


@properties
@given(data=st.data(), rules=rule_sets())
def test_score_stats_is_exactly_the_per_metric_functions_put_together(data, rules):
    # score_stats does in one pass what the oracle's steps do one by one: the same digits.
    stats = data.draw(stats_for(rules))
    results = {
        rule.code: metric_result(rule=rule, num=num, den=den)
        for rule in rules
        for num, den in [stats.get(rule.code, (D(0), D(0)))]
    }
    total = weighted_total(results=results, rules=rules)

    day = score_stats(stats=stats, rules=rules, green_from=GREEN_FROM, amber_from=AMBER_FROM)

    assert repr(day.metrics) == repr(results)
    assert repr(day.total) == repr(total)
    assert day.band == band_for(total=quantize(total), green_from=GREEN_FROM, amber_from=AMBER_FROM)


@properties
@given(days=st.lists(day_events, max_size=10))
def test_pooled_period_equals_recomputing_from_all_raw_events(days):
    all_events = {
        code: [event for day in days for event in day[code]]
        for code in ("fcr", "first_response_minutes", "nps")
    }

    pooled = score_stats(
        stats=pool(stats_from_events(day) for day in days),
        rules=POOLING_RULES,
        green_from=GREEN_FROM,
        amber_from=AMBER_FROM,
    )
    direct = score_stats(
        stats=stats_from_events(all_events),
        rules=POOLING_RULES,
        green_from=GREEN_FROM,
        amber_from=AMBER_FROM,
    )

    assert pooled == direct


@properties
@given(
    data=st.data(),
    rules=rule_sets(),
    factor=st.decimals(min_value=D("0.01"), max_value=1000, places=2),
)
def test_scaling_every_weight_leaves_the_total_unchanged(data, rules, factor):
    stats = data.draw(stats_for(rules))
    scaled = [
        MetricRule(
            code=r.code,
            weight=r.weight * factor,
            target=r.target,
            floor=r.floor,
            min_sample=r.min_sample,
        )
        for r in rules
    ]

    total = score_stats(stats=stats, rules=rules, green_from=GREEN_FROM, amber_from=AMBER_FROM)
    scaled_total = score_stats(
        stats=stats, rules=scaled, green_from=GREEN_FROM, amber_from=AMBER_FROM
    )

    if total.total is None:
        assert scaled_total.total is None
    else:
        assert close(total.total, scaled_total.total)


@properties
@given(data=st.data(), rules=rule_sets())
def test_day_with_no_metric_available_has_no_total_and_no_band(data, rules):
    # Each metric either has no row, no events, or fewer than its minimum sample.
    stats = {}
    for rule in rules:
        choice = data.draw(st.sampled_from(["missing", "empty", "short"]))
        if choice == "empty":
            stats[rule.code] = (D(0), D(0))
        elif choice == "short":
            stats[rule.code] = (data.draw(amounts), D(rule.min_sample - 1))

    day = score_stats(stats=stats, rules=rules, green_from=GREEN_FROM, amber_from=AMBER_FROM)

    assert day.total is None
    assert day.band == ""
    assert all(result.score is None for result in day.metrics.values())


@properties
@given(bounds=target_and_floor(), value=amounts)
def test_swapping_target_and_floor_mirrors_the_score(bounds, value):
    target, floor = bounds

    score = metric_score(value=value, target=target, floor=floor)
    mirrored = metric_score(value=value, target=floor, floor=target)

    assert close(mirrored, 100 - Fraction(score))


@properties
@given(data=st.data(), rules=rule_sets())
def test_scores_and_totals_stay_within_0_and_100(data, rules):
    stats = data.draw(stats_for(rules))

    day = score_stats(stats=stats, rules=rules, green_from=GREEN_FROM, amber_from=AMBER_FROM)

    for result in day.metrics.values():
        assert result.score is None or 0 <= result.score <= 100
    assert day.total is None or 0 <= day.total <= 100
    assert (day.total is None) == (day.band == "")
    assert weighted_total(results=day.metrics, rules=rules) == day.total


@properties
@given(bounds=target_and_floor(), values=st.lists(amounts, min_size=2, max_size=2))
def test_score_never_drops_as_the_value_moves_towards_the_target(bounds, values):
    target, floor = bounds
    # Order the two values so that `closer` lies in the target's direction from `farther`.
    farther, closer = sorted(values, reverse=target < floor)

    assert metric_score(value=closer, target=target, floor=floor) >= metric_score(
        value=farther, target=target, floor=floor
    )
