"""The batch upserts' own write (customers/upsert.py) is held equal to bulk_create's."""

import datetime as dt

import pytest
from django.utils import timezone

from customers import upsert
from customers.models import Interaction
from customers.services import interactions_upsert
from feedback.models import SurveyResponse
from feedback.services import survey_responses_upsert
from integrations.choices import EventStatus
from integrations.models import InboundEvent
from tests.factories import CustomerFactory, EmployeeFactory, InteractionFactory

pytestmark = pytest.mark.django_db

# Everything the write sets except the row's own id and stamps (and the source, which tells the
# two paths' rows apart).
COMPARED = [
    f.attname
    for f in Interaction._meta.concrete_fields
    if f.attname not in ("id", "created_at", "updated_at", "source")
]


def _refused(objs, fields):
    """The fast path declining, as on any other database than PostgreSQL."""
    raise upsert._NotPlain


def _rows(employee, customer, source, *, resolved):
    opened = (timezone.now() - dt.timedelta(days=2)).replace(microsecond=0)
    return [
        {
            "employee_id": employee.pk,
            "customer_id": customer.pk,
            "channel": ("email", "chat")[n % 2],
            "subject": f'Question\t{n}\\ "quoted" ünïcode',
            "opened_at": opened + dt.timedelta(minutes=n),
            "first_response_at": opened + dt.timedelta(minutes=n + 5) if n % 3 else None,
            "resolved_at": opened + dt.timedelta(minutes=n + 60) if resolved and n % 2 else None,
            "is_first_contact_resolution": bool(resolved and n % 2),
            "is_escalated": n == 1,
            "follow_up_due": opened.date() + dt.timedelta(days=3) if n == 2 else None,
            "source": source,
            "external_id": f"T-{n}",
        }
        for n in range(4)
    ]


def _stored(source):
    return list(
        Interaction.objects.filter(source=source).order_by("external_id").values_list(*COMPARED)
    )


def test_the_fast_write_stores_what_bulk_create_stores_and_sets_the_ids(monkeypatch):
    employee, customer = EmployeeFactory(), CustomerFactory()
    fast = interactions_upsert(rows=_rows(employee, customer, "fast", resolved=True))
    fast_again = interactions_upsert(rows=_rows(employee, customer, "fast", resolved=False))
    monkeypatch.setattr(upsert, "_arrays", _refused)
    plain = interactions_upsert(rows=_rows(employee, customer, "plain", resolved=True))
    plain_again = interactions_upsert(rows=_rows(employee, customer, "plain", resolved=False))

    assert _stored("fast") == _stored("plain")
    # Reopened by the second push: the reopen rule ran on both paths alike.
    assert {i.reopen_count for i in Interaction.objects.filter(source="fast")} == {0, 1}
    assert [i.pk for i in fast] == [i.pk for i in fast_again]
    assert [i.pk for i in plain] == [i.pk for i in plain_again]
    stored = Interaction.objects.in_bulk([i.pk for i in fast_again])
    assert all(stored[i.pk].external_id == i.external_id for i in fast_again)
    assert all(not i._state.adding for i in fast_again)


def test_an_update_keeps_created_at_and_moves_updated_at():
    employee, customer = EmployeeFactory(), CustomerFactory()
    interactions_upsert(rows=_rows(employee, customer, "fast", resolved=True))
    before = Interaction.objects.get(external_id="T-0")

    interactions_upsert(rows=_rows(employee, customer, "fast", resolved=False))

    after = Interaction.objects.get(external_id="T-0")
    assert after.created_at == before.created_at
    assert after.updated_at >= before.updated_at


def test_a_naive_time_takes_the_orm_path(monkeypatch):
    employee, customer = EmployeeFactory(), CustomerFactory()
    (interaction,) = [
        Interaction(
            employee=employee,
            customer=customer,
            channel="email",
            subject="Naive",
            opened_at=dt.datetime(2026, 1, 5, 10, 0),  # noqa: DTZ001 - naive on purpose
            source="fast",
            external_id="N-1",
            reopen_count=0,
        )
    ]
    used = []
    monkeypatch.setattr(
        Interaction.objects, "bulk_create", lambda objs, **kw: used.append(len(objs))
    )
    upsert.objects_upsert(
        Interaction,
        [interaction],
        unique_fields=["source", "external_id"],
        update_fields=["subject"],
    )
    assert used == [1]


def _answers(interactions, source, *, csat):
    return [
        {
            "interaction_id": interaction.pk,
            "csat": csat,
            "nps": 9 if n % 2 else None,
            "comment": f"Fine\t{n}\\" if n else "",
            "source": source,
            "external_id": f"A-{n}",
            "submitted_at": interaction.opened_at + dt.timedelta(hours=1),
        }
        for n, interaction in enumerate(interactions)
    ]


def test_survey_answers_are_stored_alike_by_both_paths(monkeypatch):
    interactions = InteractionFactory.create_batch(3)
    fast = survey_responses_upsert(rows=_answers(interactions, "fast", csat=4))
    fast_again = survey_responses_upsert(rows=_answers(interactions, "fast", csat=2))
    monkeypatch.setattr(upsert, "_arrays", _refused)
    plain = survey_responses_upsert(rows=_answers(interactions, "plain", csat=4))
    plain_again = survey_responses_upsert(rows=_answers(interactions, "plain", csat=2))

    def stored(source):
        return list(
            SurveyResponse.objects.filter(source=source)
            .order_by("external_id")
            .values_list("interaction_id", "csat", "nps", "comment", "language", "submitted_at")
        )

    assert stored("fast") == stored("plain")
    assert {r.csat for r in SurveyResponse.objects.filter(source="fast")} == {2}
    assert (fast.created, fast_again.updated) == (plain.created, plain_again.updated) == (3, 3)
    assert [r.pk for r in fast.responses] == [r.pk for r in fast_again.responses]


def test_durations_and_every_character_come_back_as_written(monkeypatch):
    employee, customer = EmployeeFactory(), CustomerFactory()
    opened = (timezone.now() - dt.timedelta(days=2)).replace(microsecond=0)
    texts = ["plain", 'quote " and \\ backslash', "{braces, commas}", "NULL", "", "tab\tline\n"]
    durations = [
        dt.timedelta(minutes=5),
        dt.timedelta(days=1, seconds=7, microseconds=5),
        dt.timedelta(0),
        None,
        dt.timedelta(microseconds=1),
        dt.timedelta(hours=30),
    ]

    def write(source):
        objs = [
            Interaction(
                employee=employee,
                customer=customer,
                channel="chat",
                subject=text or "-",
                notes=text,
                opened_at=opened,
                first_response_working_time=duration,
                source=source,
                external_id=f"D-{n}",
                reopen_count=n,
            )
            for n, (text, duration) in enumerate(zip(texts, durations, strict=True))
        ]
        upsert.objects_upsert(
            Interaction, objs, unique_fields=["source", "external_id"], update_fields=["notes"]
        )
        return objs

    fast = write("fast")
    monkeypatch.setattr(upsert, "_arrays", _refused)
    write("plain")

    assert _stored("fast") == _stored("plain")
    assert [
        i.notes for i in Interaction.objects.filter(source="fast").order_by("external_id")
    ] == texts
    assert [i.pk for i in fast] == list(
        Interaction.objects.filter(source="fast")
        .order_by("external_id")
        .values_list("pk", flat=True)
    )


def test_an_instance_built_from_columns_is_the_one_the_keywords_build():
    opened = timezone.now()
    values = {
        "employee_id": 3,
        "customer_id": 5,
        "channel": "chat",
        "subject": "Hello",
        "opened_at": opened,
        "source": "s",
        "external_id": "1",
    }
    names = [f.attname for f in Interaction._meta.concrete_fields]
    built, plain = upsert.instance_build(Interaction, values), Interaction(**values)
    assert [getattr(built, n) for n in names] == [getattr(plain, n) for n in names]
    # A callable default is called for each instance, never shared between them.
    first = upsert.instance_build(InboundEvent, {"connection_id": 1, "body": "{}"})
    second = upsert.instance_build(InboundEvent, {"connection_id": 1, "body": "{}"})
    assert first.customer_keys == second.customer_keys == []
    assert first.customer_keys is not second.customer_keys
    assert (first.status, first.attempts, first.error) == (EventStatus.PENDING, 0, "")
    # A related object by its name takes Django's keyword path.
    employee = EmployeeFactory.build(pk=7)
    assert upsert.instance_build(Interaction, {"employee": employee}).employee_id == 7
