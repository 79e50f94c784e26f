"""The band badge, shared by every page that shows a band: one rule for its markup and wording.

Tags rather than included partials: a trend's table calls them once a day (ninety on a quarter's
dashboard), where an include per row was a third of the page's time.
"""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext as _

from scorecards.choices import Band

register = template.Library()


@register.filter
def band_label(band: str) -> str:
    """Return a band's name in the active language; "" for no band."""
    return str(Band(band).label) if band else ""


@register.simple_tag
def band_badge(band: str, total=None) -> str:
    """A band's badge (green, amber or red), its `total` before the name when given; a dash
    for no band."""
    if not band:
        return format_html(
            '<span class="text-body-secondary" data-band="none" title="{}">—</span>',
            _("No score"),
        )
    # A template variable that is not set arrives as the empty string.
    shown = format_html("{} · ", floatformat(total, 1)) if total not in (None, "") else ""
    return format_html(
        '<span class="badge band-{}" data-band="{}">{}{}</span>',
        band,
        band,
        shown,
        band_label(band),
    )


@register.simple_tag
def day_band(point) -> str:
    """A day's band as the engine stored it (a TrendPoint): none on a day not worked, "so far"
    until the day is final, else its band's badge."""
    if not point.is_worked:
        return format_html(
            '<span class="small text-body-secondary" data-band="none">{}</span>',
            _("No score: no interactions that day."),
        )
    if not point.is_final:
        return format_html(
            '<span class="badge text-bg-light border" data-band="so-far">{}</span>', _("So far")
        )
    return band_badge(point.band)
