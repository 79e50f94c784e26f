"""What coaching adds to pages of the apps below it: trend markers and follow-up items."""

import datetime as dt

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from coaching.selectors import actions_open_of, actions_open_visible_to, sessions_visible_to
from feedback.follow_up_sources import (
    FollowUpItem,
    FollowUpSection,
    FollowUpSource,
    follow_up_sources_register,
)
from scorecards.selectors.markers import TrendMarker, trend_markers_register

SECTION_KEY = "coaching"
TEAM_ITEMS_LIMIT = 100


def session_markers(*, user, employee, date_from: dt.date, date_to: dt.date) -> list[TrendMarker]:
    """Return a marker per visible session of the employee held between the days."""
    sessions = sessions_visible_to(user=user).filter(
        agent=employee, held_on__gte=date_from, held_on__lte=date_to
    )
    return [
        TrendMarker(
            day=day,
            label=_("Coaching"),
            url=reverse("coaching:session_detail", args=[pk]),
        )
        for pk, day in sessions.order_by("held_on").values_list("pk", "held_on")
    ]


def _item(action) -> FollowUpItem:
    session = action.session
    return FollowUpItem(
        title=_("%(action)s (coaching of %(agent)s, %(day)s)")
        % {
            "action": action.description,
            "agent": session.agent.full_name,
            "day": formats.date_format(session.held_on, "SHORT_DATE_FORMAT"),
        },
        due_on=action.due_on,
        url=reverse("coaching:session_detail", args=[session.pk]),
        person=action.owner.full_name,
    )


def _mine(*, employee, today: dt.date) -> FollowUpSection:
    return FollowUpSection(
        key=SECTION_KEY,
        title=_("Coaching actions"),
        items=[_item(action) for action in actions_open_of(employee=employee)],
    )


def _team(*, user, today: dt.date, team) -> FollowUpSection:
    actions = actions_open_visible_to(user=user, team=team)[:TEAM_ITEMS_LIMIT]
    return FollowUpSection(
        key=SECTION_KEY,
        title=_("Coaching actions"),
        items=[_item(action) for action in actions],
    )


_SOURCE = FollowUpSource(mine=_mine, team=_team)


def register() -> None:
    """Register coaching's trend markers and follow-up items with the lower apps."""
    trend_markers_register(session_markers)
    follow_up_sources_register(_SOURCE)
