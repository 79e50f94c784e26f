"""The fields a file may fill, per kind of import, and how a cell is read into each."""

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers.choices import Channel
from imports.choices import ImportKind


class CellInvalid(ValueError):
    """A cell that cannot be read; the message is for the person who wrote the file."""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # Excel stores an id typed as 1001 as the number 1001.0.
        return str(int(value))
    return str(value).strip()


def text(max_length: int) -> Callable[[Any], str]:
    def read(value: Any) -> str:
        result = _text(value)
        if len(result) > max_length:
            raise CellInvalid(
                _("At most %(max)d characters (this has %(length)d).")
                % {"max": max_length, "length": len(result)}
            )
        return result

    return read


def moment(value: Any) -> dt.datetime | None:
    """A time: an Excel date-time, or ISO 8601 text; without an offset, the organisation's zone."""
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime.combine(value, dt.time())
    else:
        raw = _text(value)
        if not raw:
            return None
        try:
            parsed = parse_datetime(raw) or _whole_day(parse_date(raw))
        except ValueError:
            parsed = None
        if parsed is None:
            raise CellInvalid(_("Not a time: write it as 2026-03-31 14:05 (ISO 8601)."))
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_default_timezone())
    return parsed


def _whole_day(day: dt.date | None) -> dt.datetime | None:
    return None if day is None else dt.datetime.combine(day, dt.time())


def day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = _text(value)
    if not raw:
        return None
    try:
        parsed = parse_date(raw)
    except ValueError:
        parsed = None
    if parsed is None:
        raise CellInvalid(_("Not a date: write it as 2026-03-31 (ISO 8601)."))
    return parsed


_TRUE = {"1", "true", "yes", "y", "t", "x", "да", "jā", "taip"}
_FALSE = {"", "0", "false", "no", "n", "f", "нет", "nē", "ne"}


def flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raw = _text(value).lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise CellInvalid(_("Write yes or no (or 1 or 0)."))


@functools.lru_cache(maxsize=16)
def _channel_names(language: str | None) -> dict[str, str]:
    """Every way a cell may name a channel in the language (code, label, name), lower-cased."""
    names: dict[str, str] = {}
    for choice in Channel:
        for name in (choice.value, str(choice.label).lower(), choice.name.lower()):
            names.setdefault(name, choice.value)
    return names


_CHANNEL_CODES = frozenset(Channel.values)


def channel(value: Any) -> str:
    raw = _text(value).lower()
    if raw in _CHANNEL_CODES:
        # A code is itself in every language: no need to ask which language is active.
        return raw
    found = _channel_names(translation.get_language()).get(raw)
    if found is not None:
        return found
    raise CellInvalid(
        _("Unknown channel; use one of: %(channels)s.")
        % {"channels": ", ".join(choice.value for choice in Channel)}
    )


def email(value: Any) -> str:
    raw = _text(value)
    if raw:
        try:
            validate_email(raw)
        except ValidationError as exc:
            raise CellInvalid(_("Not an e-mail address.")) from exc
    return raw.lower()


def whole_number(low: int, high: int) -> Callable[[Any], int | None]:
    def read(value: Any) -> int | None:
        raw = _text(value)
        if not raw:
            return None
        try:
            number = Decimal(raw)
        except InvalidOperation:
            number = None
        if number is None or number != number.to_integral_value() or not low <= number <= high:
            raise CellInvalid(
                _("Write a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}
            )
        return int(number)

    return read


@dataclass(frozen=True)
class Target:
    """A field of the import: its name, its label on the page, whether a column must fill it."""

    name: str
    label: Promise | str
    read: Callable[[Any], Any]
    required: bool = False
    help: Promise | str = ""


INTERACTION_TARGETS = (
    Target("external_id", gettext_lazy("Interaction id"), text(100), required=True),
    Target(
        "agent",
        gettext_lazy("Agent"),
        text(254),
        required=True,
        help=gettext_lazy("The employee's external id or e-mail."),
    ),
    Target("customer_external_id", gettext_lazy("Customer id"), text(100)),
    Target("customer_email", gettext_lazy("Customer e-mail"), email),
    Target("customer_name", gettext_lazy("Customer name"), text(200)),
    Target("channel", gettext_lazy("Channel"), channel, required=True),
    Target("subject", gettext_lazy("Subject"), text(200), required=True),
    Target("notes", gettext_lazy("Notes"), text(10_000)),
    Target("opened_at", gettext_lazy("Opened at"), moment, required=True),
    Target("first_response_at", gettext_lazy("First response at"), moment),
    Target("resolved_at", gettext_lazy("Resolved at"), moment),
    Target("is_first_contact_resolution", gettext_lazy("Resolved on first contact"), flag),
    Target("is_escalated", gettext_lazy("Escalated"), flag),
    Target("follow_up_due", gettext_lazy("Follow-up due"), day),
    Target("follow_up_done_at", gettext_lazy("Follow-up done at"), moment),
)

SURVEY_TARGETS = (
    Target("external_id", gettext_lazy("Answer id"), text(100), required=True),
    Target(
        "interaction_external_id",
        gettext_lazy("Interaction id"),
        text(100),
        required=True,
        help=gettext_lazy("The id of an interaction imported from the same source."),
    ),
    Target("csat", gettext_lazy("Satisfaction (1–5)"), whole_number(1, 5), required=True),
    Target("nps", gettext_lazy("Likelihood to recommend (0–10)"), whole_number(0, 10)),
    Target("comment", gettext_lazy("Comment"), text(10_000)),
    Target("submitted_at", gettext_lazy("Answered at"), moment, required=True),
)

TARGETS = {ImportKind.INTERACTIONS: INTERACTION_TARGETS, ImportKind.SURVEY_ANSWERS: SURVEY_TARGETS}


def targets_for(kind: str) -> tuple[Target, ...]:
    return TARGETS[ImportKind(kind)]


def _normalised(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def columns_guess(*, kind: str, headers: list[str]) -> dict[str, str]:
    """Pick the column whose header reads like each field's name or label (a first suggestion)."""
    by_name = {_normalised(header): header for header in headers}
    guess = {}
    for target in targets_for(kind):
        for candidate in (target.name, str(target.label)):
            header = by_name.get(_normalised(candidate))
            if header is not None:
                guess[target.name] = header
                break
    return guess
