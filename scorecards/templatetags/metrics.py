"""A metric's value as pages show it: the catalogue's number format and unit symbol."""

from decimal import Decimal

from django import template

from scorecards.metrics import metric

register = template.Library()


@register.filter
def metric_value(value: Decimal | None, code: str) -> str:
    """Return the value in the code's display format with its unit, "" for no value."""
    if value is None or value == "":
        return ""
    return metric(code).format(value)


@register.filter
def metric_label(code: str) -> str:
    """Return the metric's full name in the active language."""
    return metric(code).label


@register.filter
def metric_short_label(code: str) -> str:
    """Return the metric's short name, for a table heading."""
    return str(metric(code).short_label)
