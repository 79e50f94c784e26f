"""Rows of a file read through its column mapping, checked a batch at a time.

The same reading serves the check (which writes nothing) and the import, so the import
writes exactly the rows the preview said were good.
"""

import datetime as dt
import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from customers.models import Interaction
from customers.services import interaction_errors
from imports.choices import ImportKind
from imports.fields import CellInvalid, Target, targets_for
from staff.models import Employee

# The model's field names where they differ from the importing targets, for placing errors.
_FIELD_TARGETS = {"employee": "agent", "employee_id": "agent"}


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str


@dataclass
class Batch:
    """Good rows as field values for the writing service, and every problem of the others."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class RowReader:
    """Reads one file's rows through its mapping; remembers the keys seen, to name repeats.

    `employee_ids`: whose interactions the importer may write (None: anyone's).
    """

    def __init__(
        self,
        *,
        kind: str,
        source: str,
        headers: list[str],
        columns: dict[str, str],
        employee_ids: Collection[int] | None,
        now: dt.datetime,
    ):
        self.kind = kind
        self.source = source
        self.columns = columns
        self.employee_ids = employee_ids
        self.now = now
        self.targets: list[tuple[Target, int]] = [
            (target, headers.index(columns[target.name]))
            for target in targets_for(kind)
            if columns.get(target.name) in headers
        ]
        # 8-byte digests of the external ids seen so far, with the row that had each first.
        self._seen: dict[bytes, int] = {}

    def column(self, target: str) -> str:
        if target == "customer":
            return self.columns.get("customer_external_id") or self.columns.get(
                "customer_email", ""
            )
        return self.columns.get(_FIELD_TARGETS.get(target, target), "")

    def read(self, chunk: Sequence[tuple[int, list[Any]]]) -> Batch:
        batch = Batch()
        values_of: list[tuple[int, dict[str, Any]]] = []
        for number, cells in chunk:
            values, problems = self._cells(number, cells)
            batch.problems.extend(problems)
            values_of.append((number, values if not problems else {}))
        if self.kind == ImportKind.INTERACTIONS:
            self._interactions(values_of, batch)
        else:
            self._answers(values_of, batch)
        return batch

    def _cells(self, number: int, cells: list[Any]) -> tuple[dict[str, Any], list[Problem]]:
        values: dict[str, Any] = {}
        problems = []
        for target, index in self.targets:
            try:
                value = target.read(cells[index])
            except CellInvalid as exc:
                problems.append(Problem(number, self.column(target.name), str(exc)))
                continue
            if target.required and value in (None, ""):
                problems.append(
                    Problem(number, self.column(target.name), _("Every row needs a value here."))
                )
            values[target.name] = value
        if not problems:
            problems.extend(self._repeat(number, values["external_id"]))
        return values, problems

    def _repeat(self, number: int, external_id: str) -> list[Problem]:
        digest = hashlib.blake2b(external_id.encode(), digest_size=8).digest()
        first = self._seen.setdefault(digest, number)
        if first == number:
            return []
        return [
            Problem(
                number,
                self.column("external_id"),
                _("This id is already on row %(row)d of the file.") % {"row": first},
            )
        ]

    def _interactions(self, values_of: list[tuple[int, dict[str, Any]]], batch: Batch) -> None:
        agents = agents_resolve(keys={v["agent"] for _n, v in values_of if v})
        for number, values in values_of:
            if not values:
                continue
            problems = []
            if not values.get("customer_external_id") and not values.get("customer_email"):
                problems.append(
                    Problem(
                        number,
                        self.column("customer_external_id") or self.column("customer_email"),
                        _("Give the customer's id or e-mail."),
                    )
                )
            employee_id = agents.get(values["agent"])
            if employee_id is None:
                problems.append(
                    Problem(
                        number,
                        self.column("agent"),
                        _("No employee has this external id or e-mail."),
                    )
                )
            elif self.employee_ids is not None and employee_id not in self.employee_ids:
                problems.append(
                    Problem(number, self.column("agent"), _("This employee is not in your teams."))
                )
            fields = {
                name: value
                for name, value in values.items()
                if name not in ("agent",) and not name.startswith("customer_")
            }
            fields.setdefault("is_first_contact_resolution", False)
            fields.setdefault("is_escalated", False)
            interaction = Interaction(source=self.source, **fields)
            for name, messages in interaction_errors(interaction=interaction, now=self.now).items():
                problems.extend(Problem(number, self.column(name), m) for m in messages)
            if problems:
                batch.problems.extend(problems)
                continue
            fields.update(employee=employee_id, source=self.source)
            for key in ("customer_external_id", "customer_email", "customer_name"):
                if values.get(key):
                    fields[key] = values[key]
            batch.rows.append(fields)
            batch.numbers.append(number)

    def _answers(self, values_of: list[tuple[int, dict[str, Any]]], batch: Batch) -> None:
        wanted = {v["interaction_external_id"] for _n, v in values_of if v}
        interactions = {
            row["external_id"]: row
            for row in Interaction.objects.filter(
                source=self.source, external_id__in=wanted
            ).values("pk", "external_id", "employee_id", "opened_at")
        }
        for number, values in values_of:
            if not values:
                continue
            interaction = interactions.get(values["interaction_external_id"])
            column = self.column("interaction_external_id")
            problem = None
            if interaction is None:
                problem = _("No interaction from this source has this id.")
            elif self.employee_ids is not None and interaction["employee_id"] not in (
                self.employee_ids
            ):
                problem = _("This interaction is of an employee outside your teams.")
            elif values["submitted_at"] < interaction["opened_at"]:
                problem = _("A survey cannot be answered before the interaction.")
                column = self.column("submitted_at")
            elif values["submitted_at"] > self.now + dt.timedelta(minutes=5):
                problem = _("This time is in the future.")
                column = self.column("submitted_at")
            if problem is not None:
                batch.problems.append(Problem(number, column, problem))
                continue
            batch.rows.append(
                {
                    "interaction_id": interaction["pk"],
                    "csat": values["csat"],
                    "nps": values.get("nps"),
                    "comment": values.get("comment", ""),
                    "submitted_at": values["submitted_at"],
                    "source": self.source,
                    "external_id": values["external_id"],
                }
            )
            batch.numbers.append(number)


def agents_resolve(*, keys: Collection[str]) -> dict[str, int]:
    """Map each key to an employee: by external id first, then by e-mail (any case)."""
    if not keys:
        return {}
    found = dict(Employee.objects.filter(external_id__in=keys).values_list("external_id", "pk"))
    by_email = {key.lower(): key for key in keys if key not in found and "@" in key}
    if by_email:
        for address, pk in (
            Employee.objects.annotate(address=Lower("user__email"))
            .filter(address__in=by_email)
            .order_by("pk")
            .values_list("address", "pk")
        ):
            found.setdefault(by_email[address], pk)
    return found
