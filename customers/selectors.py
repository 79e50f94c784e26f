"""Reads of the customer and interaction pages: who may see which customer, lists, histories."""

import datetime as dt

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from customers.models import Customer, Interaction
from staff.choices import Role
from staff.models import Employee
from staff.permissions import Principal, principal_for_user, rows_visible
from staff.selectors import (
    employee_for_user,
    employees_writable_by,
    is_admin,
    role_for_user,
    rows_visible_to,
)

SEARCH_LIMIT = 8

CUSTOMER_SORTS = {
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "company": ("company", "name", "pk"),
    "-company": ("-company", "name", "pk"),
    "tier": ("tier", "name", "pk"),
    "-tier": ("-tier", "name", "pk"),
    "value": ("value_points", "name", "pk"),
    "-value": ("-value_points", "name", "pk"),
    "last_contact": ("last_contact", "name", "pk"),
    "-last_contact": ("-last_contact", "name", "pk"),
    "interactions": ("interaction_count", "name", "pk"),
    "-interactions": ("-interaction_count", "name", "pk"),
}
DEFAULT_CUSTOMER_SORT = "name"


def can_log_interactions(*, user) -> bool:
    """Tell whether the user logs interactions: active agents, managers and admins with a record."""
    return employee_for_user(user=user) is not None and role_for_user(user=user) in (
        Role.AGENT,
        Role.MANAGER,
        Role.ADMIN,
    )


def can_read_customers(*, user) -> bool:
    """Tell whether the user may open customer pages at all (onboarding staff may not)."""
    return role_for_user(user=user) in (Role.ADMIN, Role.AGENT, Role.MANAGER)


def can_manage_personal_data(*, user) -> bool:
    """Tell whether the user may export customers' personal data (what they may see of it)."""
    return role_for_user(user=user) in (Role.ADMIN, Role.MANAGER)


def employees_logging_for(*, user) -> QuerySet[Employee]:
    """Return the people the user may log interactions for: themselves, and a manager's current
    team members (not former ones)."""
    employee = employee_for_user(user=user)
    if employee is None or not can_log_interactions(user=user):
        return Employee.objects.none()
    if employee.role == Role.AGENT:
        people = Employee.objects.filter(pk=employee.pk)
    else:
        people = Employee.objects.filter(
            Q(pk__in=employees_writable_by(user=user).values("pk")) | Q(pk=employee.pk)
        )
    return (
        employees_who_log(people=people)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "pk")
    )


def employees_who_log(*, people: QuerySet[Employee]) -> QuerySet[Employee]:
    """Narrow people to those who can have interactions: active, and past onboarding."""
    return people.filter(is_active=True).exclude(role=Role.ONBOARDING)


def interactions_visible_to(*, user) -> QuerySet[Interaction]:
    """Return the interactions the user may read: by person and by the day they were opened."""
    return rows_visible_to(
        user=user, queryset=Interaction.objects.all(), day_field="opened_at__date"
    )


def interactions_writable_by(*, user) -> QuerySet[Interaction]:
    """Return the interactions the user may act on (review, flag, follow up): those of the
    people they may write for now, never a former member's."""
    return interactions_visible_to(user=user).filter(
        employee__in=employees_writable_by(user=user).values("pk")
    )


def customers_visible(*, principal: Principal) -> QuerySet[Customer]:
    """Return the customers a principal may see: the one rule for pages, picker and API.

    Every customer for those who see everything (admins, API keys without teams); otherwise
    those dealt with in an interaction the principal may read (`rows_visible`: by person and by
    the day it was opened), so agents see their own customers and managers their teams'.
    """
    if principal.sees_everything:
        return Customer.objects.all()
    dealt_with = rows_visible(
        queryset=Interaction.objects.all(), principal=principal, day_field="opened_at__date"
    )
    return Customer.objects.filter(pk__in=dealt_with.values("customer_id"))


def customers_visible_to(*, user) -> QuerySet[Customer]:
    """Return the customers whose pages the user may open (`customers_visible`)."""
    return customers_visible(principal=principal_for_user(user=user))


def customers_loggable(*, visible: QuerySet[Customer]) -> QuerySet[Customer]:
    """Return the customers an interaction may be logged with, given those the writer may see:
    those, and the ones nobody has dealt with yet (just added).

    Another team's customer stays out, so logging an interaction cannot bring its contact
    details into view; pages and the API both refuse it as an unknown customer.
    """
    untouched = ~Exists(Interaction.objects.filter(customer=OuterRef("pk")))
    return Customer.objects.filter(erased_at__isnull=True).filter(
        Q(pk__in=visible.values("pk")) | untouched
    )


def customers_loggable_for(*, principal: Principal) -> QuerySet[Customer]:
    """Return the customers the principal may log an interaction with (`customers_loggable`)."""
    if principal.sees_everything:
        return Customer.objects.filter(erased_at__isnull=True)
    return customers_loggable(visible=customers_visible(principal=principal))


def customers_loggable_by(*, user) -> QuerySet[Customer]:
    """Return the customers the user may pick when logging (`customers_loggable_for`)."""
    return customers_loggable_for(principal=principal_for_user(user=user))


def customers_search(*, customers: QuerySet[Customer], query: str) -> QuerySet[Customer]:
    """Narrow customers to those whose name, company or e-mail contains the query, or whose
    external id is the query: the one search of the list page, the picker and the API."""
    # No keyboard types a NUL, and PostgreSQL refuses one in a query.
    query = query.replace("\x00", "").strip()
    if not query:
        return customers
    return customers.filter(
        Q(name__icontains=query)
        | Q(company__icontains=query)
        | Q(email__icontains=query)
        | Q(external_id__iexact=query)
    )


def customers_matching(
    *, query: str, customers: QuerySet[Customer], limit: int = SEARCH_LIMIT
) -> list[Customer]:
    """Return up to `limit` of the customers found by `customers_search`, by name; none for an
    empty query (the picker offers nothing until something is typed)."""
    if not query.replace("\x00", "").strip():
        return []
    return list(customers_search(customers=customers, query=query).order_by("name", "pk")[:limit])


def customer_list(
    *,
    user,
    query: str = "",
    tier: str = "",
    opted_out: bool | None = None,
    sort: str = DEFAULT_CUSTOMER_SORT,
) -> QuerySet[Customer]:
    """Return the visible customers matching the filters, with their (visible) contact counts."""
    customers = customers_search(customers=customers_visible_to(user=user), query=query)
    if tier:
        customers = customers.filter(tier=tier)
    if opted_out is not None:
        customers = customers.filter(has_opted_out_of_surveys=opted_out)
    counted = Q()
    if not is_admin(user=user):
        counted = Q(interactions__in=interactions_visible_to(user=user).values("pk"))
    customers = customers.annotate(
        interaction_count=Count("interactions", filter=counted),
        last_contact=Max("interactions__opened_at", filter=counted),
    )
    return customers.order_by(*CUSTOMER_SORTS.get(sort, CUSTOMER_SORTS[DEFAULT_CUSTOMER_SORT]))


def employee_interactions(*, employee: Employee, query: str = "") -> QuerySet[Interaction]:
    """Return the employee's own interactions, newest first, optionally searched."""
    interactions = Interaction.objects.filter(employee=employee).select_related("customer")
    query = query.strip()
    if query:
        interactions = interactions.filter(
            Q(subject__icontains=query)
            | Q(customer__name__icontains=query)
            | Q(customer__company__icontains=query)
        )
    return interactions.order_by("-opened_at", "-pk")


def editable_days() -> int:
    """Return how many days back an agent may log, change or remove interactions (a setting)."""
    return settings.CRS_AGENT_EDIT_DAYS


def editable_since(*, now: dt.datetime | None = None) -> dt.datetime:
    """Return the earliest opening time of an interaction an agent may log or still change."""
    return (now or timezone.now()) - dt.timedelta(days=editable_days())


def interaction_editable_by(*, user, pk: int) -> Interaction | None:
    """Return the user's own recent interaction with this id, or None if it is not theirs or old."""
    employee = employee_for_user(user=user)
    if employee is None:
        return None
    return (
        Interaction.objects.filter(pk=pk, employee=employee, opened_at__gte=editable_since())
        .select_related("customer", "employee__user")
        .first()
    )
