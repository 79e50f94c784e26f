import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from customers.field_checks import FieldChecks
from customers.models import Customer, Interaction
from customers.selectors import editable_days, editable_since
from customers.upsert import instance_build, objects_upsert
from customers.working_time import interactions_working_time_fill
from scorecards.dirty import Pair, days_mark_dirty, feedback_days, interaction_days, local_day
from staff.bounds import validate_day_in_range, validate_future_day_in_range
from staff.choices import Role
from staff.models import Employee

# Clocks of helpdesks and phones that push interactions drift a little; a time this close to
# now is taken as now rather than refused as "in the future".
CLOCK_SKEW = dt.timedelta(minutes=5)

EDITABLE_FIELDS = frozenset(
    {
        "employee",
        "customer",
        "channel",
        "subject",
        "notes",
        "opened_at",
        "first_response_at",
        "resolved_at",
        "is_first_contact_resolution",
        "is_escalated",
        "follow_up_due",
        "follow_up_done_at",
        "is_flagged_for_review",
        "source",
        "external_id",
    }
)
_ATTNAMES = {"employee_id": "employee", "customer_id": "customer"}


class InteractionRowsInvalid(ValidationError):
    """A bulk write refused as a whole; `row_errors` maps each bad row's index to its errors."""

    def __init__(self, row_errors: dict[int, dict[str, list[str]]]):
        self.row_errors = row_errors
        super().__init__(
            {
                f"{index}.{field}": messages
                for index, errors in sorted(row_errors.items())
                for field, messages in errors.items()
            }
        )


def _field_name(name: str) -> str:
    return _ATTNAMES.get(name, name)


# The times whose range `_out_of_range_errors` checks, with the type a value has once parsed.
_RANGE_CHECKED = {
    "opened_at": dt.datetime,
    "first_response_at": dt.datetime,
    "resolved_at": dt.datetime,
    "follow_up_done_at": dt.datetime,
    "follow_up_due": dt.date,
}


def _range_checked(*, interaction: Interaction) -> list[str]:
    """The times `interaction_errors` has checked whole: already of their field's type, a full
    clean would only run the same range validator on them again (a bulk row's time checked
    once, not twice). Anything else (None, a subclass of the type) is still cleaned by the field."""
    return [
        name
        for name, kind in _RANGE_CHECKED.items()
        if type(getattr(interaction, name)) is kind  # noqa: E721 - not a subclass: exactly parsed
    ]


def _out_of_range_errors(*, interaction: Interaction) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field in ("opened_at", "first_response_at", "resolved_at", "follow_up_done_at"):
        moment = getattr(interaction, field)
        if moment is not None:
            try:
                validate_day_in_range(moment)
            except ValidationError as exc:
                errors[field] = exc.messages
    if interaction.follow_up_due is not None:
        try:
            validate_future_day_in_range(interaction.follow_up_due)
        except ValidationError as exc:
            errors["follow_up_due"] = exc.messages
    return errors


def interaction_errors(*, interaction: Interaction, now: dt.datetime) -> dict[str, list[str]]:
    """Return the interaction's inconsistent times and flags as messages per field."""
    errors = _out_of_range_errors(interaction=interaction)
    if errors:
        # The checks below step days from these values, which fails outside the range.
        return errors
    latest = now + CLOCK_SKEW
    for field in ("opened_at", "first_response_at", "resolved_at", "follow_up_done_at"):
        moment = getattr(interaction, field)
        if moment is not None and moment > latest:
            errors.setdefault(field, []).append(_("This time is in the future."))
    opened_at = interaction.opened_at
    if opened_at is not None:
        if interaction.first_response_at and interaction.first_response_at < opened_at:
            errors.setdefault("first_response_at", []).append(
                _("The first response cannot be before the interaction was opened.")
            )
        if interaction.resolved_at and interaction.resolved_at < opened_at:
            errors.setdefault("resolved_at", []).append(
                _("The interaction cannot be resolved before it was opened.")
            )
        if interaction.follow_up_done_at and interaction.follow_up_done_at < opened_at:
            errors.setdefault("follow_up_done_at", []).append(
                _("The follow-up cannot be done before the interaction was opened.")
            )
        if interaction.follow_up_due and interaction.follow_up_due < local_day(opened_at):
            errors.setdefault("follow_up_due", []).append(
                _("The follow-up cannot be due before the interaction was opened.")
            )
    if interaction.is_first_contact_resolution and interaction.resolved_at is None:
        errors.setdefault("is_first_contact_resolution", []).append(
            _("Only a resolved interaction can be resolved on first contact.")
        )
    if interaction.follow_up_done_at is not None and interaction.follow_up_due is None:
        errors.setdefault("follow_up_done_at", []).append(
            _("Set the follow-up due date before marking the follow-up done.")
        )
    return errors


def _merge_errors(errors: dict[str, list[str]], exc: ValidationError) -> None:
    for field, messages in exc.message_dict.items():
        errors.setdefault(field, []).extend(messages)


def interaction_validate(*, interaction: Interaction, now: dt.datetime | None = None) -> None:
    """Raise a ValidationError naming each wrong field of the interaction."""
    errors = interaction_errors(interaction=interaction, now=now or timezone.now())
    # Fields already reported are excluded so their constraints do not repeat the message.
    try:
        interaction.full_clean(exclude=list(errors))
    except ValidationError as exc:
        _merge_errors(errors, exc)
    if errors:
        raise ValidationError(errors)


# What apps above customers do when interactions become resolved (feedback: invite the
# customers to a survey). customers must not import them, so each registers its handler once, in
# its AppConfig.ready(); the handler runs in the writing transaction, so its rows are written
# with the interactions or not at all, and need no broker (it may enqueue on commit itself).
InteractionsResolvedHandler = Callable[..., object]
_resolved_handlers: list[InteractionsResolvedHandler] = []


def interactions_resolved_subscribe(handler: InteractionsResolvedHandler) -> None:
    """Call `handler(interactions=[...])` with the interactions each write has just resolved."""
    if handler not in _resolved_handlers:
        _resolved_handlers.append(handler)


def _interactions_resolved(*, interactions: Sequence[Interaction]) -> None:
    if interactions:
        for handler in _resolved_handlers:
            handler(interactions=interactions)


def _moved_feedback_days(*, interaction_id: int, employee_ids: set[int]) -> set[Pair]:
    days = feedback_days(interaction_ids=[interaction_id]).get(interaction_id, set())
    return {(employee_id, day) for employee_id in employee_ids for day in days}


@transaction.atomic
def interaction_create(*, employee: Employee, customer: Customer, **fields: Any) -> Interaction:
    """Log an interaction and mark the days it counts on for rescoring."""
    unknown = set(map(_field_name, fields)) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Unknown interaction fields: {', '.join(sorted(unknown))}")
    interaction = Interaction(employee=employee, customer=customer, **fields)
    interaction_validate(interaction=interaction)
    interactions_working_time_fill([interaction])
    interaction.save()
    days_mark_dirty(pairs=interaction_days(interaction))
    if interaction.resolved_at is not None:
        _interactions_resolved(interactions=[interaction])
    return interaction


def _agent_window_check(*, actor: Employee | None, opened_at: dt.datetime | None) -> None:
    """Refuse an agent's write of an interaction opened before the days agents may write."""
    if actor is None or actor.role != Role.AGENT or opened_at is None:
        return
    if opened_at < editable_since():
        raise ValidationError(
            {
                "opened_at": ngettext(
                    "Agents log and change interactions opened in the last %(days)d day.",
                    "Agents log and change interactions opened in the last %(days)d days.",
                    editable_days(),
                )
                % {"days": editable_days()}
            },
            code="before_agent_window",
        )


@transaction.atomic
def interaction_update(
    *, interaction: Interaction, changed_by: Employee | None = None, **fields: Any
) -> Interaction:
    """Change an interaction and mark both the days it counted on and the days it counts on now.

    `changed_by`: the person changing it through a page (an agent only within the recent days
    they may write); None for a tool or the system.
    """
    names = {_field_name(name) for name in fields}
    unknown = names - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Unknown interaction fields: {', '.join(sorted(unknown))}")
    # The stored row, locked, is the truth about the old days: the caller's copy may be stale.
    stored = Interaction.objects.select_for_update().get(pk=interaction.pk)
    for name, value in fields.items():
        setattr(interaction, name, value)
    _agent_window_check(actor=changed_by, opened_at=interaction.opened_at)
    interaction_validate(interaction=interaction)
    interactions_working_time_fill([interaction])
    interaction.save(update_fields=[*names, "first_response_working_time", "updated_at"])
    pairs = interaction_days(stored) | interaction_days(interaction)
    if stored.employee_id != interaction.employee_id:
        pairs |= _moved_feedback_days(
            interaction_id=interaction.pk,
            employee_ids={stored.employee_id, interaction.employee_id},
        )
    days_mark_dirty(pairs=pairs)
    if stored.resolved_at is None and interaction.resolved_at is not None:
        _interactions_resolved(interactions=[interaction])
    return interaction


@transaction.atomic
def interaction_delete(*, interaction: Interaction) -> None:
    """Delete an interaction with its feedback and mark every day they counted on."""
    stored = Interaction.objects.select_for_update().get(pk=interaction.pk)
    pairs = interaction_days(stored) | _moved_feedback_days(
        interaction_id=stored.pk, employee_ids={stored.employee_id}
    )
    stored.delete()
    days_mark_dirty(pairs=pairs)


def _row_interaction(
    *, row: Mapping[str, Any], now: dt.datetime, checks: FieldChecks
) -> tuple[Interaction, dict]:
    known = {name: value for name, value in row.items() if _field_name(name) in EDITABLE_FIELDS}
    interaction = instance_build(Interaction, known)
    errors = interaction_errors(interaction=interaction, now=now)
    for name in sorted(set(row) - set(known)):
        errors[name] = [_("Unknown field.")]
    if not interaction.external_id:
        errors.setdefault("external_id", []).append(
            _("Interactions sent in bulk need an external id.")
        )
    # full_clean without uniqueness and constraints, each value's field check once a batch:
    # parents are checked for the whole batch at once, and (source, external_id) is the key the
    # upsert updates on, not a uniqueness error.
    exclude = {*errors, *_range_checked(interaction=interaction), "employee", "customer"}
    for field, messages in checks.errors(interaction, exclude=exclude).items():
        errors.setdefault(field, []).extend(messages)
    return interaction, errors


def _rows_parent_errors(
    *, interactions: Sequence[Interaction], errors: dict[int, dict[str, list[str]]]
) -> None:
    employee_ids = {i.employee_id for i in interactions if i.employee_id is not None}
    customer_ids = {i.customer_id for i in interactions if i.customer_id is not None}
    known_employees = set(Employee.objects.filter(pk__in=employee_ids).values_list("pk", flat=True))
    known_customers = set(Customer.objects.filter(pk__in=customer_ids).values_list("pk", flat=True))
    for index, interaction in enumerate(interactions):
        for field, value, known, unknown_message in (
            ("employee", interaction.employee_id, known_employees, _("Unknown employee.")),
            ("customer", interaction.customer_id, known_customers, _("Unknown customer.")),
        ):
            if value is None:
                errors.setdefault(index, {}).setdefault(field, []).append(
                    _("This field is required.")
                )
            elif value not in known:
                errors.setdefault(index, {}).setdefault(field, []).append(unknown_message)


def interaction_keys_repeated(
    *, keys: Sequence[tuple[str, str | None]]
) -> dict[int, dict[str, list[str]]]:
    """Name each row of a batch whose (source, external_id) an earlier row already has."""
    errors: dict[int, dict[str, list[str]]] = {}
    first_row_of_key: dict[tuple[str, str], int] = {}
    for index, (source, external_id) in enumerate(keys):
        if not external_id:
            continue
        first = first_row_of_key.setdefault((source, external_id), index)
        if first != index:
            errors[index] = {
                "external_id": [
                    _("The same external id is sent twice (rows %(first)d and %(second)d).")
                    % {"first": first, "second": index}
                ]
            }
    return errors


def _reopen_apply(*, interaction: Interaction, old: Interaction | None) -> None:
    """The reopen rule (docs/SCORING.md, *Reopens*) for a pushed row over its stored one.

    A resolved interaction pushed again without a resolution time was reopened: it loses its
    resolution until resolved again, and it is never again a first-contact resolution (the
    customer had to come back). The caller marks the days it counted on before and counts on
    now, so both the old resolution day and the new one are rescored.
    """
    if old is None:
        # Never reopened. Said in Python rather than left to the column's default, so that
        # every row of the upsert carries plain values and PostgreSQL takes the batch as
        # arrays (UNNEST) instead of planning one placeholder per value.
        interaction.reopen_count = 0
        return
    interaction.reopen_count = old.reopen_count
    if old.resolved_at is not None and interaction.resolved_at is None:
        interaction.reopen_count += 1
    if interaction.reopen_count:
        interaction.is_first_contact_resolution = False


def _rows_checked(
    *, rows: Sequence[Mapping[str, Any]], now: dt.datetime, parents_resolved: bool = False
) -> list[Interaction]:
    """Return the rows as interactions; raise InteractionRowsInvalid naming every bad row."""
    interactions: list[Interaction] = []
    errors: dict[int, dict[str, list[str]]] = {}
    checks = FieldChecks()
    for index, row in enumerate(rows):
        interaction, row_errors = _row_interaction(row=row, now=now, checks=checks)
        if row_errors:
            errors[index] = row_errors
        interactions.append(interaction)
    repeated = interaction_keys_repeated(keys=[(i.source, i.external_id) for i in interactions])
    for index, row_errors in repeated.items():
        errors.setdefault(index, {}).setdefault("external_id", []).extend(row_errors["external_id"])
    if not parents_resolved:
        _rows_parent_errors(interactions=interactions, errors=errors)
    if errors:
        raise InteractionRowsInvalid(errors)
    return interactions


def _stored_by_key(*, interactions: Sequence[Interaction]) -> dict[tuple, Interaction]:
    """Return the stored rows the interactions update, locked, by (source, external id)."""
    keys_by_source: dict[str, list[str]] = {}
    for source, external_id in {(i.source, i.external_id) for i in interactions}:
        keys_by_source.setdefault(source, []).append(external_id)
    stored = list(
        Interaction.objects.select_for_update()
        .filter(
            reduce(
                or_,
                (Q(source=s, external_id__in=ids) for s, ids in keys_by_source.items()),
            )
        )
        .only(
            "source",
            "external_id",
            "employee",
            "opened_at",
            "resolved_at",
            "follow_up_due",
            "reopen_count",
        )
        .order_by("pk")
    )
    return {(i.source, i.external_id): i for i in stored}


@transaction.atomic
def interactions_upsert(
    *, rows: Sequence[Mapping[str, Any]], parents_resolved: bool = False
) -> list[Interaction]:
    """Create or update interactions on (source, external_id); all rows are written or none.

    Raises InteractionRowsInvalid naming every bad row. The days each interaction counted on
    before and counts on now are marked for rescoring, in a constant number of queries.
    `parents_resolved`: the caller has found every row's employee and customer itself, among
    those it may use (`customers.batch.interactions_push`, the one caller that does), so they
    are not looked up again.
    """
    interactions = _rows_checked(rows=rows, now=timezone.now(), parents_resolved=parents_resolved)
    if not interactions:
        return []
    stored_by_key = _stored_by_key(interactions=interactions)
    for interaction in interactions:
        _reopen_apply(
            interaction=interaction,
            old=stored_by_key.get((interaction.source, interaction.external_id)),
        )

    interactions_working_time_fill(interactions)
    update_fields = sorted(
        EDITABLE_FIELDS - {"source", "external_id"}
        | {"first_response_working_time", "updated_at", "reopen_count"}
    )
    # Written in key order so two concurrent batches lock shared rows in the same order.
    objects_upsert(
        Interaction,
        sorted(interactions, key=lambda i: (i.source, i.external_id)),
        unique_fields=["source", "external_id"],
        update_fields=update_fields,
    )

    pairs: set[Pair] = set()
    moved: dict[int, set[int]] = {}
    resolved: list[Interaction] = []
    for interaction in interactions:
        pairs |= interaction_days(interaction)
        old = stored_by_key.get((interaction.source, interaction.external_id))
        if interaction.resolved_at is not None and (old is None or old.resolved_at is None):
            resolved.append(interaction)
        if old is None:
            continue
        pairs |= interaction_days(old)
        if old.employee_id != interaction.employee_id:
            moved[old.pk] = {old.employee_id, interaction.employee_id}
    for interaction_id, days in feedback_days(interaction_ids=moved).items():
        pairs |= {(e, day) for e in moved[interaction_id] for day in days}
    days_mark_dirty(pairs=pairs)
    _interactions_resolved(interactions=resolved)
    return interactions


NEW_CUSTOMER_FIELDS = frozenset({"name", "company", "email", "phone", "language", "tier"})


def customer_create(**fields: Any) -> Customer:
    """Add a customer; a ValidationError names each wrong field."""
    unknown = set(fields) - NEW_CUSTOMER_FIELDS - {"value_points", "external_id"}
    if unknown:
        raise TypeError(f"Unknown customer fields: {', '.join(sorted(unknown))}")
    customer = Customer(**fields)
    customer.full_clean()
    customer.save()
    return customer


@transaction.atomic
def interaction_log(
    *,
    logged_by: Employee | None = None,
    employee: Employee,
    customer: Customer | None = None,
    new_customer: Mapping[str, Any] | None = None,
    **fields: Any,
) -> Interaction:
    """Log an interaction with an existing customer or one added with it, all or nothing.

    Errors about the new customer are keyed `new_customer_<field>`, so a form can show them at
    its own fields; if the interaction is refused, the new customer is not written either. An
    agent (`logged_by`) logs only interactions opened within the recent days they may write.
    """
    _agent_window_check(actor=logged_by, opened_at=fields.get("opened_at"))
    if (customer is None) == (new_customer is None):
        raise TypeError("Pass exactly one of customer and new_customer.")
    if new_customer is not None:
        try:
            customer = customer_create(**new_customer)
        except ValidationError as exc:
            raise ValidationError(
                {f"new_customer_{field}": messages for field, messages in exc.message_dict.items()}
            ) from None
    return interaction_create(employee=employee, customer=customer, **fields)
