"""Filters of the API's lists of QA reviews and survey answers."""

import django_filters
from django.utils.translation import gettext_lazy as _

from feedback.choices import ReviewStatus
from feedback.models import QAReview, SurveyResponse
from staff.bounds import DayFilter
from staff.filtersets import DateRangeForm, IdFilter, MemberTeamFilter


class QAReviewFilter(django_filters.FilterSet):
    date_from = DayFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("Started from (inclusive)")
    )
    date_to = DayFilter(
        field_name="created_at", lookup_expr="date__lte", label=_("Started until (inclusive)")
    )
    agent = IdFilter(field_name="interaction__employee_id", label=_("Agent (employee id)"))
    team = MemberTeamFilter(
        day_field="interaction__opened_at__date",
        employee_field="interaction__employee",
        label=_("Team of the agent on the interaction's day (slug)"),
    )
    status = django_filters.ChoiceFilter(choices=ReviewStatus.choices, label=_("Status"))

    class Meta:
        model = QAReview
        form = DateRangeForm
        fields: list[str] = []


class SurveyResponseFilter(django_filters.FilterSet):
    date_from = DayFilter(
        field_name="submitted_at", lookup_expr="date__gte", label=_("Answered from (inclusive)")
    )
    date_to = DayFilter(
        field_name="submitted_at", lookup_expr="date__lte", label=_("Answered until (inclusive)")
    )
    agent = IdFilter(field_name="interaction__employee_id", label=_("Agent (employee id)"))
    team = MemberTeamFilter(
        day_field="interaction__opened_at__date",
        employee_field="interaction__employee",
        label=_("Team of the agent on the interaction's day (slug)"),
    )
    csat = django_filters.ChoiceFilter(
        choices=[(n, str(n)) for n in range(1, 6)], label=_("Satisfaction (1–5)")
    )

    class Meta:
        model = SurveyResponse
        form = DateRangeForm
        fields: list[str] = []
