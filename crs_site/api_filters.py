"""The API's filter backend: django-filter's, without the filterset when nothing is filtered."""

import django_filters
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError


class FilterBackend(DjangoFilterBackend):
    """Filter with the view's filterset, unless the request names none of its filters.

    A filterset deep-copies its filters and builds and validates a form each time: a
    noticeable share of a score page, for a request that asks only for the next page.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or not _names_a_filter(request, filterset_class.base_filters):
            return queryset
        _refuse_blank_values(request, filterset_class.base_filters)
        return super().filter_queryset(request, queryset, view)


def _refuse_blank_values(request, filters) -> None:
    """Refuse `date_from=` and the like, as the schema does: a blank date, id or choice.

    django-filter reads a blank value as "not given", as a page's empty form field should be;
    from a client of the API it is a mistake, except where the filter takes any text.
    """
    blank = {
        name: [_("This field may not be blank.")]
        for name, value in request.query_params.items()
        if value == "" and name in filters and type(filters[name]) is not django_filters.CharFilter
    }
    if blank:
        raise ValidationError(blank)


def _names_a_filter(request, filters) -> bool:
    # A range filter's widget reads its name with a suffix (`day_after`, `total_min`).
    return any(
        param == name or param.startswith(f"{name}_")
        for param in request.query_params
        for name in filters
    )
