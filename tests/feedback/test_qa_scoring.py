"""The QA review total: hand-worked cases and properties (`feedback.qa_scoring`)."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedback.qa_scoring import CriterionRating, qa_review_total

D = Decimal
# Division rounds at 40 significant digits; figures that agree mathematically may differ in the
# last few of them, far below anything stored (two places).
TOLERANCE = Fraction(1, 10**30)

properties = settings(deadline=None, max_examples=200)
weights = st.decimals(min_value=D("0.01"), max_value=1000, places=2)


def close(actual: Decimal, expected: Decimal | Fraction) -> bool:
    return abs(Fraction(actual) - Fraction(expected)) <= TOLERANCE


# --- QA review total: hand-worked --------------------------------------------------------------


def test_qa_total_weighs_rated_criteria_and_skips_na():
    ratings = [
        CriterionRating(weight=D(2), rating=4),
        CriterionRating(weight=D(1), rating=2),
        CriterionRating(weight=D(5), rating=None),
    ]

    total = qa_review_total(ratings=ratings)

    # (2 * 4/4 + 1 * 2/4) / 3 * 100
    assert close(total, Fraction(250, 3))


def test_critical_criterion_rated_0_makes_the_review_0():
    ratings = [
        CriterionRating(weight=D(5), rating=4),
        CriterionRating(weight=D(1), rating=0, is_critical=True),
        CriterionRating(weight=D(1), rating=None),
    ]

    assert qa_review_total(ratings=ratings) == 0


def test_non_critical_0_or_critical_na_only_lowers_the_mean():
    ratings = [
        CriterionRating(weight=D(1), rating=4),
        CriterionRating(weight=D(1), rating=0),
        CriterionRating(weight=D(1), rating=None, is_critical=True),
    ]

    assert qa_review_total(ratings=ratings) == 50


def test_qa_review_with_nothing_rated_has_no_total():
    assert qa_review_total(ratings=[CriterionRating(weight=D(1), rating=None)]) is None
    assert qa_review_total(ratings=[]) is None


@pytest.mark.parametrize("rating", [-1, 5])
def test_rating_outside_0_to_4_is_refused(rating):
    with pytest.raises(ValueError, match="rating"):
        CriterionRating(weight=D(1), rating=rating)


@properties
@given(
    ratings=st.lists(
        st.builds(
            CriterionRating,
            weight=weights,
            rating=st.none() | st.integers(min_value=0, max_value=4),
            is_critical=st.booleans(),
        ),
        max_size=8,
    )
)
def test_qa_total_stays_within_0_and_100_and_is_none_only_when_nothing_is_rated(ratings):
    total = qa_review_total(ratings=ratings)

    if all(r.rating is None for r in ratings):
        assert total is None
    else:
        assert 0 <= total <= 100


def test_a_float_weight_is_refused():
    with pytest.raises(TypeError):
        CriterionRating(weight=0.5, rating=3)
