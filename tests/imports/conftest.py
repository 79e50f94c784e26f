import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from staff.choices import Role
from tests.factories import EmployeeFactory

INTERACTION_HEADERS = [
    "Ticket",
    "Agent",
    "Customer id",
    "Customer e-mail",
    "Customer",
    "Channel",
    "Subject",
    "Opened",
    "Answered",
    "Solved",
    "FCR",
]
INTERACTION_COLUMNS = {
    "external_id": "Ticket",
    "agent": "Agent",
    "customer_external_id": "Customer id",
    "customer_email": "Customer e-mail",
    "customer_name": "Customer",
    "channel": "Channel",
    "subject": "Subject",
    "opened_at": "Opened",
    "first_response_at": "Answered",
    "resolved_at": "Solved",
    "is_first_contact_resolution": "FCR",
}


def interaction_row(number: int, agent: str, **overrides) -> list:
    row = {
        "Ticket": f"T-{number}",
        "Agent": agent,
        "Customer id": f"C-{number % 50}",
        "Customer e-mail": f"customer{number % 50}@example.com",
        "Customer": f"Customer {number % 50}",
        "Channel": "email",
        "Subject": f"Question {number}",
        "Opened": "2026-11-02 09:00",
        "Answered": "2026-11-02 09:20",
        "Solved": "2026-11-02 10:00",
        "FCR": "yes",
    }
    row.update(overrides)
    return [row[h] for h in INTERACTION_HEADERS]


def csv_upload(rows: list[list], headers=INTERACTION_HEADERS, name="tickets.csv", delimiter=","):
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode("utf-8-sig"), "text/csv")


def xlsx_upload(rows: list[list], headers=INTERACTION_HEADERS, name="tickets.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    workbook.save(data)
    return SimpleUploadedFile(name, data.getvalue())


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def admin_employee(db):
    return EmployeeFactory(role=Role.ADMIN)


@pytest.fixture
def helpdesk_agent(agent):
    agent.external_id = "hd-7"
    agent.save()
    return agent
