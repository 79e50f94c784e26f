"""Erase a customer's personal data on request, and everyone's after the retention period.

The statistics stay: interactions keep their times, channels and outcome flags, survey answers
keep their ratings, so no score changes and no day is marked for rescoring.
"""

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from customers.models import Customer, Interaction
from feedback.models import SurveyInvitation, SurveyResponse
from integrations.models import InboundEvent
from integrations.personal import customer_keys, events_naming

ERASED_SUBJECT = "[erased]"


@transaction.atomic
def customer_erase(*, customer: Customer, now: dt.datetime | None = None) -> Customer:
    """Remove a customer's personal data and keep the statistics it contributed to.

    The customer row, its interactions and their survey responses stay (times, channels, flags,
    ratings: what the scores are computed from), so no score changes and no day is marked for
    rescoring; names, contact details, free text and external ids go, open survey links
    close, and the raw helpdesk events naming it (by its external id or e-mail) are deleted.
    Erasing twice is harmless.
    """
    stored = Customer.objects.select_for_update().get(pk=customer.pk)
    keys = customer_keys(external_id=stored.external_id, email=stored.email)
    stored.name = f"Erased customer #{stored.pk}"
    stored.company = ""
    stored.email = ""
    stored.phone = ""
    stored.external_id = None
    stored.has_opted_out_of_surveys = True
    stored.erased_at = stored.erased_at or now or timezone.now()
    stored.save()
    Interaction.objects.filter(customer=stored).update(
        subject=ERASED_SUBJECT, notes="", updated_at=timezone.now()
    )
    SurveyResponse.objects.filter(interaction__customer=stored).update(comment="")
    # An open link would still take an answer, with a comment, about the erased customer:
    # it closes now, and says so.
    SurveyInvitation.objects.filter(
        interaction__customer=stored, used_at__isnull=True, expires_at__gt=stored.erased_at
    ).update(expires_at=stored.erased_at)
    # The helpdesk deliveries about it hold its name and address, raw: those that wrote its
    # interactions, and those that never did (refused, pending, held, a survey answer, a
    # ticket not written), found by the customer keys each event keeps.
    InboundEvent.objects.filter(interaction__customer=stored).delete()
    events_naming(InboundEvent.objects.all(), keys).delete()
    return stored


@dataclass(frozen=True)
class RetentionResult:
    cutoff: dt.datetime | None
    interactions: int
    survey_comments: int
    customers: int
    helpdesk_events: int = 0


def retention_cutoff(*, months: int, now: dt.datetime | None = None) -> dt.datetime | None:
    """Return the moment before which interactions lose their personal data (None: keep all)."""
    if months <= 0:
        return None
    return (now or timezone.now()) - relativedelta(months=months)


@transaction.atomic
def personal_data_retention_purge(
    *, months: int, now: dt.datetime | None = None
) -> RetentionResult:
    """Anonymise interactions opened more than `months` months ago, and customers seen only then.

    An old interaction keeps its employee, channel, times and outcome flags, and its survey
    response keeps its ratings: every score computed from them stays the same, so no day is
    marked for rescoring. Its subject, notes and survey comment go. A customer with no
    interaction since the cutoff is erased as on the customer's own erase request. Running it
    again changes nothing.
    """
    now = now or timezone.now()
    cutoff = retention_cutoff(months=months, now=now)
    if cutoff is None:
        return RetentionResult(cutoff=None, interactions=0, survey_comments=0, customers=0)
    interactions = (
        Interaction.objects.filter(opened_at__lt=cutoff)
        .exclude(subject=ERASED_SUBJECT, notes="")
        .update(subject=ERASED_SUBJECT, notes="", updated_at=now)
    )
    survey_comments = (
        SurveyResponse.objects.filter(interaction__opened_at__lt=cutoff)
        .exclude(comment="")
        .update(comment="")
    )
    stale_customers = (
        Customer.objects.filter(erased_at__isnull=True, created_at__lt=cutoff)
        .exclude(interactions__opened_at__gte=cutoff)
        .order_by("pk")
    )
    customers = 0
    for customer in stale_customers.iterator(chunk_size=500):
        customer_erase(customer=customer, now=now)
        customers += 1
    # Raw helpdesk deliveries are kept to explain and re-process recent ones; the interactions
    # and answers they wrote stay.
    helpdesk_events, _by_model = InboundEvent.objects.filter(received_at__lt=cutoff).delete()
    return RetentionResult(
        cutoff=cutoff,
        interactions=interactions,
        survey_comments=survey_comments,
        customers=customers,
        helpdesk_events=helpdesk_events,
    )
