"""An admin connects Zendesk Support in the browser; the poller reads the loopback export
(tests/integrations/zendesk_fake.py) and the connection page shows the tickets, at a laptop's
and a phone's width."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from integrations.models import Connection
from integrations.zendesk.poller import zendesk_poll
from staff.choices import Role
from tests.factories import EmployeeFactory, TeamMembershipFactory
from tests.integrations.zendesk_fake import FakeZendesk, FakeZendeskServer, ticket, user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def zendesk(settings):
    fake = FakeZendesk()
    with FakeZendeskServer(fake) as server:
        settings.CRS_ZENDESK_URL = server.url_pattern
        yield fake


def overflowing(page) -> list[str]:
    """The page's own elements reaching past the right edge of the window (the site's navigation
    bar is the base template's; a wide table scrolls inside its own box)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('main *')]
            .filter(e => !e.closest('.table-responsive'))
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth)
            .map(e => e.tagName + '.' + e.className)"""
    )


def test_an_admin_connects_zendesk_and_sees_the_tickets_read(
    page, live_server, sign_in, screenshot, zendesk, team
):
    admin = EmployeeFactory(role=Role.ADMIN)
    agent = EmployeeFactory(role=Role.AGENT, user__email="ann@acme.example")
    TeamMembershipFactory(employee=agent, team=team)
    zendesk.users = [user(501, name="Ann", email="ann@acme.example")]
    opened = (timezone.now() - dt.timedelta(days=1)).replace(microsecond=0)
    zendesk.add(ticket(41, created_at=opened), ticket(42, created_at=opened))

    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(admin.user.username, "pass-word-123")
    page.goto(f"{live_server.url}/integrations/")
    page.get_by_role("link", name="Add Zendesk Support").click()
    page.get_by_label("Name").fill("Acme support")
    page.get_by_label("Zendesk subdomain").fill("nope.example.com/")
    page.get_by_label("Admin e-mail").fill(zendesk.email)
    page.get_by_label("API token").fill(zendesk.api_token)
    page.get_by_role("button", name="Add connection").click()
    # A bad subdomain is named at its field; nothing is added.
    expect(page.get_by_text("Use letters, digits and hyphens only")).to_be_visible()
    assert not Connection.objects.exists()
    page.get_by_label("Zendesk subdomain").fill(zendesk.subdomain)
    page.get_by_label("API token").fill(zendesk.api_token)
    page.get_by_role("button", name="Add connection").click()
    expect(page.get_by_text("not started")).to_be_visible()

    # What beat's task does every minute.
    zendesk_poll(connection_id=Connection.objects.get().pk)
    page.reload()
    expect(page.get_by_test_id("zendesk-tickets")).to_have_text("2")
    expect(page.get_by_text("up to date")).to_be_visible()
    expect(page.get_by_test_id("event-list").get_by_text("accepted")).to_have_count(2)
    screenshot("zendesk-connection-1366")
    assert overflowing(page) == []

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    screenshot("zendesk-connection-390")
    assert overflowing(page) == []
