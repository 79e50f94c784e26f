"""Decimal helpers shared by the apps' pure maths: the exact context, strict input, rounding.

Pure Python, no Django: the scoring maths (`scorecards.scoring`) and the QA total
(`feedback.qa_scoring`) both compute in this context and round with `quantize`, so a figure
rounds the same wherever it is made.
"""

from collections.abc import Callable
from decimal import (
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from functools import wraps
from typing import ParamSpec, TypeVar

# 40 significant digits hold any sum the daily rows can store (18 digits) with room for division;
# trapping makes a bad input fail loudly instead of turning into NaN or Infinity.
DECIMAL_CONTEXT = Context(
    prec=40,
    rounding=ROUND_HALF_EVEN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)

_P = ParamSpec("_P")
_R = TypeVar("_R")


def exact(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run the function in DECIMAL_CONTEXT, whatever the caller's context is."""

    @wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with localcontext(DECIMAL_CONTEXT):
            return func(*args, **kwargs)

    return wrapper


def to_decimal(number: int | Decimal, *, name: str = "number") -> Decimal:
    """Return an int or a finite Decimal as a Decimal; refuse floats and anything else."""
    # bool is an int, but True as a count is always a bug upstream.
    if isinstance(number, bool) or not isinstance(number, int | Decimal):
        raise TypeError(f"{name} must be an int or a Decimal, not {type(number).__name__}")
    result = Decimal(str(number))
    if not result.is_finite():
        raise ValueError(f"{name} must be finite, not {result}")
    return result


@exact
def quantize(value: Decimal | None, places: int = 2) -> Decimal | None:
    """Round half up to the given decimal places for storage; None stays None."""
    if value is None:
        return None
    value = to_decimal(value, name="value")
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
