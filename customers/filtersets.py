"""Filters of the customer and interaction lists, shared by the API and the pages."""

import django_filters
from django.utils.translation import gettext_lazy as _

from customers.choices import Channel, Tier
from customers.models import Customer, Interaction
from customers.selectors import customers_search
from staff.bounds import DayFilter
from staff.filtersets import BooleanFilter, DateRangeForm, IdFilter


class CustomerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search", label=_("Name, company, e-mail or external id")
    )
    external_id = django_filters.CharFilter(label=_("External id"))
    tier = django_filters.ChoiceFilter(choices=Tier.choices, label=_("Tier"))

    class Meta:
        model = Customer
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        return customers_search(customers=queryset, query=value)


class InteractionFilter(django_filters.FilterSet):
    date_from = DayFilter(
        field_name="opened_at", lookup_expr="date__gte", label=_("Opened from (inclusive)")
    )
    date_to = DayFilter(
        field_name="opened_at", lookup_expr="date__lte", label=_("Opened until (inclusive)")
    )
    employee = IdFilter(field_name="employee_id", label=_("Employee (id)"))
    customer = IdFilter(field_name="customer_id", label=_("Customer (id)"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("Channel"))
    source = django_filters.CharFilter(label=_("Source"))
    external_id = django_filters.CharFilter(label=_("External id"))
    is_escalated = BooleanFilter(label=_("Escalated"))

    class Meta:
        model = Interaction
        form = DateRangeForm
        fields: list[str] = []
