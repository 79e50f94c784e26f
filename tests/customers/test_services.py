import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from customers import services as customers_services
from customers.models import Interaction
from customers.services import (
    InteractionRowsInvalid,
    interaction_create,
    interaction_update,
    interactions_upsert,
)
from scorecards.models import DirtyDay
from tests.factories import CustomerFactory, EmployeeFactory, InteractionFactory

RIGA = zoneinfo.ZoneInfo("Europe/Riga")
OPENED = dt.datetime(2025, 1, 10, 9, 0, tzinfo=RIGA)

pytestmark = pytest.mark.django_db


def fields(**overrides) -> dict:
    return {"channel": "chat", "subject": "Delivery late", "opened_at": OPENED, **overrides}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"first_response_at": OPENED - dt.timedelta(minutes=1)},
            "first_response_at",
            "first response cannot be before",
        ),
        (
            {"resolved_at": OPENED - dt.timedelta(hours=1)},
            "resolved_at",
            "cannot be resolved before",
        ),
        (
            {"opened_at": timezone.now() + dt.timedelta(hours=1)},
            "opened_at",
            "in the future",
        ),
        ({"is_first_contact_resolution": True}, "is_first_contact_resolution", "resolved"),
        (
            {"follow_up_done_at": OPENED + dt.timedelta(hours=1)},
            "follow_up_done_at",
            "due date",
        ),
        ({"follow_up_due": OPENED.date() - dt.timedelta(days=1)}, "follow_up_due", "due before"),
        ({"channel": "pigeon"}, "channel", "not a valid choice"),
    ],
)
def test_interaction_create_names_the_wrong_field_and_writes_nothing(overrides, field, message):
    with pytest.raises(ValidationError) as excinfo:
        interaction_create(
            employee=EmployeeFactory(), customer=CustomerFactory(), **fields(**overrides)
        )

    assert list(excinfo.value.message_dict) == [field]
    assert message in excinfo.value.message_dict[field][0]
    assert not Interaction.objects.exists()
    assert not DirtyDay.objects.exists()


def test_interaction_update_refuses_fields_that_are_not_editable():
    interaction = InteractionFactory()

    with pytest.raises(TypeError, match="created_at"):
        interaction_update(interaction=interaction, created_at=timezone.now())


def test_interaction_update_validates_the_result():
    interaction = InteractionFactory(opened_at=OPENED, first_response_at=None)

    with pytest.raises(ValidationError) as excinfo:
        interaction_update(interaction=interaction, resolved_at=OPENED - dt.timedelta(hours=1))

    assert list(excinfo.value.message_dict) == ["resolved_at"]
    interaction.refresh_from_db()
    assert interaction.resolved_at is None


def row(employee, customer, external_id: str, **overrides) -> dict:
    return {
        "employee_id": employee.pk,
        "customer_id": customer.pk,
        "source": "helpdesk",
        "external_id": external_id,
        **fields(**overrides),
    }


def test_interactions_upsert_updates_a_resent_interaction_in_place():
    employee, customer = EmployeeFactory(), CustomerFactory()
    (first,) = interactions_upsert(rows=[row(employee, customer, "T-1")])

    (again,) = interactions_upsert(rows=[row(employee, customer, "T-1", subject="Refund")])

    assert again.pk == first.pk
    stored = Interaction.objects.get()
    assert (stored.subject, stored.source, stored.external_id) == ("Refund", "helpdesk", "T-1")


def test_interactions_upsert_names_every_bad_row_and_writes_nothing():
    employee, customer = EmployeeFactory(), CustomerFactory()
    rows = [
        row(employee, customer, "T-1"),
        row(employee, customer, "T-2", resolved_at=OPENED - dt.timedelta(hours=1)),
        row(employee, customer, "T-1"),
        {**row(employee, customer, "T-4"), "employee_id": 0, "colour": "red"},
        row(employee, customer, ""),
    ]

    with pytest.raises(InteractionRowsInvalid) as excinfo:
        interactions_upsert(rows=rows)

    errors = excinfo.value.row_errors
    assert set(errors) == {1, 2, 3, 4}
    assert list(errors[1]) == ["resolved_at"]
    assert "rows 0 and 2" in errors[2]["external_id"][0]
    assert set(errors[3]) == {"employee", "colour"}
    assert list(errors[4]) == ["external_id"]
    assert "1.resolved_at" in excinfo.value.message_dict
    assert not Interaction.objects.exists()
    assert not DirtyDay.objects.exists()


def test_interactions_upsert_names_a_time_out_of_range_once_at_its_field():
    # The row check runs the range rule once (interaction_errors), not again in full_clean.
    employee, customer = EmployeeFactory(), CustomerFactory()
    rows = [
        row(employee, customer, "T-1", opened_at=dt.datetime(1999, 6, 1, tzinfo=dt.UTC)),
        row(employee, customer, "T-2", follow_up_due=dt.date(2099, 1, 1)),
    ]

    with pytest.raises(InteractionRowsInvalid) as excinfo:
        interactions_upsert(rows=rows)

    errors = excinfo.value.row_errors
    assert errors[0] == {"opened_at": [errors[0]["opened_at"][0]]}
    assert errors[1] == {"follow_up_due": [errors[1]["follow_up_due"][0]]}
    assert not Interaction.objects.exists()


def test_handlers_of_higher_apps_see_each_interaction_once_when_it_is_resolved(monkeypatch):
    seen: list[list[int]] = []
    monkeypatch.setattr(customers_services, "_resolved_handlers", [])
    customers_services.interactions_resolved_subscribe(
        lambda *, interactions: seen.append([i.pk for i in interactions])
    )
    employee, customer = EmployeeFactory(), CustomerFactory()

    interaction = interaction_create(employee=employee, customer=customer, **fields())
    interaction_update(interaction=interaction, resolved_at=OPENED + dt.timedelta(hours=1))
    interaction_update(interaction=interaction, notes="Called back.")

    assert seen == [[interaction.pk]]


def test_feedback_subscribes_its_survey_invitations():
    from feedback.services import survey_invitations_create

    assert survey_invitations_create in customers_services._resolved_handlers
