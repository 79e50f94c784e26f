"""Follow-ups that a higher app contributes to the follow-up lists (coaching actions, for one).

feedback must not import the apps above it, so they register a source here from their
`AppConfig.ready()`; the follow-up pages list each source's open items beside the interactions.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FollowUpItem:
    title: str
    due_on: dt.date
    url: str
    person: str = ""

    def is_overdue(self, today: dt.date) -> bool:
        return self.due_on < today


@dataclass(frozen=True)
class FollowUpSection:
    key: str
    title: str
    items: list[FollowUpItem] = field(default_factory=list)


@dataclass(frozen=True)
class FollowUpSource:
    # mine(employee=..., today=...) and team(user=..., today=..., team=...) -> FollowUpSection
    mine: Callable[..., FollowUpSection]
    team: Callable[..., FollowUpSection]


_sources: list[FollowUpSource] = []


def follow_up_sources_register(source: FollowUpSource) -> None:
    """Add a source of follow-ups; registering the same one twice keeps one."""
    if source not in _sources:
        _sources.append(source)


def follow_up_sections_mine(*, employee, today: dt.date) -> list[FollowUpSection]:
    """Return each source's open items owned by the employee."""
    return [source.mine(employee=employee, today=today) for source in _sources]


def follow_up_sections_team(*, user, today: dt.date, team) -> list[FollowUpSection]:
    """Return each source's open items of the people the manager may see (of one team)."""
    return [source.team(user=user, today=today, team=team) for source in _sources]
