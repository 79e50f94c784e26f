"""Rows of a file read through its column mapping, checked a batch at a time.

The same reading serves the check (which writes nothing) and the import, so the import
writes exactly the rows the preview said were good.
"""

import datetime as dt
import hashlib
from array import array
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


class FirstRows:
    """The row that had each key first, in a few bytes a key however long the file.

    A dict of the keys would take over 100 bytes a row; this keeps an 8-byte digest and a
    4-byte row number a key, appended in order, and an open-addressing table of 4-byte
    positions into them, never more than two-thirds full (so 18 to 24 bytes a key, measured
    by `tests/imports/test_rows.py`). Two keys with the same digest (one pair in about
    10^9 for a million keys) would be taken for a repeat.
    """

    def __init__(self) -> None:
        self._digests = array("Q")
        self._rows = array("I")
        # Each slot holds a position in the arrays above plus one; 0 is an empty slot.
        self._slots = array("I", (0,)) * 8

    def __len__(self) -> int:
        return len(self._digests)

    @property
    def nbytes(self) -> int:
        """The bytes the arrays hold (without the little each over-allocates to grow)."""
        return sum(len(a) * a.itemsize for a in (self._digests, self._rows, self._slots))

    def first(self, key: str, row: int) -> int:
        """Return the row that had the key first, remembering this row if it is the first."""
        digest = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little")
        slots, digests = self._slots, self._digests
        index = self._free_or_found(slots, digest)
        if slots[index]:
            return self._rows[slots[index] - 1]
        digests.append(digest)
        self._rows.append(row)
        slots[index] = len(digests)
        if 3 * len(digests) > 2 * len(slots):
            self._grow()
        return row

    def _free_or_found(self, slots: array, digest: int) -> int:
        """The slot that holds the digest, else the empty slot where it goes (CPython's dict
        probing: every slot is reached, and clustered digests spread out)."""
        mask = len(slots) - 1
        index, perturb, digests = digest & mask, digest, self._digests
        while (slot := slots[index]) and digests[slot - 1] != digest:
            perturb >>= 5
            index = (5 * index + 1 + perturb) & mask
        return index

    def _grow(self) -> None:
        slots = array("I", (0,)) * (2 * len(self._slots))
        for position, digest in enumerate(self._digests, start=1):
            slots[self._free_or_found(slots, digest)] = position
        self._slots = slots


class RowReader:
    """Reads one file's rows through its mapping; remembers the keys seen, to name repeats.

    `employee_ids`: whose interactions the importer may write (None: anyone's).
    `checked`: the file passed the check already (the import's own reading). The reader then
    only converts the cells and resolves the agents; the batch service checks each row, once,
    and names a row that turned bad since the check. The check's rules are not run twice.
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
        checked: bool = False,
    ):
        self.kind = kind
        self.source = source
        self.columns = columns
        self.employee_ids = employee_ids
        self.now = now
        self.checked = checked
        self.targets: list[tuple[Target, int]] = [
            (target, headers.index(columns[target.name]))
            for target in targets_for(kind)
            if columns.get(target.name) in headers
        ]
        # The external ids seen so far, with the row that had each first.
        self._seen = FirstRows()

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
        if not problems and not self.checked:
            problems.extend(self._repeat(number, values["external_id"]))
        return values, problems

    def _repeat(self, number: int, external_id: str) -> list[Problem]:
        first = self._seen.first(external_id, number)
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
            fields = {
                name: value
                for name, value in values.items()
                if name not in ("agent",) and not name.startswith("customer_")
            }
            fields.setdefault("is_first_contact_resolution", False)
            fields.setdefault("is_escalated", False)
            employee_id = agents.get(values["agent"])
            problems = (
                []
                if self.checked
                else self._interaction_problems(number, values, fields, employee_id)
            )
            if problems:
                batch.problems.extend(problems)
                continue
            fields.update(employee=employee_id, source=self.source)
            for key in ("customer_external_id", "customer_email", "customer_name"):
                if values.get(key):
                    fields[key] = values[key]
            batch.rows.append(fields)
            batch.numbers.append(number)

    def _interaction_problems(
        self, number: int, values: dict[str, Any], fields: dict[str, Any], employee_id: int | None
    ) -> list[Problem]:
        """The check's rules for one interaction row (the batch service checks them again at
        the import, with what changed since)."""
        problems = []
        if not values.get("customer_external_id") and not values.get("customer_email"):
            problems.append(
                Problem(
                    number,
                    self.column("customer_external_id") or self.column("customer_email"),
                    _("Give the customer's id or e-mail."),
                )
            )
        if employee_id is None:
            problems.append(
                Problem(
                    number, self.column("agent"), _("No employee has this external id or e-mail.")
                )
            )
        elif self.employee_ids is not None and employee_id not in self.employee_ids:
            problems.append(
                Problem(number, self.column("agent"), _("This employee is not in your teams."))
            )
        interaction = Interaction(source=self.source, **fields)
        for name, messages in interaction_errors(interaction=interaction, now=self.now).items():
            problems.extend(Problem(number, self.column(name), m) for m in messages)
        return problems

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
