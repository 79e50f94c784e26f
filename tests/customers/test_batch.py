"""The batch service every pusher calls: references, customers by external id or e-mail, all or
nothing (customers.batch.interactions_push)."""

import datetime as dt

import pytest
from django.utils import timezone

from customers.batch import interactions_push
from customers.models import Customer, Interaction
from customers.services import InteractionRowsInvalid
from staff.permissions import principal_for_system
from tests.factories import CustomerFactory, EmployeeFactory

pytestmark = pytest.mark.django_db

PRINCIPAL = principal_for_system(name="chatwoot:1")


def _row(agent, n, **fields):
    opened = timezone.now() - dt.timedelta(hours=3, minutes=n)
    row = {
        "employee": agent.pk,
        "channel": "chat",
        "subject": f"Question {n}",
        "opened_at": opened,
        "source": "chatwoot:1",
        "external_id": str(n),
    }
    row.update(fields)
    return row


def test_a_new_customer_is_created_once_for_rows_that_name_it():
    agent = EmployeeFactory()
    rows = {
        0: _row(agent, 0, customer_external_id="c-1", customer_name="Ann", customer_email="a@x.eu"),
        1: _row(agent, 1, customer_email="A@X.EU"),
    }
    interactions = interactions_push(principal=PRINCIPAL, rows=rows)
    customer = Customer.objects.get()
    assert (customer.name, customer.external_id) == ("Ann", "c-1")
    assert {i.customer_id for i in interactions} == {customer.pk}


def test_a_known_customer_is_found_by_external_id_then_e_mail_and_updated():
    agent = EmployeeFactory()
    by_id = CustomerFactory(external_id="c-1", name="Old")
    by_mail = CustomerFactory(email="b@x.eu", external_id=None)
    interactions_push(
        principal=PRINCIPAL,
        rows={
            0: _row(agent, 0, customer_external_id="c-1", customer_name="New"),
            1: _row(agent, 1, customer_external_id="c-2", customer_email="B@x.eu"),
        },
    )
    by_id.refresh_from_db()
    by_mail.refresh_from_db()
    assert by_id.name == "New"
    assert by_mail.external_id == "c-2"
    assert Customer.objects.count() == 2
    assert set(Interaction.objects.values_list("customer_id", flat=True)) == {by_id.pk, by_mail.pk}


def test_a_bad_row_writes_nothing_not_even_its_new_customer():
    agent = EmployeeFactory()
    rows = {
        0: _row(agent, 0, customer_external_id="c-1", customer_name="Ann"),
        1: _row(agent, 1, customer_external_id="c-2", customer_name="Bob", employee=10**9),
        2: _row(agent, 2, customer_external_id="c-3"),
    }
    with pytest.raises(InteractionRowsInvalid) as caught:
        interactions_push(principal=PRINCIPAL, rows=rows)
    assert set(caught.value.row_errors) == {1, 2}
    assert caught.value.row_errors[2] == {"customer": ["Unknown customer."]}
    assert not Customer.objects.exists()
    assert not Interaction.objects.exists()


def test_a_new_customer_refused_by_its_own_checks_is_named_at_the_row():
    agent = EmployeeFactory()
    with pytest.raises(InteractionRowsInvalid) as caught:
        interactions_push(
            principal=PRINCIPAL,
            rows={0: _row(agent, 0, customer_email="not-an-address")},
        )
    assert "customer" in caught.value.row_errors[0]
    assert not Customer.objects.exists()


def test_a_reopened_interaction_loses_its_resolution_and_both_days_are_rescored():
    from scorecards.dirty import local_day
    from scorecards.models import DirtyDay

    agent = EmployeeFactory()
    customer = CustomerFactory()
    resolved = timezone.now() - dt.timedelta(days=2)
    first = _row(agent, 0, customer=customer.pk, opened_at=resolved - dt.timedelta(hours=1))
    interactions_push(
        principal=PRINCIPAL,
        rows={0: {**first, "resolved_at": resolved, "is_first_contact_resolution": True}},
    )
    DirtyDay.objects.all().delete()
    interactions_push(principal=PRINCIPAL, rows={0: {**first, "resolved_at": None}})
    stored = Interaction.objects.get()
    assert (stored.resolved_at, stored.is_first_contact_resolution) == (None, False)
    assert stored.reopen_count == 1
    assert set(DirtyDay.objects.values_list("day", flat=True)) >= {local_day(resolved)}
    # Resolved again: resolved, but never again on first contact; the count stays.
    again = timezone.now() - dt.timedelta(minutes=5)
    interactions_push(
        principal=PRINCIPAL,
        rows={0: {**first, "resolved_at": again, "is_first_contact_resolution": True}},
    )
    stored.refresh_from_db()
    assert (stored.resolved_at, stored.is_first_contact_resolution) == (again, False)
    assert stored.reopen_count == 1
    assert local_day(again) in set(DirtyDay.objects.values_list("day", flat=True))


def test_a_stored_e_mail_in_capitals_is_matched_whatever_the_rows_case():
    agent = EmployeeFactory()
    stored = CustomerFactory(email="Mixed.Case@X.eu", external_id=None)
    rows = {
        n: _row(agent, n, customer_email=email)
        for n, email in enumerate(("mixed.case@x.eu", "MIXED.CASE@X.EU", "Mixed.Case@X.eu"))
    }
    interactions = interactions_push(principal=PRINCIPAL, rows=rows)
    assert {i.customer_id for i in interactions} == {stored.pk}
    assert Customer.objects.count() == 1
