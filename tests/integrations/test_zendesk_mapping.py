"""A Zendesk ticket and its metric set read as an interaction (integrations.zendesk.mapping).

Payloads are built (tests/integrations/zendesk_fake.py) from Zendesk's "Tickets", "Ticket
Metrics" and "Satisfaction Ratings" API references.
"""

import datetime as dt

import pytest

from customers.choices import Channel
from integrations.zendesk.mapping import (
    ESCALATION_GROUPS,
    ESCALATION_NONE,
    ESCALATION_TAG,
    EscalationRule,
    TicketInvalid,
    metric_sets_by_ticket,
    ticket_row,
    users_by_id,
)
from tests.integrations.zendesk_fake import deleted_ticket, ticket, user

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
RULE = EscalationRule()


def _row(pair, *, rule=RULE, users=(), with_metrics=True):
    body, metric_set = pair
    return ticket_row(
        ticket=body,
        metric_set=metric_set if with_metrics else None,
        users=users_by_id(list(users)),
        rule=rule,
        source="zendesk:1",
    )


def test_a_solved_ticket_maps_its_times_and_outcomes():
    row = _row(ticket(7, created_at=T0, reply_minutes=12, solved_after_minutes=95))
    assert row.external_id == "7"
    assert not row.deleted
    assert row.fields["opened_at"] == T0
    assert row.fields["first_response_at"] == T0 + dt.timedelta(minutes=12)
    assert row.fields["resolved_at"] == T0 + dt.timedelta(minutes=95)
    assert row.fields["is_first_contact_resolution"] is True
    assert row.fields["is_escalated"] is False
    assert row.fields["channel"] == Channel.EMAIL
    assert row.fields["source"] == "zendesk:1"


def test_unreached_metrics_are_null_not_zero():
    row = _row(
        ticket(7, created_at=T0, status="open", reply_minutes=None, solved_after_minutes=None)
    )
    assert row.fields["first_response_at"] is None
    assert row.fields["resolved_at"] is None
    assert row.fields["is_first_contact_resolution"] is False


def test_a_reopened_ticket_is_not_resolved_though_its_metrics_keep_the_old_solve():
    row = _row(ticket(7, created_at=T0, status="open", reopens=1, solved_after_minutes=30))
    assert row.fields["resolved_at"] is None
    assert row.fields["is_first_contact_resolution"] is False


def test_solved_again_after_a_reopen_is_resolved_but_not_on_first_contact():
    row = _row(ticket(7, created_at=T0, status="closed", reopens=1))
    assert row.fields["resolved_at"] is not None
    assert row.fields["is_first_contact_resolution"] is False


def test_a_solved_ticket_without_its_metric_set_is_resolved_at_its_last_update():
    row = _row(ticket(7, created_at=T0), with_metrics=False)
    assert row.fields["resolved_at"] == T0 + dt.timedelta(minutes=96)
    assert row.fields["first_response_at"] is None
    assert row.fields["is_first_contact_resolution"] is False


@pytest.mark.parametrize(
    ("rule", "stations", "tags", "escalated"),
    [
        (EscalationRule(kind=ESCALATION_GROUPS), 2, [], True),
        (EscalationRule(kind=ESCALATION_GROUPS), 1, ["escalated"], False),
        (EscalationRule(kind=ESCALATION_TAG, tag="escalated"), 1, ["vip", "escalated"], True),
        (EscalationRule(kind=ESCALATION_TAG, tag="escalated"), 3, ["vip"], False),
        (EscalationRule(kind=ESCALATION_NONE), 3, ["escalated"], False),
    ],
)
def test_escalation_follows_the_connection_rule(rule, stations, tags, escalated):
    row = _row(ticket(7, created_at=T0, group_stations=stations, tags=tags), rule=rule)
    assert row.fields["is_escalated"] is escalated


@pytest.mark.parametrize(
    ("satisfaction", "csat"),
    [
        ({"id": 31, "score": "good", "comment": "Quick!"}, 5),
        ({"id": 32, "score": "bad", "comment": "Slow"}, 1),
        ({"id": 33, "score": 4}, 4),
        ({"score": "offered"}, None),
        ({"score": "unoffered"}, None),
        ({"id": 34, "score": 9}, None),
    ],
)
def test_satisfaction_good_and_bad_are_five_and_one(satisfaction, csat):
    row = _row(ticket(7, created_at=T0, satisfaction=satisfaction))
    if csat is None:
        assert row.rating is None
    else:
        assert row.rating.csat == csat
        assert row.rating.external_id == str(satisfaction["id"])
        assert row.rating.comment == satisfaction.get("comment", "")
        assert row.rating.submitted_at >= row.fields["resolved_at"]


def test_deleted_ticket_is_marked_deleted():
    row = _row(deleted_ticket(7, created_at=T0))
    assert row.deleted
    assert row.fields == {}
    assert row.rating is None


def test_people_come_with_their_side_loaded_email():
    users = [user(501, name="Ann Agent", email="Ann@Acme.example"), user(9001, name="C", email="")]
    row = _row(ticket(7, created_at=T0), users=users)
    assert row.assignee.external_id == "501"
    assert row.assignee.email == "ann@acme.example"
    assert row.requester.external_id == "9001"
    assert row.requester.name == "C"
    unassigned = _row(ticket(8, created_at=T0, assignee_id=None))
    assert unassigned.assignee is None


@pytest.mark.parametrize(
    ("channel", "expected"),
    [
        ("voice", Channel.PHONE),
        ("chat", Channel.CHAT),
        ("twitter", Channel.SOCIAL),
        ("web", Channel.EMAIL),
        ("new_thing", Channel.EMAIL),
    ],
)
def test_channels(channel, expected):
    assert _row(ticket(7, created_at=T0, channel=channel)).fields["channel"] == expected


def test_empty_and_long_subjects():
    assert _row(ticket(7, created_at=T0, subject="")).fields["subject"] == "#7"
    assert len(_row(ticket(7, created_at=T0, subject="x" * 500)).fields["subject"]) == 200


def test_metric_sets_inline_win_over_side_loaded():
    body, metric_set = ticket(7, created_at=T0)
    inline = dict(metric_set, reopens=3)
    found = metric_sets_by_ticket(tickets=[dict(body, metric_set=inline)], side_loaded=[metric_set])
    assert found[7]["reopens"] == 3
    assert metric_sets_by_ticket(tickets=[body], side_loaded=[metric_set])[7] is metric_set


@pytest.mark.parametrize(
    "broken", [{"id": None}, {"id": "7"}, {"created_at": None}, {"created_at": "yesterday"}]
)
def test_a_ticket_without_id_or_creation_time_is_refused(broken):
    body, metric_set = ticket(7, created_at=T0)
    with pytest.raises(TicketInvalid):
        _row((dict(body, **broken), metric_set))


def test_the_tickets_of_a_page_share_one_person_per_user():
    users = users_by_id(
        [
            user(501, name="Ann Agent", email="Ann@Acme.example"),
            user(9001, name="Carl", email="carl@customer.example"),
        ]
    )
    people: dict = {}
    rows = [
        ticket_row(
            ticket=body, metric_set=metrics, users=users, rule=RULE, source="z", people=people
        )
        for body, metrics in (ticket(1, created_at=T0), ticket(2, created_at=T0))
    ]
    alone = _row(ticket(3, created_at=T0), users=users.values())
    assert rows[0].assignee is rows[1].assignee
    assert rows[0].requester is rows[1].requester
    assert rows[0].assignee == alone.assignee
    assert rows[0].assignee.email == "ann@acme.example"
    assert set(people) == {501, 9001}
