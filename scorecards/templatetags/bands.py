"""The band badge's wording, shared by every page that shows a band."""

from django import template

from scorecards.choices import Band

register = template.Library()


@register.filter
def band_label(band: str) -> str:
    """Return a band's name in the active language; "" for no band."""
    return str(Band(band).label) if band else ""
