"""GDPR retention: old interactions lose their personal data, every statistic stays."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from customers.models import Customer, Interaction
from feedback.models import SurveyResponse
from privacy.services import ERASED_SUBJECT, personal_data_retention_purge
from privacy.tasks import personal_data_retention_run
from scorecards.models import DirtyDay
from tests.factories import CustomerFactory, InteractionFactory, SurveyResponseFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 6, 15, 12, 0))
OLD = NOW - dt.timedelta(days=400)  # more than 12 months back
RECENT = NOW - dt.timedelta(days=30)

SCORED_FIELDS = [
    "employee_id",
    "channel",
    "opened_at",
    "first_response_at",
    "resolved_at",
    "is_first_contact_resolution",
    "is_escalated",
    "follow_up_due",
    "follow_up_done_at",
]


def _interaction(customer, opened_at, **fields):
    customer.created_at = min(customer.created_at, opened_at)
    Customer.objects.filter(pk=customer.pk).update(created_at=customer.created_at)
    return InteractionFactory(
        customer=customer,
        opened_at=opened_at,
        resolved_at=opened_at + dt.timedelta(hours=1),
        is_first_contact_resolution=True,
        subject="Refund for order 1234, Jane Doe, +371 2000 0000",
        notes="Customer lives at Brivibas iela 1",
        **fields,
    )


@pytest.fixture
def data():
    gone = CustomerFactory(name="Jane Doe", email="jane@example.com", phone="+37120000000")
    old_only = _interaction(gone, OLD)
    old_answer = SurveyResponseFactory(interaction=old_only, csat=2, nps=3, comment="Jane here")
    still = CustomerFactory(name="Ivan Petrov", email="ivan@example.com")
    old_of_still = _interaction(still, OLD)
    recent = _interaction(still, RECENT)
    recent_answer = SurveyResponseFactory(interaction=recent, comment="Great, thanks Anna")
    return {
        "gone": gone,
        "still": still,
        "old": [old_only, old_of_still],
        "recent": recent,
        "old_answer": old_answer,
        "recent_answer": recent_answer,
    }


def _scored(interaction_ids):
    return list(
        Interaction.objects.filter(pk__in=interaction_ids).order_by("pk").values(*SCORED_FIELDS)
    )


def test_old_interactions_lose_personal_data_and_keep_what_scores_are_made_of(data):
    ids = [i.pk for i in [*data["old"], data["recent"]]]
    before = _scored(ids)
    dirty_before = DirtyDay.objects.count()

    result = personal_data_retention_purge(months=12, now=NOW)

    assert (result.interactions, result.survey_comments, result.customers) == (2, 1, 1)
    for interaction in Interaction.objects.filter(pk__in=[i.pk for i in data["old"]]):
        assert interaction.subject == ERASED_SUBJECT
        assert interaction.notes == ""
    answer = SurveyResponse.objects.get(pk=data["old_answer"].pk)
    assert (answer.comment, answer.csat, answer.nps) == ("", 2, 3)
    assert _scored(ids) == before
    assert DirtyDay.objects.count() == dirty_before


def test_recent_interactions_and_customers_still_seen_are_kept(data):
    personal_data_retention_purge(months=12, now=NOW)

    recent = Interaction.objects.get(pk=data["recent"].pk)
    still = Customer.objects.get(pk=data["still"].pk)
    assert recent.subject.startswith("Refund for order")
    assert SurveyResponse.objects.get(pk=data["recent_answer"].pk).comment
    assert (still.name, still.email, still.erased_at) == ("Ivan Petrov", "ivan@example.com", None)


def test_a_customer_seen_only_before_the_cutoff_is_erased(data):
    personal_data_retention_purge(months=12, now=NOW)

    gone = Customer.objects.get(pk=data["gone"].pk)
    assert "Jane" not in gone.name
    assert (gone.email, gone.phone) == ("", "")
    assert gone.erased_at is not None


def test_running_it_again_changes_nothing(data):
    personal_data_retention_purge(months=12, now=NOW)

    again = personal_data_retention_purge(months=12, now=NOW)

    assert (again.interactions, again.survey_comments, again.customers) == (0, 0, 0)


def test_zero_months_keeps_everything(data):
    result = personal_data_retention_purge(months=0, now=NOW)

    assert result.cutoff is None
    assert not Interaction.objects.filter(subject=ERASED_SUBJECT).exists()


def test_the_command_and_the_beat_task_use_the_setting(data, settings, capsys, time_machine):
    time_machine.move_to(NOW)
    settings.CRS_RETENTION_MONTHS = 36

    personal_data_retention_run()
    assert not Interaction.objects.filter(subject=ERASED_SUBJECT).exists()

    call_command("purge_personal_data", "--months", "12")
    assert Interaction.objects.filter(subject=ERASED_SUBJECT).count() == 2
    assert "Anonymised 2 interactions" in capsys.readouterr().out


def test_raw_helpdesk_deliveries_go_with_retention_and_with_their_customer(data):
    from integrations.models import InboundEvent
    from privacy.services import customer_erase
    from tests.factories import InboundEventFactory

    old = InboundEventFactory(body='{"meta": {"sender": {"email": "ivan@example.com"}}}')
    InboundEvent.objects.filter(pk=old.pk).update(received_at=NOW - dt.timedelta(days=400))
    recent = InboundEventFactory(interaction=data["recent"])
    kept = InboundEventFactory()

    result = personal_data_retention_purge(months=12, now=NOW)

    assert result.helpdesk_events == 1
    assert set(InboundEvent.objects.values_list("pk", flat=True)) == {recent.pk, kept.pk}
    customer_erase(customer=data["recent"].customer, now=NOW)
    assert set(InboundEvent.objects.values_list("pk", flat=True)) == {kept.pk}
