"""File import benchmark: a 100,000-row CSV of interactions, against a bare bulk_create.

In process, inside a transaction rolled back at the end, on a database of its own making (no
large data set is needed): a team of 50 agents with external ids, then a CSV of N interactions
(5,000 customers by id and e-mail, created by the import). Measured, each the median of ROUNDS:

- the check (`imports.services.import_check`: read, convert, resolve agents, validate; writes
  only the job's progress), and the import (`import_write`: read again, create the customers,
  upsert the interactions through `customers.services.interactions_upsert`, mark the dirty
  days), both as the Celery tasks run them;
- baseline: `Interaction.objects.bulk_create` of the same rows already as model objects
  (customers already there, batches of 1,000), no validation, no dirty days.

Goal: the import at most 3x the bare bulk_create at 100,000 rows; the peak of Python's
allocations (tracemalloc) of check plus import flat in the file size (100,000 rows against
10,000).
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from bench.report import machine, table, today, write_section

SIZES = (10_000, 100_000)
# One run of each: a 100,000-row import takes minutes on a shared machine.
ROUNDS = 1
AGENTS = 50
CUSTOMERS = 5_000
GOAL_TIME = 3.0
GOAL_MEMORY = 1.5
SOURCE = "bench-import"
OPENED = dt.datetime(2026, 1, 5, 9, 0)
HEADERS = ["id", "agent", "customer id", "customer email", "channel", "subject", "opened",
           "answered", "resolved", "fcr"]  # fmt: skip
COLUMNS = {
    "external_id": "id",
    "agent": "agent",
    "customer_external_id": "customer id",
    "customer_email": "customer email",
    "channel": "channel",
    "subject": "subject",
    "opened_at": "opened",
    "first_response_at": "answered",
    "resolved_at": "resolved",
    "is_first_contact_resolution": "fcr",
}


class _Rollback(Exception):
    pass


def _row(n: int) -> list:
    opened = OPENED + dt.timedelta(minutes=n % 50_000)
    customer = n % CUSTOMERS
    return [
        f"B-{n}",
        f"BI-{n % AGENTS}",
        f"BC-{customer}",
        f"bench-customer-{customer}@example.com",
        ("email", "chat", "phone")[n % 3],
        f"Question {n}",
        opened.isoformat(sep=" ", timespec="minutes"),
        (opened + dt.timedelta(minutes=7)).isoformat(sep=" ", timespec="minutes"),
        (opened + dt.timedelta(minutes=40)).isoformat(sep=" ", timespec="minutes"),
        "yes" if n % 4 else "no",
    ]


def _csv(path: Path, rows: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        writer.writerows(_row(n) for n in range(rows))
    return path


def _staff():
    from django.contrib.auth import get_user_model

    from scorecards.models import Scorecard
    from staff.choices import Role
    from staff.models import Employee, Team, TeamMembership

    users = get_user_model().objects

    team = Team.objects.create(
        name="Bench import", slug="bench-import", scorecard=Scorecard.objects.first()
    )
    admin = Employee.objects.create(
        user=users.create(username="bench-import-admin"), role=Role.ADMIN, hire_date=OPENED.date()
    )
    for n in range(AGENTS):
        employee = Employee.objects.create(
            user=users.create(username=f"bench-import-{n}"),
            role=Role.AGENT,
            hire_date=dt.date(2025, 1, 1),
            external_id=f"BI-{n}",
        )
        TeamMembership.objects.create(employee=employee, team=team, starts_on=dt.date(2025, 1, 1))
    return admin


def _timed(work) -> tuple[float, object]:
    gc.collect()
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def _traced(work) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        work()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - before


def _import(path: Path, admin) -> dict:
    """Upload, check and import the file in a savepoint rolled back after; return the seconds."""
    from imports.choices import ImportKind, ImportStatus
    from imports.services import import_check, import_columns_set, import_job_create, import_write

    figures = {}
    try:
        with transaction.atomic():
            with path.open("rb") as binary:
                job = import_job_create(
                    kind=ImportKind.INTERACTIONS,
                    source=SOURCE,
                    upload=File(binary, name=path.name),
                    created_by=admin,
                )
            import_columns_set(job=job, columns=COLUMNS)
            figures["check"], job = _timed(lambda: import_check(job_id=job.pk))
            assert job.status == ImportStatus.CHECKED, list(job.row_errors.all()[:5])
            job.status = ImportStatus.IMPORTING
            job.save(update_fields=["status"])
            figures["import"], job = _timed(lambda: import_write(job_id=job.pk))
            assert job.status == ImportStatus.DONE
            raise _Rollback
    except _Rollback:
        pass
    return figures


def _bulk_create(rows: int) -> float:
    """The baseline: the same interactions as model objects, bulk created in batches."""
    from customers.models import Customer, Interaction
    from imports.fields import moment
    from staff.models import Employee

    seconds = 0.0
    try:
        with transaction.atomic():
            customers = Customer.objects.bulk_create(
                Customer(
                    name=f"c{c}", email=f"bench-customer-{c}@example.com", external_id=f"BC-{c}"
                )
                for c in range(CUSTOMERS)
            )
            agents = dict(
                Employee.objects.filter(external_id__startswith="BI-").values_list(
                    "external_id", "pk"
                )
            )
            objects = []
            for n in range(rows):
                cells = _row(n)
                objects.append(
                    Interaction(
                        employee_id=agents[cells[1]],
                        customer_id=customers[n % CUSTOMERS].pk,
                        channel=cells[4],
                        subject=cells[5],
                        opened_at=moment(cells[6]),
                        first_response_at=moment(cells[7]),
                        resolved_at=moment(cells[8]),
                        is_first_contact_resolution=cells[9] == "yes",
                        source=SOURCE,
                        external_id=cells[0],
                    )
                )
            seconds, _ = _timed(lambda: Interaction.objects.bulk_create(objects, batch_size=1000))
            raise _Rollback
    except _Rollback:
        pass
    return seconds


def measure() -> dict:
    call_command("migrate", verbosity=0)
    figures: dict = {}
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        files = {rows: _csv(Path(media) / f"bench-{rows}.csv", rows) for rows in SIZES}
        try:
            with transaction.atomic():
                admin = _staff()
                _import(files[SIZES[0]], admin)  # warm-up
                for rows in SIZES:
                    runs = [_import(files[rows], admin) for _ in range(ROUNDS)]
                    figures[rows] = {
                        "check": statistics.median(run["check"] for run in runs),
                        "import": statistics.median(run["import"] for run in runs),
                        "baseline": statistics.median(_bulk_create(rows) for _ in range(ROUNDS)),
                        "peak": _traced(lambda rows=rows: _import(files[rows], admin)),
                    }
                raise _Rollback
        except _Rollback:
            pass
    figures["settings"] = settings.DATABASES["default"]["NAME"]
    return figures


def _runs() -> str:
    return "one run" if ROUNDS == 1 else f"the median of {ROUNDS} runs"


def _report(figures: dict) -> str:
    small, large = SIZES
    rows = []
    for size in SIZES:
        f = figures[size]
        rows.append(
            {
                "rows": f"{size:,}",
                "check s": f"{f['check']:.2f}",
                "import s": f"{f['import']:.2f}",
                "bare bulk_create s": f"{f['baseline']:.2f}",
                "import ÷ bulk_create": f"{f['import'] / f['baseline']:.2f}",
                "(check + import) ÷ bulk_create": (
                    f"{(f['check'] + f['import']) / f['baseline']:.2f}"
                ),
                "peak MiB (check + import)": f"{f['peak'] / 2**20:.1f}",
            }
        )
    ratio = figures[large]["import"] / figures[large]["baseline"]
    memory = figures[large]["peak"] / figures[small]["peak"]
    time_verdict = "**met**" if ratio <= GOAL_TIME else "**not met**"
    memory_verdict = "**met**" if memory <= GOAL_MEMORY else "**not met**"
    return f"""## File import: 100,000-row CSV

Measured {today()} on {machine()}: a CSV of interactions of {AGENTS} agents and {CUSTOMERS:,}
customers (created by the import), uploaded, checked (`import_check`) and imported
(`import_write`) in process as the Celery tasks run them, {_runs()} after a warm-up, each
rolled back after. Baseline: a bare `Interaction.objects.bulk_create` of the same
rows as model objects (batches of 1,000; no parsing, validation, customer look-up or dirty
days). Peak: Python's allocations (tracemalloc) during one upload, check and import.
Regenerate with `python -m bench imports`.

{table(rows)}
Goal: the import at most {GOAL_TIME}x the bare bulk_create at {large:,} rows: {time_verdict}
({ratio:.2f}x). Goal: memory flat, the peak at {large:,} rows within {GOAL_MEMORY}x of the peak at
{small:,}: {memory_verdict} ({memory:.2f}x). Both passes stream the file in batches of 1,000 rows
(CSV line by line, .xlsx through openpyxl's read-only mode); what grows with the file is the
check's table of the ids seen, to name a repeated id by its first row (`imports.rows.FirstRows`,
18 to 24 bytes a row); the import's reading keeps none, the file having passed the check.
"""


def run(args=None, *, write: bool = True) -> dict:
    figures = measure()
    markdown = _report(figures)
    print(markdown)
    if write and not getattr(args, "no_write", False):
        write_section("imports", markdown)
    return figures
