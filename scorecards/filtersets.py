"""Filters of the daily score rows, shared by the API and the pages."""

import django_filters
from django.utils.translation import gettext_lazy as _

from scorecards.choices import Band
from scorecards.models import EmployeeDailyScore, TeamDailyScore
from staff.bounds import DayFilter
from staff.filtersets import DateRangeForm, IdFilter


class DailyScoreFilter(django_filters.FilterSet):
    date_from = DayFilter(field_name="day", lookup_expr="gte", label=_("From (inclusive)"))
    date_to = DayFilter(field_name="day", lookup_expr="lte", label=_("To (inclusive)"))
    team = django_filters.CharFilter(field_name="team__slug", label=_("Team (slug)"))
    band = django_filters.ChoiceFilter(choices=Band.choices, label=_("Band"))

    class Meta:
        form = DateRangeForm
        fields: list[str] = []


class EmployeeDailyScoreFilter(DailyScoreFilter):
    employee = IdFilter(field_name="employee_id", label=_("Employee (id)"))

    class Meta(DailyScoreFilter.Meta):
        model = EmployeeDailyScore


class TeamDailyScoreFilter(DailyScoreFilter):
    class Meta(DailyScoreFilter.Meta):
        model = TeamDailyScore
