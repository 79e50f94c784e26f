"""The Zendesk part of a connection's settings: the form's field errors and what saving does."""

import datetime as dt

import pytest
from django.utils import timezone

from integrations.choices import ConnectionKind
from integrations.models import Connection
from integrations.zendesk.forms import ZendeskSettingsForm
from integrations.zendesk.services import zendesk_settings_save

pytestmark = pytest.mark.django_db

VALID = {
    "subdomain": "acme",
    "email": "Admin@Acme.example",
    "api_token": "tok-123",
    "escalation": "group_changes",
    "escalation_tag": "",
    "start_date": "",
}


def _connection(**fields):
    return Connection.objects.create(kind=ConnectionKind.ZENDESK, name="Acme", **fields)


@pytest.mark.parametrize(
    ("pasted", "subdomain"),
    [("acme", "acme"), ("https://Acme.zendesk.com/agent/tickets", "acme"), ("my-co", "my-co")],
)
def test_the_subdomain_is_taken_from_a_pasted_address(pasted, subdomain):
    form = ZendeskSettingsForm(data={**VALID, "subdomain": pasted})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["subdomain"] == subdomain
    assert form.cleaned_data["email"] == "admin@acme.example"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"subdomain": "evil.example.com"}, "subdomain"),
        ({"subdomain": "a_b"}, "subdomain"),
        ({"email": "not-an-email"}, "email"),
        ({"api_token": ""}, "api_token"),
        ({"escalation": "tag", "escalation_tag": ""}, "escalation_tag"),
        ({"escalation": "sometimes"}, "escalation"),
        ({"start_date": "1990-01-01"}, "start_date"),
        ({"start_date": (timezone.localdate() + dt.timedelta(days=2)).isoformat()}, "start_date"),
    ],
)
def test_bad_input_is_named_at_its_field(changes, field):
    form = ZendeskSettingsForm(data={**VALID, **changes})
    assert not form.is_valid()
    assert list(form.errors) == [field]


def test_an_empty_token_keeps_the_saved_one():
    connection = _connection(secret="saved", settings={"subdomain": "acme"})
    form = ZendeskSettingsForm(data={**VALID, "api_token": ""}, connection=connection)
    assert form.is_valid(), form.errors
    zendesk_settings_save(connection=connection, **form.cleaned_data)
    connection.refresh_from_db()
    assert connection.secret == "saved"
    assert connection.settings["email"] == "admin@acme.example"


def test_the_form_starts_from_the_saved_settings_but_never_shows_the_token():
    connection = _connection(
        secret="tok-s3cr3t", settings={"subdomain": "acme", "escalation": "tag"}
    )
    form = ZendeskSettingsForm(connection=connection)
    html = form.as_p()
    assert 'value="acme"' in html
    assert "tok-s3cr3t" not in html


def test_another_account_restarts_the_stream_the_same_keeps_its_cursor():
    connection = _connection(secret="t", settings={"subdomain": "acme"}, state={"cursor": "abc"})
    zendesk_settings_save(
        connection=connection,
        subdomain="acme",
        email="a@acme.example",
        escalation="tag",
        escalation_tag="vip",
    )
    connection.refresh_from_db()
    assert connection.state == {"cursor": "abc"}
    assert connection.settings["escalation_tag"] == "vip"
    zendesk_settings_save(connection=connection, subdomain="other", email="a@other.example")
    connection.refresh_from_db()
    assert connection.state == {}
    assert connection.settings["escalation_tag"] == ""
