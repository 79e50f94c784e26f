"""Every list page's CSV and Excel download, walked as one table.

EXPORTS names each list page with its download: who asks, which filters, the columns expected
(in English), the rows that must be there and those that must not (filtered out, or not the
user's to see), and the cell types Excel must get. Each page is checked in both formats: the
CSV starts with a BOM, the headings are translated (Russian), the .xlsx keeps numbers as numbers
and dates as dates, and the page itself offers both links. `test_exports_follow_the_sweep`
asks every download of every role what the page answers (tests/test_permission_sweep.py).
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from crs_site.lib import spreadsheet
from feedback.choices import ReviewReason, ReviewStatus
from feedback.qa_selectors import review_list
from imports.choices import ImportKind
from imports.models import ImportJob
from integrations.choices import EventStatus
from scorecards.choices import AlertKind
from staff.choices import Role
from tests.factories import (
    AlertFactory,
    ChangeEventFactory,
    CoachingActionFactory,
    CoachingSessionFactory,
    ConnectionFactory,
    CustomerFactory,
    EmployeeFactory,
    ExternalAgentFactory,
    GoalFactory,
    InboundEventFactory,
    InteractionFactory,
    PublishedQAReviewFactory,
    PublishedVersionFactory,
    QAReviewFactory,
    RuleAcknowledgementFactory,
    SurveyResponseFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)
from tests.test_permission_sweep import _expected, _kwargs, world  # noqa: F401

DATETIME = dt.datetime
DATE = dt.datetime  # openpyxl reads every date cell back as a datetime
NUMBER = (int, float)


@dataclass(frozen=True)
class Export:
    viewer: str
    headers: list[str]
    present: list[str]
    absent: list[str]
    params: dict = field(default_factory=dict)
    kwargs: str = ""
    # Heading -> the type openpyxl reads back from the first row.
    types: dict = field(default_factory=dict)


EXPORTS = {
    "qa:my_reviews": Export(
        viewer="lead",
        params={"status": ReviewStatus.PUBLISHED},
        headers=[
            "Interaction",
            "Opened",
            "Agent",
            "Reviewer",
            "Status",
            "Total (points)",
            "Published",
            "Read by the agent",
        ],
        present=["Refund request"],
        absent=["Router disputed", "Peer secret"],
        types={"Total (points)": NUMBER, "Opened": DATETIME, "Published": DATETIME},
    ),
    "qa:my_follow_ups": Export(
        viewer="subject",
        headers=[
            "Due",
            "Customer",
            "Phone",
            "Interaction",
            "Channel",
            "Opened",
            "Escalated",
        ],
        present=["Refund request"],
        absent=["Done already", "Peer secret"],
        types={"Due": DATE, "Opened": DATETIME, "Escalated": bool},
    ),
    "qa:team_follow_ups": Export(
        viewer="lead",
        params={"team": "team-a"},
        headers=[
            "Due",
            "Agent",
            "Customer",
            "Phone",
            "Interaction",
            "Channel",
            "Opened",
            "Escalated",
        ],
        present=["Refund request", "Agnese Kalniņa"],
        absent=["Escalated router", "Peer secret"],
        types={"Due": DATE},
    ),
    "scorecards:alert_list": Export(
        viewer="lead",
        params={"status": "open"},
        headers=[
            "Day",
            "Team",
            "Person",
            "What",
            "Total before (points)",
            "Total now (points)",
            "Acknowledged",
            "Acknowledged by",
        ],
        present=["Agnese Kalniņa"],
        absent=["Team A", "Pēteris Ozols"],
        types={"Day": DATE, "Total before (points)": float, "Total now (points)": float},
    ),
    "scorecards:onboarding": Export(
        viewer="lead",
        params={"show": "pending"},
        headers=[
            "Name",
            "New hire",
            "Hired",
            "Team",
            "Scorecard",
            "Rules version",
            "Acknowledged",
            "Last reminder",
        ],
        present=["Agnese Kalniņa"],
        absent=["Ilze Bērziņa", "Pēteris Ozols"],
        types={"Hired": DATE, "Rules version": int, "New hire": bool},
    ),
    "surveys:comments": Export(
        viewer="lead",
        params={"csat": "5"},
        headers=[
            "Answered",
            "Satisfaction (1–5)",
            "Would recommend (0–10)",
            "Comment",
            "Customer",
            "Interaction",
            "Channel",
            "Agent",
        ],
        present=["Great help, thank you"],
        absent=["Too slow", "Peer secret"],
        types={"Answered": DATETIME, "Satisfaction (1–5)": int, "Would recommend (0–10)": int},
    ),
    "coaching:session_list": Export(
        viewer="lead",
        params={"q": "Agnese"},
        headers=[
            "Held on",
            "Agent",
            "Coach",
            "Follow-up",
            "Open actions",
            "Acknowledged",
            "Notes",
        ],
        present=["Tone of voice"],
        absent=["Ilze's session", "Peer secret"],
        types={"Held on": DATE, "Open actions": int},
    ),
    "scorecards:change_list": Export(
        viewer="lead",
        params={"team": "team-a"},  # replaced by the team's id in the test
        headers=["Day", "Title", "Kind", "Team", "Recorded by", "Notes"],
        present=["New greeting script"],
        absent=["Peer secret"],
        types={"Day": DATE},
    ),
    "imports:list": Export(
        viewer="lead",
        params={"q": "tickets"},
        headers=[
            "File",
            "Kind",
            "Source",
            "Status",
            "Rows",
            "Rows imported",
            "Bad rows",
            "Uploaded",
            "Uploaded by",
            "Finished",
        ],
        present=["tickets.csv"],
        absent=["answers.csv", "peer-secret.csv"],
        types={"Rows": int, "Bad rows": int, "Uploaded": DATETIME},
    ),
    "integrations:connection_detail": Export(
        viewer="admin",
        kwargs="connection",
        params={"status": EventStatus.REFUSED},
        headers=["Received", "Event", "Conversation", "Status", "Note"],
        present=["conversation-refused"],
        absent=["conversation-accepted", "Peer secret"],
        types={"Received": DATETIME},
    ),
    "qa:queue": Export(
        viewer="lead",
        params={"q": "Draft one"},
        headers=[
            "Interaction",
            "Customer",
            "Channel",
            "Agent",
            "Resolved",
            "Why",
            "Draft total (points)",
        ],
        present=["Draft one"],
        absent=["Draft two", "Peer secret"],
        types={"Draft total (points)": NUMBER},
    ),
    "qa:calibration_list": Export(
        viewer="lead",
        headers=["Interaction", "Opened", "Agent", "Reviews (reviews)"],
        present=["Calibrated call"],
        absent=["Peer secret"],
        types={"Opened": DATETIME, "Reviews (reviews)": int},
    ),
    "qa:consistency": Export(
        viewer="lead",
        params={"team": "team-a", "days": "90"},
        headers=[
            "Team",
            "Reviewer",
            "Reviews (reviews)",
            "Mean total (points)",
            "Team mean (points)",
            "vs team (points)",
        ],
        present=["Lead Liepa"],
        absent=["Other Lead", "Team B"],
        types={"Reviews (reviews)": int, "Mean total (points)": NUMBER},
    ),
    "scorecards:team_list": Export(
        viewer="lead",
        params={"days": "7"},
        headers=[
            "Team",
            "Total (points)",
            "Band",
            "Scored days (days)",
            "First contact resolution (%)",
        ],
        present=["Team A"],
        absent=["Team B"],
        types={"Scored days (days)": int},
    ),
    "scorecards:team_compare": Export(
        viewer="lead",
        params={"days": "7"},
        headers=[
            "Team",
            "Total (points)",
            "Band",
            "Scored days (days)",
            "First contact resolution (%)",
        ],
        present=["Team A"],
        absent=["Team B"],
        types={"Scored days (days)": int},
    ),
    "integrations:agent_queue": Export(
        viewer="admin",
        headers=["Agent", "E-mail", "Helpdesk id", "Connection", "Held events", "Employee"],
        present=["Helpdesk Harry"],
        absent=["Mapped Mary"],
        types={"Held events": int},
    ),
    "integrations:connection_list": Export(
        viewer="admin",
        params={"q": "Support"},
        headers=[
            "Name",
            "Helpdesk",
            "Paused",
            "Last event",
            "Accepted",
            "Pending",
            "Held",
            "Refused",
        ],
        present=["Support desk"],
        absent=["Other desk"],
        types={"Last event": DATETIME, "Accepted": int, "Paused": bool},
    ),
    "scorecards:my_goals": Export(
        viewer="subject",
        params={"sort": "metric"},
        headers=[
            "Metric",
            "Target",
            "Value so far",
            "Unit",
            "Starts",
            "Ends",
            "Status",
            "Why",
        ],
        present=["Happier customers"],
        absent=["Peer secret"],
        types={"Target": NUMBER, "Starts": DATE, "Ends": DATE},
    ),
    "customers:interaction_list": Export(
        viewer="subject",
        params={"q": "Refund"},
        headers=["Opened", "Subject", "Customer", "Channel", "Resolved", "Escalated"],
        present=["Refund request"],
        absent=["Done already", "Peer secret"],
        types={"Opened": DATETIME, "Escalated": bool},
    ),
    "customers:customer_list": Export(
        viewer="subject",
        params={"q": "Jānis"},
        headers=[
            "Name",
            "Company",
            "E-mail",
            "Tier",
            "Value points",
            "Interactions",
            "Last contact",
        ],
        present=["Jānis Bērziņš"],
        absent=["Peer Customer"],
        types={"Value points": int, "Interactions": int, "Last contact": DATETIME},
    ),
}


@pytest.fixture
def people(db):
    """Team A (lead, Agnese, Ilze) and team B (its lead, Pēteris), with a record of every
    kind: those about Agnese match the filters of EXPORTS, others are filtered out, and
    Pēteris's are not the lead's to see ("Peer secret")."""
    version = PublishedVersionFactory()
    team_a = TeamFactory(slug="team-a", name="Team A", scorecard=version.scorecard)
    team_b = TeamFactory(slug="team-b", name="Team B", scorecard=version.scorecard)

    def employee(first, last, role=Role.AGENT, team=None):
        person = EmployeeFactory(
            user=UserFactory(username=first.lower(), first_name=first, last_name=last), role=role
        )
        if team is not None:
            TeamMembershipFactory(employee=person, team=team)
        return person

    lead = employee("Lead", "Liepa", Role.MANAGER)
    lead_b = employee("Other", "Lead", Role.MANAGER)
    team_a.managers.add(lead)
    team_b.managers.add(lead_b)
    subject = employee("Agnese", "Kalniņa", team=team_a)
    ilze = employee("Ilze", "Bērziņa", team=team_a)
    peer = employee("Pēteris", "Ozols", team=team_b)
    admin = employee("Anna", "Admin", Role.ADMIN)
    RuleAcknowledgementFactory(employee=ilze, version=version)
    RuleAcknowledgementFactory(employee=peer, version=version)

    today = timezone.localdate()
    customer = CustomerFactory(name="Jānis Bērziņš", value_points=40)
    refund = InteractionFactory(
        employee=subject,
        customer=customer,
        subject="Refund request",
        follow_up_due=today - dt.timedelta(days=2),
    )
    InteractionFactory(
        employee=subject,
        subject="Done already",
        follow_up_due=today,
        follow_up_done_at=timezone.now(),
    )
    router = InteractionFactory(employee=subject, subject="Escalated router", is_escalated=True)
    secret = InteractionFactory(
        employee=peer,
        customer=CustomerFactory(name="Peer Customer"),
        subject="Peer secret",
        follow_up_due=today - dt.timedelta(days=2),
        is_escalated=True,
    )

    _records(
        version=version,
        people={"lead": lead, "lead_b": lead_b, "subject": subject, "ilze": ilze, "peer": peer},
        teams=(team_a, team_b),
        interactions={"refund": refund, "router": router, "secret": secret},
    )
    connection = _helpdesk_records(lead=lead, lead_b=lead_b, subject=subject)
    _qa_drafts(version=version, lead=lead, lead_b=lead_b, subject=subject, peer=peer)
    return {
        "lead": lead,
        "subject": subject,
        "admin": admin,
        "team_a": team_a,
        "connection": connection,
    }


def _records(*, version, people, teams, interactions):
    """Reviews, alerts, answers, goals, coaching and changes about Agnese, Ilze and Pēteris."""
    lead, lead_b, subject = people["lead"], people["lead_b"], people["subject"]
    ilze, peer = people["ilze"], people["peer"]
    team_a, team_b = teams
    refund, router, secret = interactions["refund"], interactions["router"], interactions["secret"]
    PublishedQAReviewFactory(interaction=refund, reviewer=lead, version=version, total=70)
    PublishedQAReviewFactory(
        interaction=InteractionFactory(employee=subject, subject="Router disputed"),
        reviewer=lead,
        version=version,
        status=ReviewStatus.DISPUTED,
    )
    PublishedQAReviewFactory(interaction=secret, reviewer=lead_b, version=version)

    AlertFactory(
        employee=subject,
        kind=AlertKind.DROP,
        details={"previous_total": "71.20", "current_total": "58.40"},
    )
    AlertFactory(employee=None, team=team_a, acknowledged_at=timezone.now())
    AlertFactory(employee=peer)

    SurveyResponseFactory(interaction=refund, csat=5, comment="Great help, thank you")
    SurveyResponseFactory(interaction=router, csat=2, comment="Too slow")
    SurveyResponseFactory(interaction=secret, csat=5, comment="Peer secret")

    GoalFactory(employee=subject, why="Happier customers")
    GoalFactory(employee=peer, why="Peer secret")

    CoachingSessionFactory(agent=subject, coach=lead, notes="Tone of voice")
    CoachingSessionFactory(agent=ilze, coach=lead, notes="Ilze's session")
    CoachingSessionFactory(agent=peer, coach=lead_b, notes="Peer secret")

    ChangeEventFactory(team=team_a, title="New greeting script", created_by=lead)
    ChangeEventFactory(team=team_b, title="Peer secret")

    for name, owner, kind in (
        ("tickets.csv", lead, ImportKind.INTERACTIONS),
        ("answers.csv", lead, ImportKind.SURVEY_ANSWERS),
        ("peer-secret.csv", lead_b, ImportKind.INTERACTIONS),
    ):
        ImportJob.objects.create(
            kind=kind,
            source="helpdesk",
            file=ContentFile(b"id\n1\n", name=name),
            file_name=name,
            headers=["id"],
            created_by=owner,
            total_rows=1,
        )


def _helpdesk_records(*, lead, lead_b, subject):
    """Imports and helpdesk connections, agents and events; return the lead's connection."""
    connection = ConnectionFactory(name="Support desk")
    other_desk = ConnectionFactory(name="Other desk")
    ExternalAgentFactory(connection=connection, name="Helpdesk Harry")
    ExternalAgentFactory(connection=connection, name="Mapped Mary", employee=subject)
    InboundEventFactory(
        connection=connection,
        external_id="conversation-refused",
        status=EventStatus.REFUSED,
        error="No agent",
    )
    InboundEventFactory(
        connection=connection, external_id="conversation-accepted", status=EventStatus.ACCEPTED
    )
    InboundEventFactory(
        connection=other_desk, external_id="Peer secret", status=EventStatus.REFUSED
    )
    return connection


def _qa_drafts(*, version, lead, lead_b, subject, peer):
    """Draft reviews: the lead's samples and calibration, and the other lead's."""
    for title, reviewer, reason in (
        ("Draft one", lead, ReviewReason.SAMPLE),
        ("Draft two", lead, ReviewReason.SAMPLE),
        ("Peer secret", lead_b, ReviewReason.SAMPLE),
        ("Calibrated call", lead, ReviewReason.CALIBRATION),
    ):
        owner = peer if reviewer == lead_b else subject
        QAReviewFactory(
            interaction=InteractionFactory(employee=owner, subject=title),
            reviewer=reviewer,
            version=version,
            reason=reason,
            total=Decimal("55.5"),
        )
    QAReviewFactory(
        interaction=InteractionFactory(employee=peer, subject="Peer secret"),
        reviewer=lead_b,
        version=version,
        reason=ReviewReason.CALIBRATION,
    )


def _request(client, people, name, spec, file_format, *, language="en"):
    viewer = people[spec.viewer]
    viewer.language = language
    viewer.save(update_fields=["language"])
    client.force_login(viewer.user)
    params = dict(spec.params)
    if name == "scorecards:change_list":
        params["team"] = people["team_a"].pk
    kwargs = {"pk": people[spec.kwargs].pk} if spec.kwargs else {}
    return client.get(reverse(name, kwargs=kwargs), {**params, "format": file_format})


def _csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx_rows(response) -> list[list]:
    assert response.status_code == 200
    assert ".xlsx" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in line] for line in sheet.iter_rows()]


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_list_page_offers_both_formats(client, people, name):
    spec = EXPORTS[name]
    response = _request(client, people, name, spec, "")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="export-links"' in page
    # The links keep the page's filters and drop its page number.
    links = re.findall(r'href="(\?[^"]*format=(?:csv|xlsx)[^"]*)"', page)
    # Two a table (the team's follow-ups have two tables).
    assert len(links) in (2, 4)
    for key, value in response.wsgi_request.GET.items():
        if key != "format":
            assert all(urlencode({key: value}) in link for link in links), links


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_csv_has_the_filtered_visible_rows(client, people, name):
    spec = EXPORTS[name]
    rows = _csv_rows(_request(client, people, name, spec, "csv"))

    assert rows[0] == spec.headers
    cells = {cell for row in rows[1:] for cell in row}
    assert all(any(text in cell for cell in cells) for text in spec.present), rows
    assert not any(text in cell for cell in cells for text in spec.absent), rows


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_xlsx_keeps_numbers_and_dates(client, people, name):
    spec = EXPORTS[name]
    rows = _xlsx_rows(_request(client, people, name, spec, "xlsx"))

    assert rows[0] == spec.headers
    matching = [
        row
        for row in rows[1:]
        if any(isinstance(cell, str) and spec.present[0] in cell for cell in row)
    ]
    assert matching, rows
    for heading, kind in spec.types.items():
        value = matching[0][spec.headers.index(heading)]
        assert isinstance(value, kind), (heading, value)


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_headings_are_translated(client, people, name):
    spec = EXPORTS[name]
    rows = _csv_rows(_request(client, people, name, spec, "csv", language="ru"))

    for english, russian in zip(spec.headers, rows[0], strict=True):
        assert russian != english
        assert re.search("[а-яА-Я]", russian), russian


def test_alert_totals_are_numbers(client, people):
    spec = EXPORTS["scorecards:alert_list"]
    rows = _xlsx_rows(_request(client, people, "scorecards:alert_list", spec, "xlsx"))

    drop = next(row for row in rows[1:] if row[2] == "Agnese Kalniņa")
    assert drop[4:6] == [71.2, 58.4]


def test_team_escalations_download(client, people):
    client.force_login(people["lead"].user)
    response = client.get(
        reverse("qa:team_follow_ups"), {"table": "escalations", "format": "csv", "team": "team-a"}
    )
    rows = _csv_rows(response)

    assert rows[0] == ["Opened", "Agent", "Customer", "Interaction", "Channel"]
    assert [row[3] for row in rows[1:]] == ["Escalated router"]


def test_coaching_actions_download_from_both_follow_up_pages(client, people):
    session = CoachingSessionFactory(agent=people["subject"], coach=people["lead"])
    CoachingActionFactory(
        session=session,
        description="Listen to two calls",
        due_on=timezone.localdate() - dt.timedelta(days=1),
    )
    for viewer, name, headers in (
        ("subject", "qa:my_follow_ups", ["Due", "What", "Overdue"]),
        ("lead", "qa:team_follow_ups", ["Due", "Owner", "What", "Overdue"]),
    ):
        client.force_login(people[viewer].user)
        page = client.get(reverse(name)).content.decode()
        assert "table=coaching&amp;format=csv" in page

        rows = _xlsx_rows(client.get(reverse(name), {"table": "coaching", "format": "xlsx"}))

        assert rows[0] == headers
        assert rows[1][headers.index("What")].startswith("Listen to two calls")
        assert rows[1][headers.index("Overdue")] is True
        assert isinstance(rows[1][0], dt.datetime)


def test_sessions_per_agent_download(client, people):
    client.force_login(people["lead"].user)
    url = reverse("coaching:session_list")
    assert "table=per_agent&amp;format=csv" in client.get(url).content.decode()

    rows = _xlsx_rows(client.get(url, {"table": "per_agent", "format": "xlsx", "days": "30"}))

    assert rows[0] == ["Agent", "Sessions", "Last session"]
    agnese = next(row for row in rows[1:] if row[0] == "Agnese Kalniņa")
    assert agnese[1] == 1
    assert isinstance(agnese[2], dt.datetime)
    assert all(row[0] != "Pēteris Ozols" for row in rows)


def test_agent_downloads_only_their_own_reviews(client, people):
    client.force_login(people["subject"].user)
    rows = _csv_rows(client.get(reverse("qa:my_reviews"), {"format": "csv"}))

    assert sorted(row[0] for row in rows[1:]) == ["Refund request", "Router disputed"]


def test_a_download_is_capped(client, people, monkeypatch):
    monkeypatch.setattr(spreadsheet, "EXPORT_MAX_ROWS", 2)
    client.force_login(people["lead"].user)
    url = reverse("qa:my_reviews")
    response = client.get(url, {"format": "csv"})

    # The lead sees more reviews than that; the file says it has the first two.
    assert len(_csv_rows(response)) == 1 + 2
    assert '-first-2.csv"' in response["Content-Disposition"]
    visible = review_list(user=people["lead"].user).count()
    monkeypatch.setattr(spreadsheet, "EXPORT_MAX_ROWS", visible)
    response = client.get(url, {"format": "xlsx"})
    assert len(_xlsx_rows(response)) == 1 + visible
    assert "first" not in response["Content-Disposition"]


def test_an_unknown_format_shows_the_page(client, people):
    client.force_login(people["lead"].user)
    response = client.get(reverse("scorecards:alert_list"), {"format": "pdf"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


ROLES_SWEPT = ["agent", "manager_other", "manager_own", "onboarding", "admin", "no_employee"]


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_exports_follow_the_sweep(client, world, name):  # noqa: F811
    """A download answers each role as its page does: refused where the page is, and where
    the page opens, a file."""
    url = reverse(name, kwargs=_kwargs(name, world))
    expected = _expected(name)
    for role in ROLES_SWEPT:
        client.force_login(world["users"][role])
        response = client.get(url, {"format": "csv"})
        assert response.status_code == expected[role], role
        if expected[role] == 200:
            assert response["Content-Type"].startswith("text/csv"), role


# The templates that show the download links, and their page: a new one belongs in EXPORTS.
LINKED_TEMPLATES = {
    "coaching/session_list.html": "coaching:session_list",
    "customers/customer_list.html": "customers:customer_list",
    "customers/interaction_list.html": "customers:interaction_list",
    "feedback/followups/mine.html": "qa:my_follow_ups",
    # The sections other apps add to both follow-up pages (coaching actions).
    "feedback/followups/_sections.html": "qa:my_follow_ups",
    "feedback/followups/team.html": "qa:team_follow_ups",
    "feedback/qa/review_list.html": "qa:my_reviews",
    "feedback/qa/queue.html": "qa:queue",
    "feedback/qa/calibration_list.html": "qa:calibration_list",
    "feedback/qa/consistency.html": "qa:consistency",
    "integrations/agent_queue.html": "integrations:agent_queue",
    "integrations/connection_list.html": "integrations:connection_list",
    "scorecards/team_list.html": "scorecards:team_list",
    "scorecards/compare_teams.html": "scorecards:team_compare",
    "feedback/survey_comments/list.html": "surveys:comments",
    "imports/import_list.html": "imports:list",
    "integrations/connection_detail.html": "integrations:connection_detail",
    "scorecards/alert_list.html": "scorecards:alert_list",
    "scorecards/change_event_list.html": "scorecards:change_list",
    "scorecards/onboarding.html": "scorecards:onboarding",
    "scorecards/goal_list.html": "scorecards:my_goals",
    # Its member table's figures are checked in tests/scorecards/test_views_team.py.
    "scorecards/team_dashboard.html": "scorecards:team_dashboard",
}


def test_every_page_with_download_links_is_walked():
    templates = Path(__file__).resolve().parent.parent / "templates"
    including = {
        path.relative_to(templates).as_posix()
        for path in templates.rglob("*.html")
        if '"_export_links.html"' in path.read_text(encoding="utf-8")
    }

    assert including == set(LINKED_TEMPLATES)
    walked = set(EXPORTS) | {"scorecards:team_dashboard"}
    assert set(LINKED_TEMPLATES.values()) == walked


GARBAGE = {
    "q": "\x00' OR 1=1 --",
    "status": "nope",
    "seen": "maybe",
    "sort": "-password",
    "team": "no-such-team",
    "days": "-1",
    "csat": "abc",
    "show": "everything",
    "date_from": "2026-02-31",
    "table": "secrets",
    "page": "last",
}


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_garbage_filters_still_download(client, people, name):
    """Bad filter values fall back as the page does: a file, never an error."""
    spec = EXPORTS[name]
    client.force_login(people[spec.viewer].user)
    kwargs = {"pk": people[spec.kwargs].pk} if spec.kwargs else {}
    response = client.get(reverse(name, kwargs=kwargs), {**GARBAGE, "format": "csv"})

    assert _csv_rows(response)[0] == spec.headers
