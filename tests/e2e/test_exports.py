"""A manager downloads a filtered list in the browser: the file has the filtered rows, the page
fits a phone with its download links."""

import csv
import datetime as dt
import io

import openpyxl
from django.utils import timezone

from staff.choices import Role
from tests.factories import (
    EmployeeFactory,
    InteractionFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

PASSWORD = "pass-word-123"


def _people():
    lead = EmployeeFactory(
        user=UserFactory(username="lead", first_name="Lead", last_name="Liepa"), role=Role.MANAGER
    )
    overdue = timezone.localdate() - dt.timedelta(days=3)
    for slug, agent_name, subject in (
        ("support", "Agnese", "Refund request"),
        ("sales", "Pēteris", "Quote follow-up"),
    ):
        team = TeamFactory(slug=slug, name=slug.title())
        team.managers.add(lead)
        agent = EmployeeFactory(user=UserFactory(username=slug, first_name=agent_name))
        TeamMembershipFactory(employee=agent, team=team)
        InteractionFactory(employee=agent, subject=subject, follow_up_due=overdue)
    return lead


def test_team_follow_ups_download_keeps_the_team_filter(page, live_server, sign_in, screenshot):
    _people()
    sign_in("lead", PASSWORD)
    page.goto(f"{live_server.url}/follow-ups/team/")
    page.get_by_label("Team").select_option("support")
    page.get_by_role("button", name="Show").click()

    links = page.get_by_role("group", name="Download Overdue follow-ups")
    with page.expect_download() as csv_download:
        links.get_by_role("link", name="Download CSV").click()
    with open(csv_download.value.path(), encoding="utf-8-sig") as downloaded:
        rows = list(csv.reader(downloaded))
    assert [row[4] for row in rows[1:]] == ["Refund request"]
    assert csv_download.value.suggested_filename.startswith("overdue-follow-ups-")

    with page.expect_download() as xlsx_download:
        links.get_by_role("link", name="Excel").click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    with open(xlsx_download.value.path(), "rb") as downloaded:
        sheet = openpyxl.load_workbook(io.BytesIO(downloaded.read())).active
    due = sheet.cell(row=2, column=1).value
    assert isinstance(due, dt.datetime)

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot("exports-team-follow-ups-phone")
