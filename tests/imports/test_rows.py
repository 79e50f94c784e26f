"""Reading a file's rows: repeated ids named by their first row in a few bytes a row, and the
import's second reading leaving the rules to the batch service."""

import datetime as dt
import tracemalloc

import pytest

from customers.models import Interaction
from imports.choices import ImportKind, ImportStatus
from imports.models import ImportRowError
from imports.rows import FirstRows
from imports.services import import_check, import_columns_set, import_job_create, import_write
from staff.models import TeamMembership
from tests.factories import InteractionFactory
from tests.imports.conftest import INTERACTION_COLUMNS, csv_upload, interaction_row

SURVEY_HEADERS = ["Answer", "Ticket", "Rating", "When"]
SURVEY_COLUMNS = {
    "external_id": "Answer",
    "interaction_external_id": "Ticket",
    "csat": "Rating",
    "submitted_at": "When",
}


def test_first_rows_names_the_first_row_of_each_key():
    seen = FirstRows()
    for row in range(2, 50_002):
        assert seen.first(f"T-{row}", row) == row
    assert seen.first("T-2", 50_002) == 2
    assert seen.first("T-40000", 50_003) == 40_000
    assert seen.first("t-2", 50_004) == 50_004  # ids are case-sensitive
    assert seen.first("", 50_005) == 50_005
    assert seen.first("", 50_006) == 50_005
    assert len(seen) == 50_002


def test_first_rows_stays_a_few_bytes_a_row():
    keys = [f"TICKET-{n:08d}" for n in range(100_000)]
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        seen = FirstRows()
        for row, key in enumerate(keys, start=2):
            seen.first(key, row)
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # An 8-byte digest and a 4-byte row a key, and a table of 4-byte slots at most 2/3 full;
    # a dict of digests took over 100 bytes a row.
    assert seen.nbytes / len(seen) <= 24
    assert (held - before) / len(keys) <= 26
    # Growing the table never holds much more than the table itself.
    assert (peak - before) / len(keys) <= 32


@pytest.mark.django_db
def test_a_repeat_deep_in_a_big_file_names_its_first_row(admin_employee, helpdesk_agent):
    InteractionFactory(
        employee=helpdesk_agent,
        source="helpdesk",
        external_id="T-1",
        opened_at=dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC),
    )
    rows = [[f"A-{n}", "T-1", "4", "2026-11-02 12:00"] for n in range(90_000)]
    # File row 90,001 (the header is row 1) repeats the answer id of row 12,346.
    rows[89_999][0] = "A-12344"
    upload = csv_upload(rows, headers=SURVEY_HEADERS, name="answers.csv")
    job = import_job_create(
        kind=ImportKind.SURVEY_ANSWERS, source="helpdesk", upload=upload, created_by=admin_employee
    )
    import_columns_set(job=job, columns=SURVEY_COLUMNS)
    job = import_check(job_id=job.pk)
    assert (job.status, job.total_rows, job.bad_rows) == (ImportStatus.INVALID, 90_000, 1)
    repeated = ImportRowError.objects.get(job=job)
    assert (repeated.row, repeated.column) == (90_001, "Answer")
    assert repeated.message == "This id is already on row 12346 of the file."


@pytest.mark.django_db
def test_a_row_gone_bad_after_the_check_is_named_by_the_batch_service(manager, helpdesk_agent):
    # The check passed; then the agent left the manager's team. The import's own reading checks
    # nothing again: the batch service refuses the row, named at the file's agent column.
    rows = [interaction_row(1, "hd-7"), interaction_row(2, "hd-7")]
    job = import_job_create(
        kind=ImportKind.INTERACTIONS,
        source="helpdesk",
        upload=csv_upload(rows),
        created_by=manager,
    )
    import_columns_set(job=job, columns=INTERACTION_COLUMNS)
    job = import_check(job_id=job.pk)
    assert job.status == ImportStatus.CHECKED
    TeamMembership.objects.filter(employee=helpdesk_agent).delete()
    job.status = ImportStatus.IMPORTING
    job.save()
    job = import_write(job_id=job.pk)
    assert job.status == ImportStatus.INVALID
    assert set(job.row_errors.values_list("row", "column", "message")) == {
        (2, "Agent", "Unknown employee."),
        (3, "Agent", "Unknown employee."),
    }
    assert not Interaction.objects.exists()
