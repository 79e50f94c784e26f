"""The import services: check (nothing written), import whole or not at all, re-import."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from customers.models import Customer, Interaction
from feedback.models import SurveyResponse
from imports.choices import ImportKind, ImportStatus
from imports.models import ColumnMapping, ImportRowError
from imports.services import import_check, import_columns_set, import_job_create, import_write
from scorecards.models import DirtyDay
from tests.factories import EmployeeFactory, InteractionFactory
from tests.imports.conftest import (
    INTERACTION_COLUMNS,
    csv_upload,
    interaction_row,
    xlsx_upload,
)

pytestmark = pytest.mark.django_db


def _run(upload, *, by, kind=ImportKind.INTERACTIONS, source="helpdesk", columns=None):
    job = import_job_create(kind=kind, source=source, upload=upload, created_by=by)
    import_columns_set(job=job, columns=columns or INTERACTION_COLUMNS)
    job = import_check(job_id=job.pk)
    if job.status == ImportStatus.CHECKED:
        job.status = ImportStatus.IMPORTING
        job.save()
        job = import_write(job_id=job.pk)
    return job


def test_csv_imports_interactions_and_customers(admin_employee, helpdesk_agent):
    rows = [interaction_row(n, "hd-7") for n in range(1, 6)]
    job = _run(csv_upload(rows), by=admin_employee)
    assert job.status == ImportStatus.DONE
    assert (job.total_rows, job.created_count, job.updated_count) == (5, 5, 0)
    stored = Interaction.objects.filter(source="helpdesk").order_by("external_id")
    assert [i.external_id for i in stored] == [f"T-{n}" for n in range(1, 6)]
    first = stored[0]
    assert first.employee == helpdesk_agent
    assert first.is_first_contact_resolution is True
    assert first.first_response_at - first.opened_at == dt.timedelta(minutes=20)
    assert first.customer.external_id == "C-1"
    assert first.customer.email == "customer1@example.com"
    assert Customer.objects.count() == 5
    assert DirtyDay.objects.filter(employee=helpdesk_agent).exists()


def test_a_bad_row_writes_nothing_and_every_bad_row_is_named(admin_employee, helpdesk_agent):
    rows = [interaction_row(n, "hd-7") for n in range(1, 8)]
    rows[1] = interaction_row(2, "nobody@example.com")
    rows[3] = interaction_row(4, "hd-7", Channel="pigeon", Opened="yesterday-ish")
    rows[5] = interaction_row(6, "hd-7", Answered="2026-11-02 08:00")
    rows[6] = interaction_row(1, "hd-7")  # the id of row 2 again
    job = _run(csv_upload(rows), by=admin_employee)
    assert job.status == ImportStatus.INVALID
    assert job.bad_rows == 4
    found = {(e.row, e.column) for e in ImportRowError.objects.filter(job=job)}
    assert found == {
        (3, "Agent"),
        (5, "Channel"),
        (5, "Opened"),
        (7, "Answered"),
        (8, "Ticket"),
    }
    repeated = ImportRowError.objects.get(job=job, row=8)
    assert "row 2" in repeated.message
    assert not Interaction.objects.exists()
    assert not Customer.objects.exists()


def test_reimport_updates_without_duplicates(admin_employee, helpdesk_agent):
    _run(csv_upload([interaction_row(n, "hd-7") for n in range(1, 4)]), by=admin_employee)
    again = [interaction_row(n, "hd-7", Subject=f"Changed {n}") for n in range(1, 5)]
    job = _run(csv_upload(again), by=admin_employee)
    assert (job.created_count, job.updated_count) == (1, 3)
    assert Interaction.objects.count() == 4
    assert set(Interaction.objects.values_list("subject", flat=True)) == {
        f"Changed {n}" for n in range(1, 5)
    }
    assert Customer.objects.count() == 4


def test_xlsx_with_excel_dates_and_numbers(admin_employee, helpdesk_agent):
    opened = dt.datetime(2026, 11, 3, 10, 0)
    rows = [
        interaction_row(
            n,
            helpdesk_agent.user.email.upper(),
            Ticket=1000 + n,
            Opened=opened,
            Answered=opened + dt.timedelta(minutes=5),
            Solved=None,
            FCR=0,
        )
        for n in range(1, 4)
    ]
    job = _run(xlsx_upload(rows), by=admin_employee)
    assert job.status == ImportStatus.DONE, list(job.row_errors.values("row", "message"))
    stored = Interaction.objects.get(external_id="1001")
    assert stored.employee == helpdesk_agent
    assert stored.resolved_at is None
    assert stored.opened_at.hour == 10 or stored.opened_at.utcoffset() is not None


def test_semicolon_csv_and_remembered_columns(admin_employee, helpdesk_agent):
    _run(csv_upload([interaction_row(1, "hd-7")], delimiter=";"), by=admin_employee)
    assert ColumnMapping.objects.get(source="helpdesk").columns == INTERACTION_COLUMNS
    job = import_job_create(
        kind=ImportKind.INTERACTIONS,
        source="helpdesk",
        upload=csv_upload([interaction_row(2, "hd-7")]),
        created_by=admin_employee,
    )
    assert job.columns == INTERACTION_COLUMNS


def test_manager_imports_only_their_teams_agents(manager, helpdesk_agent):
    outsider = EmployeeFactory(external_id="hd-9")
    rows = [interaction_row(1, "hd-7"), interaction_row(2, outsider.external_id)]
    job = _run(csv_upload(rows), by=manager)
    assert job.status == ImportStatus.INVALID
    assert list(job.row_errors.values_list("row", "column")) == [(3, "Agent")]


def test_unreadable_files_are_refused_at_the_file_field(admin_employee):
    with pytest.raises(ValidationError) as raised:
        import_job_create(
            kind=ImportKind.INTERACTIONS,
            source="x",
            upload=csv_upload([], name="book.xlsx"),
            created_by=admin_employee,
        )
    assert "file" in raised.value.message_dict
    with pytest.raises(ValidationError):
        import_job_create(
            kind=ImportKind.INTERACTIONS,
            source="x",
            upload=csv_upload([], headers=["a", "a"]),
            created_by=admin_employee,
        )


def test_missing_required_column_is_named(admin_employee):
    job = import_job_create(
        kind=ImportKind.INTERACTIONS,
        source="x",
        upload=csv_upload([interaction_row(1, "a")]),
        created_by=admin_employee,
    )
    columns = dict(INTERACTION_COLUMNS, subject="")
    with pytest.raises(ValidationError) as raised:
        import_columns_set(job=job, columns=columns)
    assert set(raised.value.message_dict) == {"subject"}


SURVEY_HEADERS = ["Answer", "Ticket", "Rating", "NPS", "Comment", "When"]
SURVEY_COLUMNS = {
    "external_id": "Answer",
    "interaction_external_id": "Ticket",
    "csat": "Rating",
    "nps": "NPS",
    "comment": "Comment",
    "submitted_at": "When",
}


def test_survey_answers_import_and_reimport(admin_employee, helpdesk_agent):
    interaction = InteractionFactory(
        employee=helpdesk_agent,
        source="helpdesk",
        external_id="T-1",
        opened_at=dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC),
    )
    rows = [
        ["A-1", "T-1", "5", "9", "Great", "2026-11-02 12:00"],
        ["A-2", "T-1", "2", "", "", "2026-11-03 12:00"],
    ]
    upload = csv_upload(rows, headers=SURVEY_HEADERS, name="answers.csv")
    job = _run(upload, by=admin_employee, kind=ImportKind.SURVEY_ANSWERS, columns=SURVEY_COLUMNS)
    assert job.status == ImportStatus.DONE
    assert SurveyResponse.objects.filter(interaction=interaction).count() == 2
    rows[1][2] = "3"
    upload = csv_upload(rows, headers=SURVEY_HEADERS, name="answers.csv")
    job = _run(upload, by=admin_employee, kind=ImportKind.SURVEY_ANSWERS, columns=SURVEY_COLUMNS)
    assert (job.created_count, job.updated_count) == (0, 2)
    assert SurveyResponse.objects.get(external_id="A-2").csat == 3
    assert SurveyResponse.objects.get(external_id="A-1").nps == 9


def test_survey_answers_bad_rows(admin_employee, helpdesk_agent):
    InteractionFactory(
        employee=helpdesk_agent,
        source="helpdesk",
        external_id="T-1",
        opened_at=dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC),
    )
    rows = [
        ["A-1", "T-404", "5", "", "", "2026-11-02 12:00"],
        ["A-2", "T-1", "7", "11", "", "2026-11-02 12:00"],
        ["A-3", "T-1", "4", "", "", "2026-11-01 12:00"],
    ]
    upload = csv_upload(rows, headers=SURVEY_HEADERS, name="answers.csv")
    job = _run(upload, by=admin_employee, kind=ImportKind.SURVEY_ANSWERS, columns=SURVEY_COLUMNS)
    assert job.status == ImportStatus.INVALID
    assert set(job.row_errors.values_list("row", "column")) == {
        (2, "Ticket"),
        (3, "Rating"),
        (3, "NPS"),
        (4, "When"),
    }
    assert not SurveyResponse.objects.exists()


def test_rows_refused_at_import_write_nothing_and_are_listed(admin_employee, helpdesk_agent):
    # An erased customer cannot be logged with: only the batch service knows, at the import.
    from django.utils import timezone

    from tests.factories import CustomerFactory

    CustomerFactory(external_id="C-2", erased_at=timezone.now())
    rows = [interaction_row(n, "hd-7") for n in range(1, 4)]
    job = _run(csv_upload(rows), by=admin_employee)
    assert job.status == ImportStatus.INVALID
    assert list(job.row_errors.values_list("row", "column")) == [(3, "Customer id")]
    assert not Interaction.objects.exists()
    assert Customer.objects.count() == 1


def test_a_task_that_fails_marks_its_import_failed(admin_employee, helpdesk_agent):
    from imports.services import import_failed

    job = import_job_create(
        kind=ImportKind.INTERACTIONS,
        source="helpdesk",
        upload=csv_upload([interaction_row(1, "hd-7")]),
        created_by=admin_employee,
    )
    import_columns_set(job=job, columns=INTERACTION_COLUMNS)
    import_failed(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.failure
    # The columns may be sent again, which checks the file anew.
    import_columns_set(job=job, columns=INTERACTION_COLUMNS)
    assert import_check(job_id=job.pk).status == ImportStatus.CHECKED
