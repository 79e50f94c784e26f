"""A number with its unit in the words of the active language: "5 минут", "60 minučių".

Every count with a unit goes through ngettext, so each language's plural rules choose the form.
A fractional value takes the form of 2: in Russian and Lithuanian a fraction takes the genitive
singular ("4,5 часа", "4,5 valandos"), which is their form for 2, and in Latvian and English the
plural, which is theirs too.
"""

from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


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
        "days": _("days"),
        "reviews": _("reviews"),
        "percent": "%",
    }
    return str(labels[unit])


UNITS = ("minutes", "hours", "points", "interactions", "days", "reviews", "percent")


def quantity(value: int | float | Decimal, unit: str, *, places: int = 2) -> str:
    """Return the value, formatted for the active language, with its unit in the right form.

    At most `places` decimals, and no trailing zeros: 4.5 hours, not 4.50.
    """
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-places)).normalize()
    count = int(number) if number == number.to_integral_value() else 2
    shown = max(0, -int(number.as_tuple().exponent))
    return _forms(unit, abs(count)) % {"value": floatformat(number, shown)}
