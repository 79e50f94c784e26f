"""The Zendesk pages of the helpdesk connections: add, settings, and the export's state."""

import pytest
from django.urls import reverse

from integrations.choices import ConnectionKind
from integrations.models import Connection
from integrations.zendesk.poller import zendesk_poll
from staff.choices import Role
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("integrations:zendesk_add")
VALID = {
    "name": "Acme support",
    "subdomain": "https://acme.zendesk.com/agent",
    "email": "admin@acme.example",
    "api_token": "tok-123",
    "escalation": "tag",
    "escalation_tag": "tier2",
    "start_date": "",
}


@pytest.fixture
def admin(client):
    employee = EmployeeFactory(role=Role.ADMIN)
    client.force_login(employee.user)
    return employee


def _detail(connection):
    return reverse("integrations:connection_detail", args=[connection.pk])


@pytest.mark.parametrize("role", [Role.AGENT, Role.MANAGER])
def test_only_admins_add_or_change_zendesk_connections(client, role):
    client.force_login(EmployeeFactory(role=role).user)
    connection = Connection.objects.create(kind=ConnectionKind.ZENDESK, name="Z")
    assert client.get(ADD_URL).status_code == 403
    assert client.post(ADD_URL, VALID).status_code == 403
    settings_url = reverse("integrations:zendesk_settings", args=[connection.pk])
    assert client.get(settings_url).status_code == 403


def test_an_admin_adds_a_zendesk_connection(client, admin):
    assert client.get(reverse("integrations:connection_list")).content.count(ADD_URL.encode())
    response = client.post(ADD_URL, VALID)
    connection = Connection.objects.get()
    assert response.status_code == 302
    assert response.url == _detail(connection)
    assert connection.kind == ConnectionKind.ZENDESK
    assert connection.secret == "tok-123"
    assert connection.created_by == admin
    assert connection.settings["subdomain"] == "acme"
    assert connection.settings["escalation_tag"] == "tier2"
    page = client.get(_detail(connection)).content.decode()
    assert "acme.zendesk.com" in page
    assert "tok-123" not in page
    assert "not started" in page


def test_bad_input_is_shown_at_its_field_and_nothing_is_written(client, admin):
    response = client.post(
        ADD_URL, {**VALID, "subdomain": "evil.example.com/", "escalation_tag": "", "name": " "}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"subdomain", "escalation_tag", "name"}
    assert 'aria-invalid="true"' in response.content.decode() or "is-invalid" in (
        response.content.decode()
    )
    assert not Connection.objects.exists()


def test_settings_change_the_rule_and_keep_the_token(client, admin):
    client.post(ADD_URL, VALID)
    connection = Connection.objects.get()
    url = reverse("integrations:zendesk_settings", args=[connection.pk])
    page = client.get(url).content.decode()
    assert 'value="acme"' in page
    assert "tok-123" not in page
    response = client.post(url, {**VALID, "api_token": "", "escalation": "group_changes"})
    assert response.status_code == 302
    connection.refresh_from_db()
    assert connection.secret == "tok-123"
    assert connection.settings["escalation"] == "group_changes"


def test_a_failed_poll_makes_the_connection_failing_on_its_page(client, admin, zendesk):
    client.post(ADD_URL, {**VALID, "subdomain": zendesk.subdomain, "api_token": "wrong"})
    connection = Connection.objects.get()
    zendesk_poll(connection_id=connection.pk)
    page = client.get(_detail(connection)).content.decode()
    assert "Zendesk refused the e-mail and API token." in page
    assert "failing" in page


def test_a_rate_limited_poll_says_when_it_goes_on(client, admin, zendesk):
    client.post(
        ADD_URL,
        {**VALID, "subdomain": zendesk.subdomain, "email": zendesk.email, "api_token": "tok-123"},
    )
    connection = Connection.objects.get()
    zendesk.rate_limit_next(retry_after="120")
    zendesk_poll(connection_id=connection.pk)
    page = client.get(_detail(connection)).content.decode()
    assert "rate limit" in page
    assert "failing" not in page


def test_the_page_shows_how_far_behind_zendesk_the_connection_reads(client, admin, zendesk):
    import datetime as dt

    from django.utils import timezone

    from tests.integrations.zendesk_fake import ticket

    zendesk.add(ticket(1, created_at=timezone.now() - dt.timedelta(days=2)))
    client.post(
        ADD_URL,
        {**VALID, "subdomain": zendesk.subdomain, "email": zendesk.email, "api_token": "tok-123"},
    )
    connection = Connection.objects.get()
    zendesk_poll(connection_id=connection.pk)
    page = client.get(_detail(connection)).content.decode()
    assert "behind" in page
    assert "up to date" in page


def test_a_chatwoot_connection_has_no_zendesk_settings_page(client, admin):
    connection = Connection.objects.create(kind=ConnectionKind.CHATWOOT, name="C")
    url = reverse("integrations:zendesk_settings", args=[connection.pk])
    assert client.get(url).status_code == 404
