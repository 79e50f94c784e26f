"""Marks on an agent's trend that a higher app contributes (a coaching session, for one).

scorecards must not import the apps above it, so they register a provider here from their
`AppConfig.ready()`; the agent's pages ask every provider for the days of the trend they show.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from crs_site.lib.users import SiteUser
from staff.models import Employee


@dataclass(frozen=True)
class TrendMarker:
    day: dt.date
    label: str
    url: str


TrendMarkerProvider = Callable[..., list[TrendMarker]]

_providers: list[TrendMarkerProvider] = []


def trend_markers_register(provider: TrendMarkerProvider) -> None:
    """Add a provider called as provider(user=..., employee=..., date_from=..., date_to=...)."""
    if provider not in _providers:
        _providers.append(provider)


def trend_markers(
    *, user: SiteUser, employee: Employee, date_from: dt.date, date_to: dt.date
) -> list[TrendMarker]:
    """Return every provider's markers on the employee's trend between the days, by day."""
    markers = [
        marker
        for provider in _providers
        for marker in provider(user=user, employee=employee, date_from=date_from, date_to=date_to)
    ]
    return sorted(markers, key=lambda marker: marker.day)
