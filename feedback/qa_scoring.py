"""The QA review total (docs/SCORING.md): pure maths on `Decimal`, no ORM, no I/O.

It lives beside the QA reviews it totals; the scoring engine reads the stored totals, so
scorecards needs nothing from here but may import it (the arrows point that way).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from crs_site.lib.numbers import exact, to_decimal

MAX_RATING = 4

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class CriterionRating:
    """One QA criterion's rating (0..4, None for N/A) with the criterion's weight."""

    weight: Decimal
    rating: int | None
    is_critical: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "weight", to_decimal(self.weight, name="weight"))
        if self.weight <= 0:
            raise ValueError(f"weight must be positive, not {self.weight}")
        if self.rating is not None:
            if isinstance(self.rating, bool) or not isinstance(self.rating, int):
                raise TypeError("rating must be an int or None")
            if not 0 <= self.rating <= MAX_RATING:
                raise ValueError(f"rating must be between 0 and {MAX_RATING}, not {self.rating}")


@exact
def qa_review_total(*, ratings: Iterable[CriterionRating]) -> Decimal | None:
    """Return a QA review's total 0..100 over its rated criteria, None when nothing is rated."""
    weighted_sum = _ZERO
    weight_sum = _ZERO
    critical_failed = False
    for criterion in ratings:
        if criterion.rating is None:
            continue
        if criterion.is_critical and criterion.rating == 0:
            critical_failed = True
        weighted_sum += criterion.weight * criterion.rating
        weight_sum += criterion.weight
    if weight_sum == 0:
        return None
    if critical_failed:
        return _ZERO
    return weighted_sum / (weight_sum * MAX_RATING) * _HUNDRED
