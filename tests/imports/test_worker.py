"""A 100,000-row file through the Celery path: a real worker checks it, then imports it."""

import csv

import pytest
from django.core.files import File

from crs_site.celery import app
from customers.models import Interaction
from imports.choices import ImportKind, ImportStatus
from imports.models import ImportJob
from imports.services import import_columns_set, import_job_create, import_start
from tests.celery_worker import celery_worker, queue_purge, unique_queue, wait_for
from tests.imports.conftest import INTERACTION_COLUMNS, INTERACTION_HEADERS, interaction_row

ROWS = 100_000


@pytest.fixture
def queue(monkeypatch):
    name = unique_queue()
    queue_purge(name)
    # What the services publish goes to this test's worker. (Not through task_routes: Celery
    # reads the routes once per process, so a suite that published before would ignore them.)
    monkeypatch.setitem(app.conf, "task_default_queue", name)
    yield name
    queue_purge(name)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_100000_row_file_is_checked_and_imported_by_a_worker(
    queue, admin_employee, helpdesk_agent, tmp_path, settings, monkeypatch
):
    media = tmp_path / "worker-media"
    settings.MEDIA_ROOT = str(media)
    monkeypatch.setenv("MEDIA_ROOT", str(media))
    path = tmp_path / "big.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(INTERACTION_HEADERS)
        for number in range(1, ROWS + 1):
            writer.writerow(interaction_row(number, "hd-7"))
    with path.open("rb") as binary:
        job = import_job_create(
            kind=ImportKind.INTERACTIONS,
            source="helpdesk",
            upload=File(binary, name="big.csv"),
            created_by=admin_employee,
        )

    def state():
        return ImportJob.objects.get(pk=job.pk)

    with celery_worker(queue=queue) as worker:
        import_columns_set(job=job, columns=INTERACTION_COLUMNS)
        wait_for(
            lambda: state().status != ImportStatus.CHECKING,
            what="the check",
            worker=worker,
            timeout=300,
        )
        checked = state()
        assert checked.status == ImportStatus.CHECKED, checked.failure
        assert checked.total_rows == ROWS
        assert not Interaction.objects.exists()

        import_start(job=checked)
        seen_partway = []

        def finished() -> bool:
            current = state()
            if current.status == ImportStatus.IMPORTING and 0 < current.written_rows < ROWS:
                seen_partway.append(current.written_rows)
            return current.status != ImportStatus.IMPORTING

        wait_for(finished, what="the import", worker=worker, timeout=600)

    done = state()
    assert done.status == ImportStatus.DONE, done.failure
    assert (done.written_rows, done.created_count, done.updated_count) == (ROWS, ROWS, 0)
    assert Interaction.objects.filter(source="helpdesk").count() == ROWS
    # The progress was visible while the import's single transaction was still open.
    assert seen_partway
    assert seen_partway == sorted(seen_partway)
