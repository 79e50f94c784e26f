"""A batch's field checks, each (field, value) checked once (docs/PERFORMANCE.md, "A bulk row's
field checks once per value").

`FieldChecks.errors(instance, exclude=…)` is `instance.full_clean(exclude=…,
validate_unique=False, validate_constraints=False)` as a dict of messages by field: Django's
`clean_fields` and then the model's own `clean()`. A field's check (`Field.clean`: to_python,
choices, blank, null, validators) looks at the value only, and the rows of a batch repeat most
values (their channel, source, flags, counts), so a value of a plain type (str, int, bool,
None, an enum member) is checked once per field and the outcome reused. Relations are left to
the caller (their check reads the database). `tests/customers/test_field_checks.py` holds it
equal to full_clean.
"""

import enum
from collections.abc import Collection
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.db.models.expressions import DatabaseDefault

# Types whose equal values are checked alike (equal values of other types may differ: an aware
# time equal to another in another zone, a str subclass with its own conversion).
_PLAIN = frozenset({str, int, bool, type(None)})


def _remembered(value: Any) -> bool:
    return type(value) in _PLAIN or isinstance(value, enum.Enum)


class FieldChecks:
    """The field checks of one batch's rows; make one per batch."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, type, Any], tuple[Any, list[str] | None]] = {}

    def _check(self, field: Any, value: Any, instance: Model) -> tuple[Any, list[str] | None]:
        key = (field.attname, type(value), value) if _remembered(value) else None
        if key is not None and key in self._seen:
            return self._seen[key]
        try:
            outcome: tuple[Any, list[str] | None] = (field.clean(value, instance), None)
        except ValidationError as exc:
            outcome = (value, exc.messages)
        if key is not None:
            self._seen[key] = outcome
        return outcome

    def errors(self, instance: Model, *, exclude: Collection[str]) -> dict[str, list[str]]:
        """The instance's wrong fields with their messages; cleaned values set, as full_clean."""
        errors: dict[str, list[str]] = {}
        for field in instance._meta.fields:
            if field.name in exclude or field.generated:
                continue
            value = getattr(instance, field.attname)
            if field.blank and value in field.empty_values:
                continue
            # Left to the database, as clean_fields leaves it.
            if isinstance(value, DatabaseDefault):
                continue
            cleaned, messages = self._check(field, value, instance)
            if messages is None:
                setattr(instance, field.attname, cleaned)
            else:
                errors[field.name] = list(messages)
        try:
            instance.clean()
        except ValidationError as exc:
            for name, messages in ValidationError(exc.update_error_dict({})).message_dict.items():
                errors.setdefault(name, []).extend(messages)
        return errors
