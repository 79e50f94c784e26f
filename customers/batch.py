"""Batches of interaction rows pushed by another tool: the API, a helpdesk connector, an import.

Whoever pushes is a `Principal` (a signed-in user, an API key, or a connector from
`staff.permissions.principal_for_system`). `interactions_push` resolves each row's employee and
customer for that principal, refuses to overwrite interactions of people it may not write, and
upserts the rest with `customers.services.interactions_upsert`; a batch with a bad row writes
nothing and names every bad row.

Customers are found or created by one rule for every source (`_customers_resolve`): by id, else
by external id, else by e-mail; a row that names a customer by external id or e-mail and gives a
name (or an e-mail) creates the customer when none matches, and updates the name, e-mail and
external id of the one that does.
"""

from collections.abc import Mapping, Sequence
from functools import reduce
from operator import or_
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import Customer, Interaction
from customers.selectors import customers_loggable_for, employees_logging_for, employees_who_log
from customers.services import InteractionRowsInvalid, interaction_errors, interactions_upsert
from staff.models import Employee
from staff.permissions import Principal, employees_writable

RowErrors = dict[int, dict[str | None, list[str]]]

# Row keys that describe the customer rather than the interaction.
CUSTOMER_KEYS = ("customer", "customer_external_id", "customer_email", "customer_name")


def employees_pushed_for(*, principal: Principal) -> QuerySet[Employee]:
    """Return the people the principal may push interactions for: a user exactly those the
    "Log interaction" page offers them, a key or a connector the current members of its teams
    (or everyone) past onboarding."""
    if principal.api_key is None and not principal.system:
        return employees_logging_for(user=principal.user)
    return employees_who_log(people=employees_writable(principal=principal))


def _add(errors: RowErrors, index: int, field: str | None, message: str) -> None:
    errors.setdefault(index, {}).setdefault(field, []).append(message)


def _employees_resolve(
    *, rows: Mapping[int, dict[str, Any]], principal: Principal, errors: RowErrors
) -> None:
    """Replace each row's `employee` / `employee_external_id` by `employee_id`, in one query."""
    ids = {row["employee"] for row in rows.values() if "employee" in row}
    external_ids = {
        row["employee_external_id"] for row in rows.values() if "employee_external_id" in row
    }
    found = (
        employees_pushed_for(principal=principal)
        .filter(Q(pk__in=ids) | Q(external_id__in=external_ids))
        .values_list("pk", "external_id")
        if ids or external_ids
        else []
    )
    pks: set[int] = set()
    by_external: dict[str, int] = {}
    for pk, external_id in found:
        pks.add(pk)
        if external_id is not None:
            by_external[external_id] = pk
    for index, row in rows.items():
        external_id = row.pop("employee_external_id", None)
        pk = row.pop("employee", None)
        if external_id is not None:
            pk = by_external.get(external_id)
        if pk is None or pk not in pks:
            _add(errors, index, "employee", _("Unknown employee."))
        else:
            row["employee_id"] = pk


def _customer_match(
    *, row: Mapping[str, Any], by_pk: dict, by_external: dict, by_email: dict
) -> Customer | None:
    if "customer" in row:
        return by_pk.get(row["customer"])
    external_id, email = row.get("customer_external_id"), row.get("customer_email")
    if external_id and external_id in by_external:
        return by_external[external_id]
    if email and email.lower() in by_email:
        return by_email[email.lower()]
    return None


def _customers_known(
    *, rows: Mapping[int, dict[str, Any]], loggable: QuerySet[Customer]
) -> tuple[dict, dict, dict, set[str]]:
    """The customers the rows name, in one query; and the external ids taken by customers the
    principal may not log with (a row naming one is refused, not given a new customer)."""
    ids = {row["customer"] for row in rows.values() if "customer" in row}
    external_ids = {
        row["customer_external_id"] for row in rows.values() if row.get("customer_external_id")
    }
    emails = {row["customer_email"].lower() for row in rows.values() if row.get("customer_email")}
    by_pk: dict[int, Customer] = {}
    by_external: dict[str, Customer] = {}
    by_email: dict[str, Customer] = {}
    if ids or external_ids or emails:
        condition = Q(pk__in=ids) | Q(external_id__in=external_ids)
        if emails:
            # One IN over the lower-cased e-mails (an index holds them), not an OR per e-mail.
            condition |= Q(email_lower__in=emails)
        # The oldest customer wins an e-mail several share, so the choice never changes.
        found = loggable.annotate(email_lower=Lower("email")).filter(condition).order_by("pk")
        for customer in found:
            by_pk[customer.pk] = customer
            if customer.external_id:
                by_external[customer.external_id] = customer
            if customer.email:
                by_email.setdefault(customer.email.lower(), customer)
    hidden = set()
    unmatched = external_ids - set(by_external)
    if unmatched:
        hidden = set(
            Customer.objects.filter(external_id__in=unmatched).values_list("external_id", flat=True)
        )
    return by_pk, by_external, by_email, hidden


def _customer_update(*, customer: Customer, row: Mapping[str, Any]) -> bool:
    """Bring a matched customer's name and e-mail up to the row, and give it the row's external
    id if it has none (an external id once set is the customer's identity); True if changed."""
    changed = False
    for field, key in (("name", "customer_name"), ("email", "customer_email")):
        value = row.get(key)
        if value and getattr(customer, field) != value:
            setattr(customer, field, value)
            changed = True
    if row.get("customer_external_id") and not customer.external_id:
        customer.external_id = row["customer_external_id"]
        changed = True
    return changed


def _customers_resolve(
    *, rows: Mapping[int, dict[str, Any]], principal: Principal, errors: RowErrors
) -> tuple[list[Customer], list[Customer]]:
    """Set each row's `customer_id` (new customers get theirs when written); return the
    customers to create and those to update."""
    by_pk, by_external, by_email, hidden = _customers_known(
        rows=rows, loggable=customers_loggable_for(principal=principal)
    )
    new: list[Customer] = []
    changed: dict[int, Customer] = {}
    pending: dict[int, Customer] = {}
    for index, row in rows.items():
        fields = {key: row.pop(key) for key in CUSTOMER_KEYS if key in row}
        customer = _customer_match(
            row=fields, by_pk=by_pk, by_external=by_external, by_email=by_email
        )
        if customer is None:
            external_id, email = fields.get("customer_external_id"), fields.get("customer_email")
            name = fields.get("customer_name") or email
            if "customer" in fields or external_id in hidden or not name:
                _add(errors, index, "customer", _("Unknown customer."))
                continue
            customer = Customer(name=name[:200], email=email or "", external_id=external_id or None)
            new.append(customer)
            # Later rows of the batch about the same customer find this one.
            if external_id:
                by_external[external_id] = customer
            if email:
                by_email[email.lower()] = customer
        elif customer.pk is not None and _customer_update(customer=customer, row=fields):
            changed[customer.pk] = customer
        pending[index] = customer
    for index, customer in pending.items():
        rows[index]["customer"] = customer
    return new, list(changed.values())


def _refuse_foreign_keys(
    *, rows: Mapping[int, dict[str, Any]], principal: Principal, errors: RowErrors
) -> None:
    """Refuse to overwrite stored interactions of people the principal may not write."""
    if principal.sees_everything or not rows:
        return
    keys_by_source: dict[str, set[str]] = {}
    for row in rows.values():
        keys_by_source.setdefault(row["source"], set()).add(row["external_id"])
    condition = reduce(
        or_, (Q(source=source, external_id__in=ids) for source, ids in keys_by_source.items())
    )
    hidden = set(
        Interaction.objects.filter(condition)
        .exclude(employee__in=employees_pushed_for(principal=principal).values("pk"))
        .values_list("source", "external_id")
    )
    for index, row in rows.items():
        if (row["source"], row["external_id"]) in hidden:
            # The same words as for an id in use elsewhere: nothing says whose it is.
            _add(errors, index, "external_id", _("This external id is already in use."))


def _check_times(*, rows: Mapping[int, dict[str, Any]], errors: RowErrors) -> None:
    now = timezone.now()
    for index, row in rows.items():
        fields = {k: v for k, v in row.items() if k not in ("employee_id", "customer")}
        for field, messages in interaction_errors(
            interaction=Interaction(**fields), now=now
        ).items():
            for message in messages:
                _add(errors, index, field, message)


def _customer_errors(customers: Sequence[Customer]) -> list[str]:
    messages = []
    for customer in customers:
        try:
            customer.full_clean(validate_unique=False, validate_constraints=False)
        except Exception as exc:  # noqa: BLE001 - a ValidationError; its messages are shown
            messages.extend(getattr(exc, "messages", [str(exc)]))
    return messages


def interactions_push(
    *,
    principal: Principal,
    rows: Mapping[int, Mapping[str, Any]],
    errors: RowErrors | None = None,
) -> list[Interaction]:
    """Upsert a batch of parsed interaction rows for the principal, all or nothing.

    `rows` maps each row's index in the batch to its fields (the interaction's own, plus
    `employee` or `employee_external_id`, and `customer` or `customer_external_id` /
    `customer_email` / `customer_name`). `errors` holds what the caller already found wrong
    with other rows of the batch, so one answer names every bad row. Raises
    InteractionRowsInvalid with the errors by row index; returns the interactions in index order.
    """
    errors = {index: dict(fields) for index, fields in (errors or {}).items()}
    model_rows = {index: dict(row) for index, row in rows.items()}
    _employees_resolve(rows=model_rows, principal=principal, errors=errors)
    new, changed = _customers_resolve(rows=model_rows, principal=principal, errors=errors)
    # By identity: unsaved customers have no key to compare or hash by.
    new_ones = {id(customer) for customer in new}
    for index, row in model_rows.items():
        if id(row.get("customer")) in new_ones:
            for message in _customer_errors([row["customer"]]):
                _add(errors, index, "customer", message)
    _refuse_foreign_keys(rows=model_rows, principal=principal, errors=errors)
    if errors:
        # Name the remaining rows' own mistakes too, so one round trip shows them all.
        _check_times(rows=model_rows, errors=errors)
        raise InteractionRowsInvalid(errors)  # type: ignore[arg-type]
    indexes = sorted(model_rows)
    try:
        # Customers are written with the interactions or not at all; without customers to
        # write, the upsert's own transaction is the only one (no savepoint per batch).
        if new or changed:
            with transaction.atomic():
                Customer.objects.bulk_create(new)
                if changed:
                    Customer.objects.bulk_update(changed, ["name", "email", "external_id"])
                return _upsert(rows=model_rows, indexes=indexes)
        return _upsert(rows=model_rows, indexes=indexes)
    except InteractionRowsInvalid as exc:
        raise InteractionRowsInvalid(
            {indexes[position]: fields for position, fields in exc.row_errors.items()}
        ) from None


def _upsert(*, rows: dict[int, dict[str, Any]], indexes: list[int]) -> list[Interaction]:
    for row in rows.values():
        row["customer_id"] = row.pop("customer").pk
    # Every row's employee and customer were found or created above for this principal.
    return interactions_upsert(rows=[rows[i] for i in indexes], parents_resolved=True)
