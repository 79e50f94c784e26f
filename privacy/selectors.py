"""Reads of a customer's whole record: the customer page, erase permission, the data export."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from customers.models import Customer, Interaction
from customers.selectors import can_manage_personal_data, interactions_visible_to
from feedback.models import SurveyResponse


@dataclass(frozen=True)
class CustomerHistory:
    interactions: QuerySet[Interaction]
    responses: list[SurveyResponse]
    open_follow_ups: list[Interaction]
    escalations: list[Interaction]
    interaction_count: int
    csat_percent: float | None


def customer_history(*, customer: Customer, user, responses_limit: int = 50) -> CustomerHistory:
    """Return what the user may see of a customer's contacts: interactions, CSAT, follow-ups."""
    interactions = (
        interactions_visible_to(user=user)
        .filter(customer=customer)
        .select_related("employee__user")
        .order_by("-opened_at", "-pk")
    )
    responses = (
        SurveyResponse.objects.filter(interaction__in=interactions.values("pk"))
        .select_related("interaction")
        .order_by("-submitted_at", "-pk")
    )
    open_follow_ups = list(
        interactions.filter(follow_up_due__isnull=False, follow_up_done_at__isnull=True).order_by(
            "follow_up_due", "pk"
        )
    )
    escalations = list(interactions.filter(is_escalated=True))
    totals = interactions.aggregate(count=Count("pk"))
    csat = SurveyResponse.objects.filter(interaction__in=interactions.values("pk")).aggregate(
        count=Count("pk"), total=Count("pk", filter=Q(csat__gte=4))
    )
    return CustomerHistory(
        interactions=interactions,
        responses=list(responses[:responses_limit]),
        open_follow_ups=open_follow_ups,
        escalations=escalations,
        interaction_count=totals["count"],
        csat_percent=(100 * csat["total"] / csat["count"]) if csat["count"] else None,
    )


def _moment(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def customer_erasable_by(*, user, customer: Customer) -> bool:
    """Tell whether the user may erase the customer for everyone: an admin, or a manager who
    may see every interaction with the customer, i.e. manages every team involved with them."""
    if not can_manage_personal_data(user=user):
        return False
    unseen = Interaction.objects.filter(customer=customer).exclude(
        pk__in=interactions_visible_to(user=user).values("pk")
    )
    return not unseen.exists()


def customer_personal_data(*, customer: Customer, user) -> dict[str, Any]:
    """Return what is stored about a customer that the user may see, for a data-subject access
    request (GDPR): everything for an admin, a manager's own teams' contacts otherwise."""
    interactions = list(
        interactions_visible_to(user=user).filter(customer=customer).order_by("opened_at", "pk")
    )
    responses = list(
        SurveyResponse.objects.filter(interaction__in=[i.pk for i in interactions]).order_by(
            "submitted_at", "pk"
        )
    )
    return {
        "customer": {
            "id": customer.pk,
            "name": customer.name,
            "company": customer.company,
            "email": customer.email,
            "phone": customer.phone,
            "language": customer.language,
            "tier": customer.tier,
            "value_points": customer.value_points,
            "external_id": customer.external_id,
            "has_opted_out_of_surveys": customer.has_opted_out_of_surveys,
            "created_at": _moment(customer.created_at),
            "erased_at": _moment(customer.erased_at),
        },
        "interactions": [
            {
                "id": interaction.pk,
                "channel": interaction.channel,
                "subject": interaction.subject,
                "notes": interaction.notes,
                "opened_at": _moment(interaction.opened_at),
                "first_response_at": _moment(interaction.first_response_at),
                "resolved_at": _moment(interaction.resolved_at),
                "is_first_contact_resolution": interaction.is_first_contact_resolution,
                "is_escalated": interaction.is_escalated,
                "follow_up_due": (
                    interaction.follow_up_due.isoformat() if interaction.follow_up_due else None
                ),
                "follow_up_done_at": _moment(interaction.follow_up_done_at),
            }
            for interaction in interactions
        ],
        "survey_responses": [
            {
                "id": response.pk,
                "interaction": response.interaction_id,
                "csat": response.csat,
                "nps": response.nps,
                "comment": response.comment,
                "language": response.language,
                "submitted_at": _moment(response.submitted_at),
            }
            for response in responses
        ],
    }
