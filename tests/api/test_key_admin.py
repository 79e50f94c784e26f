import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_api_key.models import APIKey

from staff.choices import ApiScope
from staff.models import ApiKey
from tests.factories import ApiKeyFactory, TeamFactory

ADD = "admin:staff_apikey_add"


def _create(admin_client, **fields):
    data = {"name": "helpdesk", "scopes": [ApiScope.SCORES_READ], "teams": [], **fields}
    return admin_client.post(reverse(ADD), data, follow=True)


def _api(raw):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    return client


def test_admin_creates_a_key_and_shows_it_once(admin_client, world):
    response = _create(admin_client, teams=[world["teams"]["north"].pk])
    (message,) = [str(m) for m in get_messages(response.wsgi_request) if " is: " in str(m)]
    raw = message.split(" is: ")[1].split(" ")[0]
    api_key = ApiKey.objects.get()
    assert api_key.scopes == [ApiScope.SCORES_READ]
    assert list(api_key.teams.all()) == [world["teams"]["north"]]
    assert raw.split(".")[1] not in api_key.hashed_key
    # The key works, within its scope and its team.
    rows = _api(raw).get("/api/v1/scores/employees/").json()["results"]
    assert {row["team"] for row in rows} == {"north"}
    assert _api(raw).get("/api/v1/customers/").status_code == 403
    # The change page shows the prefix, never the key.
    page = admin_client.get(reverse("admin:staff_apikey_change", args=[api_key.pk]))
    assert api_key.prefix in page.content.decode()
    assert raw not in page.content.decode()


def test_admin_refuses_an_unknown_scope_at_the_field(admin_client, db):
    response = _create(admin_client, scopes=["everything"])
    assert "scopes" in response.context["adminform"].form.errors
    assert not ApiKey.objects.exists()


def test_revoking_a_key_in_the_admin_locks_it_out(admin_client, db):
    api_key = ApiKeyFactory()
    raw = api_key.raw_key
    assert _api(raw).get("/api/v1/teams/").status_code == 200
    url = reverse("admin:staff_apikey_change", args=[api_key.pk])
    response = admin_client.post(
        url, {"name": api_key.name, "scopes": api_key.scopes, "teams": [], "revoked": "on"}
    )
    assert response.status_code == 302
    assert _api(raw).get("/api/v1/teams/").status_code == 401


def test_changelist_shows_last_use_and_expiry(admin_client, db):
    used = timezone.now() - dt.timedelta(hours=2)
    ApiKeyFactory(name="bi", last_used_at=used, expiry_date=used + dt.timedelta(days=30))
    response = admin_client.get(reverse("admin:staff_apikey_changelist"))
    assert response.status_code == 200
    assert "bi" in response.content.decode()
    assert response.context["cl"].list_display[-1] == "last_used_at"


@pytest.mark.django_db
def test_only_the_key_model_the_api_checks_is_in_the_admin():
    assert admin.site.is_registered(ApiKey)
    assert not admin.site.is_registered(APIKey)


def test_a_key_whose_teams_were_deleted_stays_closed_when_saved_again(admin_client, world):
    gone = TeamFactory(slug="gone", scorecard=world["version"].scorecard)
    response = _create(admin_client, teams=[gone.pk])
    (message,) = [str(m) for m in get_messages(response.wsgi_request) if " is: " in str(m)]
    raw = message.split(" is: ")[1].split(" ")[0]
    api_key = ApiKey.objects.get()
    assert api_key.is_team_restricted
    gone.delete()

    page = admin_client.get(reverse("admin:staff_apikey_change", args=[api_key.pk]))
    data = {"name": "renamed", "scopes": api_key.scopes, "teams": []}
    # The admin sends back the box as the page shows it: ticked.
    assert page.context["adminform"].form.initial["is_team_restricted"] is True
    data["is_team_restricted"] = "on"
    admin_client.post(reverse("admin:staff_apikey_change", args=[api_key.pk]), data)

    api_key.refresh_from_db()
    assert api_key.name == "renamed"
    assert api_key.is_team_restricted
    assert _api(raw).get("/api/v1/employees/").json() == []
