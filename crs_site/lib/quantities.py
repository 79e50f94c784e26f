"""A number with its unit in the words of the active language: "5 минут", "60 minučių".

The one place a count takes its unit's plural form: pages, e-mails and the metric catalogue
(`scorecards.metrics`, "4.5 minutes" on the rules page) all write units through here. Every
count with a unit goes through ngettext, so each language's plural rules choose the form.
"""

from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def plural_count(number: Decimal) -> int:
    """Return the count that picks the plural form for a number shown with decimals.

    A whole number is its own count. A fraction takes, in each language CRS speaks, the form
    used with 2: English and Latvian the plural, Russian and Lithuanian the genitive singular
    ("4,5 часа", "1,5 minutės"), which is what a count of 2 selects in their catalogues.
    """
    if number == number.to_integral_value():
        return abs(int(number))
    return 2


def _forms(unit: str, count: int) -> str:
    # One ngettext call per unit, written out so that makemessages extracts each of them.
    if unit == "minutes":
        return ngettext("%(value)s minute", "%(value)s minutes", count)
    if unit == "hours":
        return ngettext("%(value)s hour", "%(value)s hours", count)
    if unit == "points":
        return ngettext("%(value)s point", "%(value)s points", count)
    if unit == "interactions":
        return ngettext("%(value)s interaction", "%(value)s interactions", count)
    if unit == "interactions_a_day":
        return ngettext("%(value)s interaction a day", "%(value)s interactions a day", count)
    if unit == "days":
        return ngettext("%(value)s day", "%(value)s days", count)
    if unit == "reviews":
        return ngettext("%(value)s review", "%(value)s reviews", count)
    if unit == "percent":
        return "%(value)s %%"
    raise ValueError(f"No words for the unit {unit!r}.")


def unit_label(unit: str) -> str:
    """Return the unit's name for a column heading: "Total (points)", "Resolution time (hours)"."""
    labels = {
        "minutes": _("minutes"),
        "hours": _("hours"),
        "points": _("points"),
        "interactions": _("interactions"),
        "interactions_a_day": _("interactions a day"),
        "days": _("days"),
        "reviews": _("reviews"),
        "percent": "%",
    }
    return str(labels[unit])


UNITS = (
    "minutes",
    "hours",
    "points",
    "interactions",
    "interactions_a_day",
    "days",
    "reviews",
    "percent",
)


def in_words(unit: str, number: Decimal, shown: str) -> str:
    """Return `shown` (the number as the caller formats it) with the unit in the number's form."""
    return _forms(unit, plural_count(number)) % {"value": shown}


def quantity(value: int | float | Decimal, unit: str, *, places: int = 2) -> str:
    """Return the value, formatted for the active language, with its unit in the right form.

    At most `places` decimals, and no trailing zeros: 4.5 hours, not 4.50.
    """
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-places)).normalize()
    shown = max(0, -int(number.as_tuple().exponent))
    return in_words(unit, number, floatformat(number, shown))
