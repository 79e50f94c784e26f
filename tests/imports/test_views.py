"""The import pages: upload, columns, check, import and status, as managers and admins see them."""

import pytest
from django.urls import reverse

from customers.models import Interaction
from imports.choices import ImportStatus
from imports.models import ImportJob
from imports.services import import_check, import_write
from tests.factories import EmployeeFactory
from tests.imports.conftest import INTERACTION_COLUMNS, csv_upload, interaction_row

pytestmark = pytest.mark.django_db


def _upload(client, rows, **data):
    return client.post(
        reverse("imports:list"),
        {"kind": "interactions", "source": "helpdesk", "file": csv_upload(rows), **data},
    )


def test_upload_columns_check_import(
    client, manager, helpdesk_agent, django_capture_on_commit_callbacks
):
    client.force_login(manager.user)
    response = _upload(client, [interaction_row(n, "hd-7") for n in range(1, 4)])
    job = ImportJob.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("imports:job", args=[job.pk]))
    assert page.status_code == 200
    assert b"Which column holds what" in page.content
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("imports:job", args=[job.pk]), INTERACTION_COLUMNS)
    assert response.status_code == 302
    assert len(callbacks) == 1  # the check is queued
    status = client.get(reverse("imports:status", args=[job.pk])).json()
    assert status["status"] == "checking"
    assert status["is_running"]
    import_check(job_id=job.pk)
    page = client.get(reverse("imports:job", args=[job.pk]))
    assert b'data-testid="import-preview"' in page.content
    assert b'data-testid="import-run"' in page.content
    assert not Interaction.objects.exists()
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("imports:run", args=[job.pk]))
    assert len(callbacks) == 1
    import_write(job_id=job.pk)
    status = client.get(reverse("imports:status", args=[job.pk])).json()
    assert status | {"status_label": ""} == status | {
        "status": "done",
        "status_label": "",
        "percent": 100,
        "created": 3,
        "updated": 0,
        "is_running": False,
    }
    assert Interaction.objects.count() == 3
    listing = client.get(reverse("imports:list"), {"q": "tickets"})
    assert b"tickets.csv" in listing.content


def test_bad_rows_listed_and_no_import_button(client, admin_employee, helpdesk_agent):
    client.force_login(admin_employee.user)
    rows = [interaction_row(1, "hd-7"), interaction_row(2, "ghost"), interaction_row(3, "ghost")]
    _upload(client, rows)
    job = ImportJob.objects.get()
    client.post(reverse("imports:job", args=[job.pk]), INTERACTION_COLUMNS)
    import_check(job_id=job.pk)
    page = client.get(reverse("imports:job", args=[job.pk]))
    assert b'data-testid="import-run"' not in page.content
    errors = page.content.decode().split('data-testid="import-errors"')[1]
    assert "No employee has this external id or e-mail." in errors
    assert errors.count('<th scope="row">3</th>') == 1
    assert errors.count('<th scope="row">4</th>') == 1
    response = client.post(reverse("imports:run", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.INVALID


def test_field_errors_at_the_fields(client, manager):
    client.force_login(manager.user)
    response = client.post(
        reverse("imports:list"),
        {"kind": "interactions", "source": "Bad Source!", "file": csv_upload([], name="x.pdf")},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"source", "file"}
    response = client.post(
        reverse("imports:list"),
        {"kind": "interactions", "source": "ok", "file": csv_upload([], headers=["", "a"])},
    )
    assert response.status_code == 400
    assert "file" in response.context["form"].errors
    _upload(client, [interaction_row(1, "x")])
    job = ImportJob.objects.get()
    response = client.post(
        reverse("imports:job", args=[job.pk]), dict(INTERACTION_COLUMNS, subject="", channel="nope")
    )
    assert response.status_code == 400
    assert set(response.context["columns_form"].errors) == {"subject", "channel"}


def test_agents_cannot_import_and_managers_see_only_their_imports(client, agent, manager):
    client.force_login(agent.user)
    assert client.get(reverse("imports:list")).status_code == 403
    other = EmployeeFactory(role="manager")
    client.force_login(other.user)
    _upload(client, [interaction_row(1, "x")])
    job = ImportJob.objects.get()
    client.force_login(manager.user)
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("imports:status", args=[job.pk])).status_code == 404
    page = client.get(reverse("imports:list"))
    assert b'data-testid="empty"' in page.content
