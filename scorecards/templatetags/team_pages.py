"""Filters for the team pages and the weekly digest."""

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def signed(value: Decimal | None, places: int = 1) -> str:
    """Format a change with its sign and the active language's decimal mark: +2.5, −1.0."""
    if value is None or value == "":
        return ""
    number = floatformat(abs(value), places)
    if value > 0:
        return f"+{number}"
    if value < 0:
        return f"\u2212{number}"
    return number
