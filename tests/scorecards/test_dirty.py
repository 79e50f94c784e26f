import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from customers.services import (
    interaction_create,
    interaction_delete,
    interaction_update,
    interactions_upsert,
)
from feedback.choices import ReviewStatus
from feedback.services import (
    qa_review_days_changed,
    qa_review_delete,
    qa_review_publish,
    survey_response_create,
    survey_response_delete,
)
from scorecards.dirty import days_mark_dirty, interaction_days, local_day
from scorecards.models import DirtyDay
from tests.factories import (
    CustomerFactory,
    EmployeeFactory,
    InteractionFactory,
    ManagerFactory,
    PublishedQAReviewFactory,
    QAReviewFactory,
    SurveyResponseFactory,
)

RIGA = zoneinfo.ZoneInfo("Europe/Riga")
DAY = dt.date(2025, 1, 10)

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=RIGA)


def dirty() -> set[tuple[int, dt.date]]:
    return set(DirtyDay.objects.values_list("employee_id", "day"))


def test_days_mark_dirty_keeps_one_row_per_employee_and_day():
    employee = EmployeeFactory()
    pairs = [(employee.pk, DAY), (employee.pk, DAY), (employee.pk, DAY + dt.timedelta(days=1))]

    assert days_mark_dirty(pairs=pairs) == 2
    first_marked = DirtyDay.objects.get(day=DAY).marked_at
    assert days_mark_dirty(pairs=pairs[:1]) == 1

    assert DirtyDay.objects.count() == 2
    assert DirtyDay.objects.get(day=DAY).marked_at >= first_marked
    assert days_mark_dirty(pairs=[]) == 0


def test_interaction_days_are_local_calendar_days():
    interaction = InteractionFactory.build(
        employee=EmployeeFactory(),
        opened_at=at(DAY, 23, 30),
        resolved_at=at(DAY + dt.timedelta(days=1), 0, 10),
        follow_up_due=DAY + dt.timedelta(days=5),
    )

    assert interaction_days(interaction) == {
        (interaction.employee_id, DAY),
        (interaction.employee_id, DAY + dt.timedelta(days=1)),
        (interaction.employee_id, DAY + dt.timedelta(days=5)),
    }


def test_interaction_create_marks_the_days_it_counts_on():
    employee = EmployeeFactory()

    interaction_create(
        employee=employee,
        customer=CustomerFactory(),
        channel="phone",
        subject="Invoice question",
        opened_at=at(DAY, 9),
        resolved_at=at(DAY + dt.timedelta(days=1), 9),
    )

    assert dirty() == {(employee.pk, DAY), (employee.pk, DAY + dt.timedelta(days=1))}


def test_moving_an_interaction_to_another_day_marks_both_days():
    interaction = InteractionFactory(opened_at=at(DAY, 9), first_response_at=None)
    later = DAY + dt.timedelta(days=3)

    interaction_update(interaction=interaction, opened_at=at(later, 9))

    assert dirty() == {(interaction.employee_id, DAY), (interaction.employee_id, later)}


def test_moving_an_interaction_to_another_employee_moves_its_feedback_days():
    interaction = InteractionFactory(opened_at=at(DAY, 9), first_response_at=None)
    survey_day = DAY + dt.timedelta(days=2)
    SurveyResponseFactory(interaction=interaction, submitted_at=at(survey_day, 12))
    before, after = interaction.employee, EmployeeFactory()

    interaction_update(interaction=interaction, employee=after)

    assert dirty() == {
        (before.pk, DAY),
        (before.pk, survey_day),
        (after.pk, DAY),
        (after.pk, survey_day),
    }


def test_interaction_update_uses_the_stored_days_even_from_a_stale_copy():
    interaction = InteractionFactory(opened_at=at(DAY, 9), first_response_at=None)
    stale = type(interaction).objects.get(pk=interaction.pk)
    stale.opened_at = at(DAY + dt.timedelta(days=1), 9)

    interaction_update(interaction=stale, subject="Renamed")

    assert dirty() == {
        (interaction.employee_id, DAY),
        (interaction.employee_id, DAY + dt.timedelta(days=1)),
    }


def test_interaction_delete_marks_its_days_and_its_feedback_days():
    interaction = InteractionFactory(opened_at=at(DAY, 9), follow_up_due=DAY + dt.timedelta(1))
    PublishedQAReviewFactory(interaction=interaction, scored_at=at(DAY + dt.timedelta(days=4), 10))

    interaction_delete(interaction=interaction)

    employee_id = interaction.employee_id
    assert dirty() == {
        (employee_id, DAY),
        (employee_id, DAY + dt.timedelta(days=1)),
        (employee_id, DAY + dt.timedelta(days=4)),
    }


def _row(employee, customer, n: int, day: dt.date) -> dict:
    return {
        "employee": employee,
        "customer": customer,
        "channel": "email",
        "subject": f"Ticket {n}",
        "opened_at": at(day, 9),
        "source": "helpdesk",
        "external_id": f"T-{n}",
    }


@pytest.mark.parametrize("size", [2, 20])
def test_interactions_upsert_marks_old_and_new_days_in_constant_queries(size):
    employee, customer = EmployeeFactory(), CustomerFactory()
    interactions_upsert(rows=[_row(employee, customer, n, DAY) for n in range(size)])
    assert dirty() == {(employee.pk, DAY)}
    DirtyDay.objects.all().delete()
    new_employee = EmployeeFactory()
    moved = [_row(new_employee, customer, n, DAY + dt.timedelta(days=1)) for n in range(size)]

    with CaptureQueriesContext(connection) as queries:
        interactions_upsert(rows=moved)

    # Savepoint, two parent checks, the stored rows, the upsert, feedback (two), dirty days,
    # release.
    assert len(queries.captured_queries) == 9
    assert dirty() == {(employee.pk, DAY), (new_employee.pk, DAY + dt.timedelta(days=1))}


def test_survey_response_create_and_delete_mark_the_submitted_day():
    interaction = InteractionFactory(opened_at=at(DAY, 9))

    response = survey_response_create(
        interaction=interaction, csat=4, nps=9, submitted_at=at(DAY, 23, 30)
    )
    assert dirty() == {(interaction.employee_id, DAY)}
    DirtyDay.objects.all().delete()

    survey_response_delete(response=response)

    assert dirty() == {(interaction.employee_id, DAY)}


def test_survey_response_create_names_the_wrong_fields():
    interaction = InteractionFactory(opened_at=at(DAY, 9))

    with pytest.raises(ValidationError) as excinfo:
        survey_response_create(interaction=interaction, csat=6, nps=11)

    assert set(excinfo.value.message_dict) == {"csat", "nps"}
    assert not DirtyDay.objects.exists()


def test_qa_review_publish_and_delete_mark_the_scored_day():
    interaction = InteractionFactory(opened_at=at(DAY, 9))
    review = QAReviewFactory(interaction=interaction, total=Decimal("70"))

    review = qa_review_publish(review=review, actor=ManagerFactory(), now=at(DAY, 23, 30))

    assert review.status == ReviewStatus.PUBLISHED
    assert dirty() == {(interaction.employee_id, DAY)}
    DirtyDay.objects.all().delete()
    qa_review_delete(review=review)
    assert dirty() == {(interaction.employee_id, DAY)}


def test_qa_review_days_changed_marks_the_old_and_the_new_day():
    review = PublishedQAReviewFactory(scored_at=at(DAY + dt.timedelta(days=2), 10))
    employee_id = review.interaction.employee_id

    qa_review_days_changed(review=review, old_pairs={(employee_id, DAY)})

    assert dirty() == {(employee_id, DAY), (employee_id, DAY + dt.timedelta(days=2))}


def test_local_day_is_the_organisations_calendar_day_as_localtime_gives_it(settings):
    settings.TIME_ZONE = "Europe/Riga"
    late = dt.datetime(2026, 12, 1, 22, 30, tzinfo=dt.UTC)
    assert local_day(late) == timezone.localtime(late, zoneinfo.ZoneInfo("Europe/Riga")).date()
    assert local_day(late) == dt.date(2026, 12, 2)
    assert local_day(None) is None
    with pytest.raises(ValueError, match="naive"):
        local_day(dt.datetime(2026, 12, 1, 22, 30))  # noqa: DTZ001 - naive on purpose
