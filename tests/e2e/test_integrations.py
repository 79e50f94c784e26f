"""An admin connects Chatwoot in the browser, a recorded delivery is accepted by a real worker,
the unknown agent is mapped from the queue, and the conversation shows on the agent's day.

The deliveries are built from Chatwoot's source (tests/integrations/chatwoot_payloads.py).
"""

import datetime as dt
import re
import urllib.request

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from crs_site.celery import app
from integrations.models import Connection
from staff.choices import Role
from tests.celery_worker import celery_worker, queue_purge, unique_queue
from tests.factories import (
    EmployeeFactory,
    PublishedVersionFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)
from tests.integrations import chatwoot_payloads as cw

PASSWORD = "pass-word-123"


def _deliver(url: str, payload: dict) -> int:
    request = urllib.request.Request(
        url, data=cw.body(payload), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def _reload_until(page, test_id: str, text: str) -> None:
    """The state is not pushed to the page: reload it until the worker has done its part."""
    for _ in range(60):
        if page.get_by_test_id(test_id).inner_text().strip() == text:
            return
        page.wait_for_timeout(500)
        page.reload()
    expect(page.get_by_test_id(test_id)).to_have_text(text)


@pytest.fixture
def queue(monkeypatch):
    name = unique_queue()
    queue_purge(name)
    monkeypatch.setitem(app.conf, "task_default_queue", name)
    yield name
    queue_purge(name)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_admin_connects_chatwoot_maps_the_agent_and_sees_the_conversation_scored(
    page, sign_in, screenshot, live_server, queue
):
    EmployeeFactory(user=UserFactory(username="root-admin"), role=Role.ADMIN)
    team = TeamFactory()
    PublishedVersionFactory(scorecard=team.scorecard, metrics=[{"code": "fcr"}])
    ilze = EmployeeFactory(
        user=UserFactory(username="ilze", first_name="Ilze", last_name="Agent"), role=Role.AGENT
    )
    TeamMembershipFactory(employee=ilze, team=team)
    sign_in("root-admin", PASSWORD)

    page.get_by_role("link", name="Helpdesk connections").click()
    expect(page.get_by_test_id("empty")).to_contain_text("No helpdesk is connected yet")
    page.get_by_role("link", name="Add a connection").click()
    page.get_by_label("Name").fill("Support inbox")
    page.get_by_role("button", name="Add connection").click()
    webhook_url = page.get_by_test_id("webhook-url").input_value()
    connection = Connection.objects.get()
    assert webhook_url.endswith(f"/integrations/chatwoot/{connection.uuid}/{connection.secret}/")
    screenshot("integrations-connection-added")

    opened = timezone.now().replace(microsecond=0) - dt.timedelta(hours=2)
    unassigned = cw.conversation_event(
        "conversation_created", created=opened, updated=opened, assignee=None
    )
    resolved = cw.conversation_event(
        "conversation_status_changed",
        created=opened,
        updated=opened + dt.timedelta(hours=1),
        status="resolved",
        first_reply=opened + dt.timedelta(minutes=4),
    )
    with celery_worker(queue=queue):
        assert _deliver(webhook_url, unassigned) == 202
        page.reload()
        # The address with its secret was shown once.
        expect(page.get_by_test_id("webhook-url")).to_have_count(0)
        _reload_until(page, "count-accepted", "1")
        expect(page.get_by_test_id("event-list")).to_contain_text("conversation_created")

        assert _deliver(webhook_url, resolved) == 202
        _reload_until(page, "count-held", "1")
        expect(page.get_by_test_id("health")).to_contain_text("waiting for a mapping")
        page.set_viewport_size({"width": 1366, "height": 800})
        screenshot("integrations-connection-held")
        page.set_viewport_size({"width": 390, "height": 844})
        screenshot("integrations-connection-held-phone")
        page.set_viewport_size({"width": 1366, "height": 800})

        page.get_by_role("link", name="Helpdesk connections").first.click()
        page.get_by_role("link", name="Agent mapping").click()
        row = page.locator("tr[data-agent='7']")
        expect(row).to_contain_text("Ilze Agent")
        # The employee with the agent's name is already picked: one click.
        expect(row.get_by_label("Employee for Ilze Agent")).to_have_value(str(ilze.pk))
        row.get_by_role("button", name="Map").click()
        expect(page.get_by_role("alert")).to_contain_text("1 held event is being processed")
        screenshot("integrations-agent-mapped")

        page.goto(f"{live_server.url}/integrations/{connection.pk}/")
        _reload_until(page, "count-accepted", "2")
        expect(page.get_by_test_id("health")).to_contain_text("healthy")

    day = timezone.localtime(opened + dt.timedelta(hours=1)).date()
    page.goto(f"{live_server.url}/agents/{ilze.pk}/explain/{day.isoformat()}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("explained")
    fcr = page.locator("[data-metric=fcr]")
    expect(fcr.get_by_test_id("num-den")).to_contain_text("Counted: 1 out of 1.")
    fcr.locator("summary").click()
    expect(fcr).to_contain_text("Chatwoot conversation 12")
    expect(fcr).to_contain_text("Marta Customer")
    expect(page).to_have_url(re.compile(rf"/agents/{ilze.pk}/explain/"))
    screenshot("integrations-agent-explain")
