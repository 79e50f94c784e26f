"""Dates and times outside 2000-01-01 … tomorrow (ten years ahead where a date may be future)
are refused at their field by pages and API alike, and never stored (README)."""

import base64
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from customers.models import Interaction
from staff.bounds import day_in_range, latest_day
from staff.choices import ApiScope
from staff.models import ApiKey
from tests.factories import CustomerFactory, InteractionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(db):
    _, raw = ApiKey.objects.create_key(name="tool", scopes=list(ApiScope.values))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    return client


def test_the_range_runs_from_2000_to_tomorrow_or_ten_years_ahead():
    today = timezone.localdate()

    assert day_in_range(dt.date(2000, 1, 1))
    assert not day_in_range(dt.date(1999, 12, 31))
    assert day_in_range(today + dt.timedelta(days=1))
    assert not day_in_range(today + dt.timedelta(days=2))
    assert day_in_range(today + dt.timedelta(days=3000), future=True)
    assert latest_day(future=True) < today.replace(year=today.year + 11)
    assert not day_in_range(dt.datetime(1, 1, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=5))))
    assert not day_in_range(dt.datetime(9999, 12, 31, 23, 59))


@pytest.mark.parametrize("opened_at", ["0001-01-01T00:30", "1999-12-31T23:00", "9999-12-31T23:59"])
def test_the_log_form_refuses_an_interaction_outside_the_range_at_its_field(
    client, agent, opened_at
):
    client.force_login(agent.user)
    customer = CustomerFactory()

    response = client.post(
        reverse("customers:interaction_log"),
        {"customer": customer.pk, "channel": "chat", "subject": "Old", "opened_at": opened_at},
    )

    assert response.status_code == 200
    assert "Enter a date from" in " ".join(response.context["form"].errors["opened_at"])
    assert not Interaction.objects.exists()


@pytest.mark.parametrize(
    "opened_at",
    ["0001-01-01T00:30:00", "0001-01-01T00:30:00+05:00", "9999-12-31T23:59:59-05:00", "1999-06-01"],
)
def test_the_api_refuses_times_outside_the_range_at_their_field(api, agent, opened_at):
    row = {
        "customer": CustomerFactory().pk,
        "employee": agent.pk,
        "channel": "email",
        "subject": "Old",
        "opened_at": opened_at,
        "external_id": "T-1",
    }

    response = api.post("/api/v1/interactions/", row, format="json")

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["opened_at"]
    assert not Interaction.objects.exists()


def test_a_follow_up_may_be_due_within_ten_years_but_not_after(api, agent):
    opened = timezone.now() - dt.timedelta(hours=1)
    row = {
        "customer": CustomerFactory().pk,
        "employee": agent.pk,
        "channel": "email",
        "subject": "Call back",
        "opened_at": opened.isoformat(),
        "external_id": "T-1",
    }
    soon = (timezone.localdate() + dt.timedelta(days=400)).isoformat()

    accepted = api.post("/api/v1/interactions/", {**row, "follow_up_due": soon}, format="json")
    refused = api.post(
        "/api/v1/interactions/", {**row, "follow_up_due": "9999-12-31"}, format="json"
    )

    assert accepted.status_code == 200, accepted.json()
    assert refused.status_code == 400
    assert [e["field"] for e in refused.json()["errors"]] == ["follow_up_due"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_to": "0001-01-01"}, "date_to"),
        ({"date_from": "0001-01-01", "date_to": "2026-01-01"}, "date_from"),
        ({"date_to": "9999-12-31"}, "date_to"),
    ],
)
def test_the_score_summary_refuses_days_outside_the_range(api, params, field):
    response = api.get("/api/v1/scores/summary/", params)

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field


@pytest.mark.parametrize(
    "url", ["/api/v1/scores/employees/", "/api/v1/scores/teams/", "/api/v1/interactions/"]
)
def test_list_filters_refuse_days_outside_the_range(api, url):
    response = api.get(url, {"date_from": "0001-01-01"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "date_from"


def _cursor(query: str) -> str:
    return base64.b64encode(query.encode()).decode()


@pytest.mark.parametrize(
    ("url", "position"),
    [
        ("/api/v1/customers/", "abc"),
        ("/api/v1/customers/", "99999999999999999999"),
        ("/api/v1/customers/", "-1"),
        ("/api/v1/interactions/", "abc"),
        ("/api/v1/interactions/", "0001-01-01 00:30:00+05:00"),
    ],
)
def test_a_cursor_with_a_position_it_could_not_have_written_is_invalid(api, url, position):
    InteractionFactory()

    response = api.get(url, {"cursor": _cursor(f"p={position}")})

    assert response.status_code == 404
    assert response.json()["errors"][0]["message"] == "Invalid cursor"


def test_a_cursor_the_api_wrote_still_pages(api):
    for _ in range(3):
        InteractionFactory()

    first = api.get("/api/v1/interactions/", {"page_size": 2}).json()
    second = api.get(first["next"])

    assert second.status_code == 200
    assert len(second.json()["results"]) == 1
