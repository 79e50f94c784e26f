"""The QA total with sections (`feedback.qa_scoring`): hand-worked cases, table-driven."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedback.qa_scoring import (
    AUTO_FAIL_NONE,
    AUTO_FAIL_REVIEW,
    AUTO_FAIL_SECTION,
    CriterionRating,
    SectionRule,
    qa_review_total,
    qa_section_scores,
)

D = Decimal
TOLERANCE = Fraction(1, 10**30)

OPENING = SectionRule(code="opening", weight=D(1))
RESOLUTION = SectionRule(code="resolution", weight=D(3))
GUARD_SECTION = SectionRule(code="guard", weight=D(1), auto_fail=AUTO_FAIL_SECTION)
GUARD_REVIEW = SectionRule(code="guard", weight=D(1), auto_fail=AUTO_FAIL_REVIEW)


def rated(section, rating, weight=1, critical=False):
    return CriterionRating(weight=D(weight), rating=rating, is_critical=critical, section=section)


def close(actual, expected) -> bool:
    return actual is not None and abs(Fraction(actual) - Fraction(expected)) <= TOLERANCE


# Each case: the ratings, the expected total (a Fraction, 0 or None), and the expected section
# scores by code (None: the section has no rated criterion).
CASES = {
    "sections weigh their own weighted means": (
        # opening (4 + 2) / (2 * 4) = 75
        [
            rated(OPENING, 4),
            rated(OPENING, 2),
            rated(RESOLUTION, 1, weight=3),
            rated(RESOLUTION, 3),
        ],
        # resolution: (1*3 + 3*1) / (4 * 4) = 37.5; total (75*1 + 37.5*3) / 4 = 46.875
        Fraction(46875, 1000),
        {"opening": Fraction(75), "resolution": Fraction(375, 10)},
    ),
    "N/A is left out of its section's mean": (
        [rated(OPENING, 4), rated(OPENING, None, weight=5), rated(RESOLUTION, 2)],
        # opening 100, resolution 50: (100 + 150) / 4
        Fraction(125, 2),
        {"opening": Fraction(100), "resolution": Fraction(50)},
    ),
    "a section with nothing rated is left out of the total": (
        [rated(OPENING, 3), rated(RESOLUTION, None), rated(RESOLUTION, None, weight=2)],
        Fraction(75),
        {"opening": Fraction(75), "resolution": None},
    ),
    "nothing rated anywhere: no total": (
        [rated(OPENING, None), rated(RESOLUTION, None)],
        None,
        {"opening": None, "resolution": None},
    ),
    "auto-fail for the section: a critical 0 scores the section 0, the review goes on": (
        [
            rated(OPENING, 4),
            rated(GUARD_SECTION, 4, weight=3),
            rated(GUARD_SECTION, 0, critical=True),
        ],
        # opening 100 (weight 1), guard 0 (weight 1)
        Fraction(50),
        {"opening": Fraction(100), "guard": Fraction(0)},
    ),
    "auto-fail for the section: a non-critical 0 only lowers its mean": (
        [rated(OPENING, 4), rated(GUARD_SECTION, 4, weight=3), rated(GUARD_SECTION, 0)],
        # guard (12 + 0) / 16 = 75; (100 + 75) / 2
        Fraction(175, 2),
        {"opening": Fraction(100), "guard": Fraction(75)},
    ),
    "auto-fail for the review: a critical 0 makes the total 0": (
        [rated(OPENING, 4), rated(GUARD_REVIEW, 4), rated(GUARD_REVIEW, 0, critical=True)],
        0,
        {"opening": Fraction(100), "guard": Fraction(50)},
    ),
    "auto-fail for the review: a critical N/A fails nothing": (
        [rated(OPENING, 4), rated(GUARD_REVIEW, 2), rated(GUARD_REVIEW, None, critical=True)],
        Fraction(75),
        {"opening": Fraction(100), "guard": Fraction(50)},
    ),
    "a critical 0 outside an auto-fail section still makes the review 0": (
        [rated(OPENING, 0, critical=True), rated(RESOLUTION, 4)],
        0,
        {"opening": Fraction(0), "resolution": Fraction(100)},
    ),
}


@pytest.mark.parametrize(("ratings", "total", "sections"), CASES.values(), ids=list(CASES))
def test_sectioned_total_and_section_scores(ratings, total, sections):
    actual = qa_review_total(ratings=ratings)
    scores = {score.section.code: score.score for score in qa_section_scores(ratings=ratings)}

    if total is None:
        assert actual is None
    else:
        assert close(actual, total)
    assert scores.keys() == sections.keys()
    for code, expected in sections.items():
        assert (scores[code] is None) if expected is None else close(scores[code], expected)


def test_only_an_auto_fail_section_reports_itself_failed():
    ratings = [
        rated(OPENING, 0, critical=True),
        rated(GUARD_SECTION, 0, critical=True),
        rated(
            SectionRule(code="strict", weight=D(1), auto_fail=AUTO_FAIL_REVIEW),
            0,
            critical=True,
        ),
    ]

    failed = {score.section.code: score.failed for score in qa_section_scores(ratings=ratings)}

    assert failed == {"opening": False, "guard": True, "strict": True}


def test_a_review_without_sections_has_no_section_scores_and_scores_as_before():
    ratings = [CriterionRating(weight=D(2), rating=4), CriterionRating(weight=D(1), rating=2)]

    assert qa_section_scores(ratings=ratings) == []
    assert close(qa_review_total(ratings=ratings), Fraction(250, 3))


def test_mixing_sectioned_and_unsectioned_criteria_is_refused():
    with pytest.raises(ValueError, match="section"):
        qa_review_total(ratings=[rated(OPENING, 4), CriterionRating(weight=D(1), rating=4)])


@pytest.mark.parametrize(
    ("weight", "auto_fail", "error"),
    [
        (D(0), AUTO_FAIL_NONE, ValueError),
        (D(-1), AUTO_FAIL_NONE, ValueError),
        (D(1), "all", ValueError),
    ],
)
def test_a_section_needs_a_positive_weight_and_a_known_auto_fail(weight, auto_fail, error):
    with pytest.raises(error):
        SectionRule(code="x", weight=weight, auto_fail=auto_fail)


sections = st.sampled_from(
    [
        OPENING,
        RESOLUTION,
        GUARD_SECTION,
        SectionRule(code="strict", weight=D(2), auto_fail=AUTO_FAIL_REVIEW),
    ]
)


@settings(deadline=None, max_examples=200)
@given(
    ratings=st.lists(
        st.builds(
            CriterionRating,
            weight=st.decimals(min_value=D("0.01"), max_value=1000, places=2),
            rating=st.none() | st.integers(min_value=0, max_value=4),
            is_critical=st.booleans(),
            section=sections,
        ),
        max_size=8,
    )
)
def test_sectioned_total_stays_within_0_and_100(ratings):
    total = qa_review_total(ratings=ratings)

    if all(r.rating is None for r in ratings):
        assert total is None
    else:
        assert 0 <= total <= 100
