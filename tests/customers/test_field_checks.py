"""A batch's field checks (customers/field_checks.py) are full_clean's, value by value."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from customers.choices import Channel
from customers.field_checks import FieldChecks
from customers.models import Interaction

EXCLUDE = {"employee", "customer", "opened_at"}
OPENED = timezone.now() - dt.timedelta(hours=2)


def _interaction(**fields):
    values = {
        "channel": Channel.CHAT,
        "subject": "Where is my parcel?",
        "opened_at": OPENED,
        "source": "helpdesk",
        "external_id": "T-1",
        **fields,
    }
    return Interaction(**values)


def _full_clean_errors(interaction):
    try:
        interaction.full_clean(exclude=EXCLUDE, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        return exc.message_dict
    return {}


CASES = [
    {},
    {"channel": "carrier pigeon"},
    {"channel": "email"},
    {"subject": ""},
    {"subject": "x" * 201},
    {"source": "s" * 41},
    {"external_id": "e" * 101},
    {"reopen_count": -1},
    {"is_escalated": None},
    {"is_escalated": "yes"},
    {"notes": 5},
    {"channel": "carrier pigeon", "subject": "", "reopen_count": -1},
]


@pytest.mark.parametrize("fields", CASES)
def test_each_row_gets_full_cleans_errors_and_values(fields):
    checks = FieldChecks()
    # The same batch checks every case twice: the second answer comes from what it remembers.
    for _round in range(2):
        for other in CASES:
            checks.errors(_interaction(**other), exclude=EXCLUDE)
        ours, theirs = _interaction(**fields), _interaction(**fields)
        assert checks.errors(ours, exclude=EXCLUDE) == _full_clean_errors(theirs)
        fields_compared = [f.attname for f in Interaction._meta.concrete_fields]
        assert [getattr(ours, n) for n in fields_compared] == [
            getattr(theirs, n) for n in fields_compared
        ]


def test_equal_values_of_other_types_are_not_taken_for_each_other():
    checks = FieldChecks()
    assert checks.errors(_interaction(external_id="1"), exclude=EXCLUDE) == {}
    number = _interaction(external_id=1)
    assert checks.errors(number, exclude=EXCLUDE) == {}
    # CharField's own conversion ran on the int, not the remembered str.
    assert number.external_id == "1"
    flag = _interaction(is_escalated=1)
    checks.errors(_interaction(is_escalated=True), exclude=EXCLUDE)
    assert checks.errors(flag, exclude=EXCLUDE) == _full_clean_errors(_interaction(is_escalated=1))
    assert flag.is_escalated is True
