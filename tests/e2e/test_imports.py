"""A manager imports a CSV file in the browser: the check lists the bad row with its reason and
imports nothing; the fixed file is checked, imported, and the progress bar follows it to the end.
axe-core finds nothing serious at a laptop's and a phone's width.

The check and the import are Celery tasks; here the test runs their services where the worker
would (as the other browser tests run the poller), and the page's script follows the status.
"""

import csv
import io

import pytest
from playwright.sync_api import expect

from customers.models import Interaction
from imports import services
from imports.models import ImportJob
from staff.choices import Role
from tests.e2e.sweep import DESKTOP, PHONE, page_measure
from tests.factories import EmployeeFactory, TeamMembershipFactory
from tests.imports.conftest import INTERACTION_COLUMNS, INTERACTION_HEADERS, interaction_row

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe-core is added to the page as an inline script, which the site's CSP refuses.
    return {**browser_context_args, "bypass_csp": True, "reduced_motion": "reduce"}


@pytest.fixture
def queued(settings, tmp_path, monkeypatch):
    """The tasks the pages queue, in order, instead of a broker (the test plays the worker)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    calls = []
    monkeypatch.setattr(services, "enqueue_on_commit", lambda task, *args: calls.append(task.name))
    return calls


def _csv(rows) -> dict:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(INTERACTION_HEADERS)
    writer.writerows(rows)
    return {"name": "tickets.csv", "mimeType": "text/csv", "buffer": text.getvalue().encode()}


def _accessible(page, where: str) -> None:
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        report = page_measure(page, f"{where} at {size['width']} px")
        assert report.problems() == []
    page.set_viewport_size(DESKTOP)


def _upload(page, live_server, rows) -> ImportJob:
    page.goto(f"{live_server.url}/imports/")
    upload = page.get_by_test_id("import-upload")
    upload.get_by_label("What the file holds").select_option("interactions")
    upload.get_by_label("Source").fill("helpdesk")
    upload.locator("input[type=file]").set_input_files(_csv(rows))
    upload.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("heading", name="tickets.csv")).to_be_visible()
    return ImportJob.objects.order_by("-pk").first()


def _check(page, job: ImportJob) -> None:
    """Press the check and play the worker; the page follows the status and reloads."""
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_test_id("import-progress")).to_be_visible()
    services.import_check(job_id=job.pk)
    expect(page.get_by_test_id("import-preview")).to_be_visible()


def test_a_manager_checks_fixes_and_imports_a_file(page, live_server, sign_in, queued, team):
    manager = EmployeeFactory(role=Role.MANAGER)
    team.managers.add(manager)
    agent = EmployeeFactory(role=Role.AGENT, external_id="hd-7")
    TeamMembershipFactory(employee=agent, team=team)
    page.set_viewport_size(DESKTOP)
    sign_in(manager.user.username, "pass-word-123")
    page.goto(f"{live_server.url}/imports/")
    _accessible(page, "/imports/")

    # A file whose second row names an agent nobody is.
    bad = [interaction_row(1, "hd-7"), interaction_row(2, "ghost"), interaction_row(3, "hd-7")]
    job = _upload(page, live_server, bad)
    columns = page.get_by_test_id("import-columns")
    for target, header in INTERACTION_COLUMNS.items():
        columns.locator(f"select[name={target}]").select_option(header)
    _check(page, job)
    assert queued == ["imports.tasks.import_check"]

    errors = page.get_by_test_id("import-errors")
    expect(page.get_by_role("heading", name="1 bad row")).to_be_visible()
    bad_row = errors.get_by_role("row").filter(has=page.get_by_role("rowheader", name="3"))
    expect(bad_row).to_contain_text("No employee has this external id or e-mail.")
    expect(errors.get_by_role("rowheader")).to_have_count(1)
    expect(page.get_by_test_id("import-preview").get_by_text("T-1", exact=True)).to_be_visible()
    expect(page.get_by_test_id("import-run")).to_have_count(0)
    assert not Interaction.objects.exists()
    _accessible(page, "an import with a bad row")

    # The fixed file: the columns picked for this source are offered again.
    fixed = [interaction_row(1, "hd-7"), interaction_row(2, "hd-7"), interaction_row(3, "hd-7")]
    job = _upload(page, live_server, fixed)
    _check(page, job)
    expect(page.get_by_test_id("import-errors")).to_have_count(0)
    page.get_by_test_id("import-run").click()
    expect(page.get_by_role("heading", name="Importing")).to_be_visible()
    expect(page.get_by_test_id("import-progress")).to_be_visible()
    assert queued[-1] == "imports.tasks.import_write"
    services.import_write(job_id=job.pk)

    expect(page.get_by_test_id("import-result")).to_contain_text("3 rows imported")
    expect(page.get_by_test_id("import-status")).to_have_text("Imported")
    assert set(Interaction.objects.values_list("external_id", flat=True)) == {"T-1", "T-2", "T-3"}
    _accessible(page, "a finished import")
