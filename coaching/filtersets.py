"""Filters of the API's list of coaching sessions."""

import django_filters
from django.utils.translation import gettext_lazy as _

from coaching.models import CoachingSession
from staff.bounds import DayFilter
from staff.filtersets import BooleanFilter, DateRangeForm, IdFilter, MemberTeamFilter


class CoachingSessionFilter(django_filters.FilterSet):
    date_from = DayFilter(field_name="held_on", lookup_expr="gte", label=_("Held from (inclusive)"))
    date_to = DayFilter(field_name="held_on", lookup_expr="lte", label=_("Held until (inclusive)"))
    agent = IdFilter(field_name="agent_id", label=_("Agent (employee id)"))
    team = MemberTeamFilter(
        day_field="held_on",
        employee_field="agent",
        label=_("Team of the agent on the session's day (slug)"),
    )
    acknowledged = BooleanFilter(
        field_name="acknowledged_at",
        lookup_expr="isnull",
        exclude=True,
        label=_("Acknowledged by the agent"),
    )

    class Meta:
        model = CoachingSession
        form = DateRangeForm
        fields: list[str] = []
