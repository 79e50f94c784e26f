"""Filters of the staff lists, shared by the API and the pages."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from staff.choices import Role
from staff.models import Employee, Team
from staff.selectors import rows_on_member_days

# The largest id a bigint column holds: a larger number is refused as input, not sent to SQL.
MAX_ID = 2**63 - 1


class DateRangeForm(forms.Form):
    """A filter form whose `date_to` may not come before its `date_from`."""

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


class StrictBooleanField(forms.NullBooleanField):
    """`true` or `false` (as the API's schema says), or nothing; anything else is an error.

    Django's own turns any other word into "not given", so a filter with a typo filtered
    nothing and said nothing.
    """

    widget = forms.TextInput
    _VALUES = {"true": True, "false": False, "True": True, "False": False}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if value not in self._VALUES:
            raise ValidationError(_("Enter true or false."), code="invalid")
        return self._VALUES[value]

    def validate(self, value):
        pass


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.Filter):
    """Filter on a row id, refusing what is not a positive bigint before it reaches SQL."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class EmployeeFilter(django_filters.FilterSet):
    team = django_filters.CharFilter(method="filter_team", label=_("Team today (slug)"))
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Role"))
    external_id = django_filters.CharFilter(label=_("External id"))
    is_active = BooleanFilter(label=_("Active"))

    class Meta:
        model = Employee
        fields: list[str] = []

    def filter_team(self, queryset, name, value):
        # The team shown for each row (`current_team_slug`, annotated by the view), so a filter
        # cannot tell what the rows do not show.
        return queryset.filter(current_team_slug=value)


# Not blank: the API refuses an empty value of any filter but a free-text one.
@extend_schema_field({"type": "string", "minLength": 1})
class MemberTeamFilter(django_filters.CharFilter):
    """Keep the rows about a person dated on a day that person was a member of the team (slug).

    The rule of rows about people (README): a person's rows belong to the teams they were in on
    the row's day, not to the team they are in today. An unknown slug matches no row, as the
    score lists' `team` does.
    """

    def __init__(self, *, day_field: str, employee_field: str, **kwargs):
        self.day_field = day_field
        self.employee_field = employee_field
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        return rows_on_member_days(
            queryset=qs,
            teams=Team.objects.filter(slug=value).values("pk"),
            day_field=self.day_field,
            employee_field=self.employee_field,
        )
