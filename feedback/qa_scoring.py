"""The QA review total (docs/SCORING.md): pure maths on `Decimal`, no ORM, no I/O.

It lives beside the QA reviews it totals; the scoring engine reads the stored totals, so
scorecards needs nothing from here but may import it (the arrows point that way).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from crs_site.lib.numbers import exact, to_decimal

MAX_RATING = 4

# What a critical criterion rated 0 fails when it sits in a section (`scorecards.QASection`).
AUTO_FAIL_NONE = "none"
AUTO_FAIL_SECTION = "section"
AUTO_FAIL_REVIEW = "review"
_AUTO_FAIL_SCOPES = (AUTO_FAIL_NONE, AUTO_FAIL_SECTION, AUTO_FAIL_REVIEW)

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class SectionRule:
    """A section of QA criteria: its weight among the sections, and what its auto-fail fails."""

    code: str
    weight: Decimal
    auto_fail: str = AUTO_FAIL_NONE

    def __post_init__(self) -> None:
        object.__setattr__(self, "weight", to_decimal(self.weight, name="section weight"))
        if self.weight <= 0:
            raise ValueError(f"section weight must be positive, not {self.weight}")
        if self.auto_fail not in _AUTO_FAIL_SCOPES:
            raise ValueError(f"auto_fail must be one of {_AUTO_FAIL_SCOPES}, not {self.auto_fail}")


@dataclass(frozen=True)
class CriterionRating:
    """One QA criterion's rating (0..4, None for N/A) with the criterion's weight and section."""

    weight: Decimal
    rating: int | None
    is_critical: bool = False
    section: SectionRule | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "weight", to_decimal(self.weight, name="weight"))
        if self.weight <= 0:
            raise ValueError(f"weight must be positive, not {self.weight}")
        if self.rating is not None:
            if isinstance(self.rating, bool) or not isinstance(self.rating, int):
                raise TypeError("rating must be an int or None")
            if not 0 <= self.rating <= MAX_RATING:
                raise ValueError(f"rating must be between 0 and {MAX_RATING}, not {self.rating}")

    @property
    def fails_critically(self) -> bool:
        return self.is_critical and self.rating == 0


@dataclass(frozen=True)
class SectionScore:
    """A section's score 0..100 (None when none of its criteria is rated) and whether it failed."""

    section: SectionRule
    score: Decimal | None
    failed: bool


def _weighted_mean(ratings: Iterable[CriterionRating]) -> Decimal | None:
    weighted_sum = _ZERO
    weight_sum = _ZERO
    for criterion in ratings:
        if criterion.rating is None:
            continue
        weighted_sum += criterion.weight * criterion.rating
        weight_sum += criterion.weight
    if weight_sum == 0:
        return None
    return weighted_sum / (weight_sum * MAX_RATING) * _HUNDRED


def _by_section(ratings: list[CriterionRating]) -> dict[SectionRule, list[CriterionRating]]:
    """Group the ratings by section in the order met; a mix with unsectioned ones is refused."""
    sectioned = [criterion.section is not None for criterion in ratings]
    if any(sectioned) and not all(sectioned):
        # The editor, the admin and publishing refuse such a version; reaching here is a bug.
        raise ValueError("either every criterion belongs to a section or none does")
    groups: dict[SectionRule, list[CriterionRating]] = {}
    for criterion in ratings:
        assert criterion.section is not None
        groups.setdefault(criterion.section, []).append(criterion)
    return groups


@exact
def qa_section_scores(*, ratings: Iterable[CriterionRating]) -> list[SectionScore]:
    """Return each section's score, in the order its criteria come; [] for a sectionless review."""
    ratings = list(ratings)
    if not any(criterion.section is not None for criterion in ratings):
        return []
    scores = []
    for section, criteria in _by_section(ratings).items():
        failed = section.auto_fail != AUTO_FAIL_NONE and any(
            criterion.fails_critically for criterion in criteria
        )
        score = _weighted_mean(criteria)
        if failed and section.auto_fail == AUTO_FAIL_SECTION:
            score = _ZERO
        scores.append(SectionScore(section=section, score=score, failed=failed))
    return scores


@exact
def qa_review_total(*, ratings: Iterable[CriterionRating]) -> Decimal | None:
    """Return a QA review's total 0..100 over its rated criteria, None when nothing is rated.

    Without sections: the weighted mean of the rated criteria. With sections: the
    section-weighted mean of the sections' scores, over the sections with a rated criterion.
    A critical criterion rated 0 makes the review 0, unless its section's auto-fail says it
    fails only that section.
    """
    ratings = list(ratings)
    sections = qa_section_scores(ratings=ratings)
    if not sections:
        total = _weighted_mean(ratings)
        critical_failed = any(criterion.fails_critically for criterion in ratings)
        return None if total is None else _ZERO if critical_failed else total
    weighted_sum = _ZERO
    weight_sum = _ZERO
    for section_score in sections:
        if section_score.score is not None:
            weighted_sum += section_score.section.weight * section_score.score
            weight_sum += section_score.section.weight
    if weight_sum == 0:
        return None
    # Outside a section-scoped auto-fail, a critical 0 fails the review, as without sections.
    if any(
        criterion.fails_critically
        and criterion.section is not None
        and criterion.section.auto_fail != AUTO_FAIL_SECTION
        for criterion in ratings
    ):
        return _ZERO
    return weighted_sum / weight_sum
