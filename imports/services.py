"""Writes of a file import: the upload, the columns, the check and the import itself.

A file goes in two passes over its rows, each streaming batches of BATCH_SIZE: the check
(`import_check`) reads and validates every row and records every problem, writing nothing to
the data; the import (`import_write`) reads the file again and writes the rows through the
batch services of customers and feedback in ONE transaction, so a file is imported whole or
not at all. The import only converts the cells: the batch services check each row (once) and
name a row that turned bad since the check. Both run in Celery tasks (imports/tasks.py) and
keep their progress on the job.
"""

import datetime as dt
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crs_site.celery import enqueue_on_commit
from customers.batch import employees_pushed_for, interactions_push
from customers.models import Interaction
from customers.services import InteractionRowsInvalid
from feedback.services import survey_responses_upsert
from imports import tasks
from imports.choices import ImportKind, ImportStatus
from imports.fields import columns_guess, targets_for
from imports.models import ColumnMapping, ImportJob, ImportRowError
from imports.readers import TableUnreadable, table_open
from imports.rows import Problem, RowReader
from staff.models import Employee
from staff.permissions import Principal, principal_for_user

logger = logging.getLogger(__name__)

BATCH_SIZE = 1_000
# The states in which the columns may be (re)picked, which starts a new check.
EDITABLE_STATUSES = (
    ImportStatus.UPLOADED,
    ImportStatus.CHECKED,
    ImportStatus.INVALID,
    ImportStatus.FAILED,
)
PREVIEW_ROWS = 10


def importer_principal(*, employee: Employee | None) -> Principal | None:
    """Who writes the file's rows: the employee who uploaded it, with their role's reach."""
    return None if employee is None else principal_for_user(user=employee.user)


def importer_employee_ids(*, principal: Principal | None) -> set[int]:
    """Whose interactions the importer may write: as the batch service will allow them."""
    if principal is None:
        return set()
    return set(employees_pushed_for(principal=principal).values_list("pk", flat=True))


def _remembered_columns(*, kind: str, source: str, headers: list[str]) -> dict[str, str]:
    mapping = ColumnMapping.objects.filter(kind=kind, source=source).first()
    if mapping is None:
        return columns_guess(kind=kind, headers=headers)
    return {target: header for target, header in mapping.columns.items() if header in headers}


@transaction.atomic
def import_job_create(
    *, kind: str, source: str, upload: UploadedFile, created_by: Employee | None
) -> ImportJob:
    """Store the uploaded file and read its header; the columns are offered from last time."""
    try:
        with table_open(upload, name=upload.name) as table:
            headers = table.headers
    except TableUnreadable as exc:
        raise ValidationError({"file": str(exc)}) from exc
    job = ImportJob(
        kind=kind,
        source=source,
        file_name=upload.name[:255],
        headers=headers,
        created_by=created_by,
        columns=_remembered_columns(kind=kind, source=source, headers=headers),
    )
    upload.seek(0)
    job.file.save(upload.name, upload, save=False)
    job.save()
    return job


@transaction.atomic
def import_columns_set(*, job: ImportJob, columns: dict[str, str]) -> ImportJob:
    """Record the columns picked, remember them for the source, and start the check."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status not in EDITABLE_STATUSES:
        raise ValidationError(_("This file is being checked or imported; wait for it to finish."))
    errors = {}
    for target in targets_for(job.kind):
        header = columns.get(target.name) or ""
        if header and header not in job.headers:
            errors[target.name] = [_("The file has no such column.")]
        elif target.required and not header:
            errors[target.name] = [_("Pick the column that holds this field.")]
    if errors:
        raise ValidationError(errors)
    job.columns = {name: header for name, header in columns.items() if header}
    job.status = ImportStatus.CHECKING
    job.total_rows = None
    job.checked_rows = job.written_rows = job.bad_rows = 0
    job.preview = []
    job.failure = ""
    job.finished_at = None
    job.save()
    job.row_errors.all().delete()
    ColumnMapping.objects.update_or_create(
        kind=job.kind, source=job.source, defaults={"columns": job.columns}
    )
    enqueue_on_commit(tasks.import_check, job.pk)
    return job


@transaction.atomic
def import_start(*, job: ImportJob) -> ImportJob:
    """Queue the import of a file whose check found no bad row."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportStatus.CHECKED:
        raise ValidationError(_("Only a checked file without bad rows can be imported."))
    job.status = ImportStatus.IMPORTING
    job.written_rows = 0
    job.save(update_fields=["status", "written_rows"])
    enqueue_on_commit(tasks.import_write, job.pk)
    return job


def _chunks(rows: Iterator, size: int) -> Iterator[list]:
    while chunk := list(islice(rows, size)):
        yield chunk


def _reader(job: ImportJob, now: dt.datetime, *, checked: bool = False) -> RowReader:
    return RowReader(
        kind=job.kind,
        source=job.source,
        headers=job.headers,
        columns=job.columns,
        employee_ids=importer_employee_ids(principal=importer_principal(employee=job.created_by)),
        now=now,
        checked=checked,
    )


@contextmanager
def _progress_saver(job_id: int) -> Iterator[Callable[..., None]]:
    """Give a `save(**fields)` of a job's progress that the status page sees at once, even
    inside the import's transaction: there one thread with a connection of its own, outside
    that transaction, saves each in turn while the import goes on (not a connection a batch)."""
    if not connection.in_atomic_block:
        yield lambda **fields: ImportJob.objects.filter(pk=job_id).update(**fields)
        return
    if connection.vendor != "postgresql":
        # SQLite (`make run`) has one writer at a time: the page shows "importing" until done.
        yield lambda **fields: None
        return
    updates: queue.SimpleQueue[dict[str, Any] | None] = queue.SimpleQueue()

    def save_each() -> None:
        try:
            while (fields := updates.get()) is not None:
                try:
                    ImportJob.objects.filter(pk=job_id).update(**fields)
                except DatabaseError:
                    logger.warning("Import %s: progress not saved", job_id, exc_info=True)
        finally:
            connections.close_all()

    thread = threading.Thread(target=save_each, name=f"import-{job_id}-progress", daemon=True)
    thread.start()
    try:
        yield lambda **fields: updates.put(fields)
    finally:
        updates.put(None)
        thread.join()


def _problems_save(job: ImportJob, problems: list[Problem]) -> int:
    ImportRowError.objects.bulk_create(
        ImportRowError(job=job, row=p.row, column=p.column, message=p.message) for p in problems
    )
    return len({p.row for p in problems})


def _preview(job: ImportJob, chunk: list[tuple[int, list[Any]]]) -> list[dict]:
    shown = [h for h in job.headers if h in set(job.columns.values())]
    index = {header: job.headers.index(header) for header in shown}
    return [
        {
            "row": number,
            "cells": ["" if cells[index[h]] is None else str(cells[index[h]]) for h in shown],
        }
        for number, cells in chunk[:PREVIEW_ROWS]
    ]


def import_check(*, job_id: int) -> ImportJob | None:
    """Read every row, record every problem with its row and column; write no data."""
    job = ImportJob.objects.filter(pk=job_id, status=ImportStatus.CHECKING).first()
    if job is None:
        return None
    job.row_errors.all().delete()
    reader = _reader(job, timezone.now())
    checked = bad = 0
    try:
        with (
            _progress_saver(job.pk) as progress_save,
            job.file.open("rb") as binary,
            table_open(binary, name=job.file_name) as table,
        ):
            for chunk in _chunks(table.rows, BATCH_SIZE):
                if not checked:
                    job.preview = _preview(job, chunk)
                bad += _problems_save(job, reader.read(chunk).problems)
                checked += len(chunk)
                progress_save(checked_rows=checked, bad_rows=bad)
    except TableUnreadable as exc:
        return _failed(job, str(exc))
    job.total_rows = job.checked_rows = checked
    job.bad_rows = bad
    job.status = ImportStatus.INVALID if bad else ImportStatus.CHECKED
    if not checked:
        job.status = ImportStatus.INVALID
        job.failure = _("The file has no rows below its header.")
    job.save()
    return job


def import_failed(*, job_id: int) -> None:
    """Record that the job's task stopped on an unexpected error; the columns may be sent again."""
    job = ImportJob.objects.filter(
        pk=job_id, status__in=(ImportStatus.CHECKING, ImportStatus.IMPORTING)
    ).first()
    if job is not None:
        _failed(job, _("The work stopped on an unexpected error. Check the file again."))


def _failed(job: ImportJob, message: str) -> ImportJob:
    job.status = ImportStatus.FAILED
    job.failure = message
    job.finished_at = timezone.now()
    job.save()
    return job


class _RowsRefused(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems


def _write_batch(
    job: ImportJob, reader: RowReader, rows: list[dict], numbers: list[int]
) -> tuple[int, int]:
    if job.kind == ImportKind.SURVEY_ANSWERS:
        answers = survey_responses_upsert(rows=rows)
        if answers.errors:
            # What the check could not see; the import's transaction writes none of the file.
            raise _RowsRefused(
                [
                    Problem(numbers[index], reader.column(field), message)
                    for index, errors in answers.errors.items()
                    for field, messages in errors.items()
                    for message in messages
                ]
            )
        return answers.created, answers.updated
    updated = Interaction.objects.filter(
        source=job.source, external_id__in=[row["external_id"] for row in rows]
    ).count()
    try:
        interactions_push(
            principal=importer_principal(employee=job.created_by),
            rows=dict(enumerate(rows)),
        )
    except InteractionRowsInvalid as exc:
        # What the check could not see: a customer the importer may not log with, say.
        raise _RowsRefused(
            [
                Problem(numbers[index], reader.column(field or ""), message)
                for index, errors in exc.row_errors.items()
                for field, messages in errors.items()
                for message in messages
            ]
        ) from exc
    return len(rows) - updated, updated


def _write_all(job: ImportJob, reader: RowReader) -> tuple[int, int]:
    created = updated = written = 0
    with (
        _progress_saver(job.pk) as progress_save,
        job.file.open("rb") as binary,
        table_open(binary, name=job.file_name) as table,
    ):
        for chunk in _chunks(table.rows, BATCH_SIZE):
            batch = reader.read(chunk)
            if batch.problems:
                raise _RowsRefused(batch.problems)
            new, changed = _write_batch(job, reader, batch.rows, batch.numbers)
            created += new
            updated += changed
            written += len(chunk)
            progress_save(written_rows=written)
    return created, updated


def import_write(*, job_id: int) -> ImportJob | None:
    """Import a checked file in one transaction: every row, or (a row turned bad since) none."""
    job = ImportJob.objects.filter(pk=job_id, status=ImportStatus.IMPORTING).first()
    if job is None:
        return None
    # The file passed the check: the batch service's rules are the only ones run on each row.
    reader = _reader(job, timezone.now(), checked=True)
    try:
        with transaction.atomic():
            created, updated = _write_all(job, reader)
    except _RowsRefused as refused:
        # The data changed between the check and the import (an employee removed, say).
        job.row_errors.all().delete()
        job.bad_rows = _problems_save(job, refused.problems)
        job.status = ImportStatus.INVALID
        job.written_rows = 0
        job.save()
        return job
    except TableUnreadable as exc:
        return _failed(job, str(exc))
    job.created_count = created
    job.updated_count = updated
    job.written_rows = job.total_rows or 0
    job.status = ImportStatus.DONE
    job.finished_at = timezone.now()
    job.save()
    return job
